"""Broadcast planning: the words people get, the checks staff see while writing, and the scheduler tick.

A broadcast is stored with its words per language. When it is due (`plan_due_broadcasts`, called by the
scheduler) or sent now (`send_now`), one transaction claims it and queues one outbox row a person
(storage/staff/broadcasts.py says who). The dispatcher then sends those rows at each channel's rate,
outside quiet hours, and drops anyone who sent STOP in the meantime.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.content.easyread.check import check_text
from bot.content.easyread.findings import Finding
from bot.content.packs.library import PackLibrary, Symbols, SystemTexts
from bot.hours import local_day
from bot.messages import Outbound, Reply, Say
from bot.messages_json import message_to_dict
from channels.segments import sms_cost
from channels.telegram.render import preview_telegram
from channels.twilio_sms.render import render_sms
from channels.webchat.preview import render_text
from storage.staff.broadcasts import Audience, CapWindow
from storage.staff.records import Actor, BroadcastRecord, PlanResult
from storage.staff.store import StaffStore

log = logging.getLogger("said.broadcasts")

SYMBOL = "message"
FOOTER_TEXT = "broadcast_footer"  # an optional system text, e.g. "Send STOP to stop these messages."
SCHEDULER = Actor("scheduler")
AUDIENCE_STRICTNESS = ("child", "young_person", "parent_carer")  # strictest easy-read rules first


@dataclass(frozen=True, slots=True)
class SmsEstimate:
    encoding: str
    segments: int  # per message
    characters: int
    ucs2_characters: tuple[str, ...]
    price_per_segment: float

    def cost(self, people: int) -> float:
        return round(self.segments * people * self.price_per_segment, 2)


class BroadcastPlanner:
    def __init__(
        self,
        store: StaffStore,
        *,
        packs: PackLibrary,
        texts: SystemTexts,
        symbols: Symbols,
        channels: Collection[str],
        zone: ZoneInfo,
        daily_cap: int,
        sms_plain: bool = True,
        price_per_segment: float = 0.04,
        on_planned: Callable[[], None] | None = None,
    ) -> None:
        if daily_cap < 1:
            raise ValueError("the daily message cap is at least 1")
        self.store = store
        self.packs = packs
        self.texts = texts
        self.symbols = symbols
        self.channels = frozenset(channels)
        self.zone = zone
        self.daily_cap = daily_cap
        self.sms_plain = sms_plain
        self.price_per_segment = price_per_segment
        self.on_planned = on_planned

    # The words

    def languages(self) -> list[str]:
        """Languages a broadcast can be written in: every language some pack speaks, English first."""
        found = self.packs.languages() or ["en"]
        return sorted(found, key=lambda lang: (lang != "en", found.index(lang)))

    def language_name(self, language: str) -> str:
        return self.texts.language_name(language)

    def messages(self, text: str, language: str) -> list[Outbound]:
        messages: list[Outbound] = [Say(text=text.strip(), symbol=SYMBOL, emoji=self.symbols.emoji(SYMBOL))]
        if self.texts.has(FOOTER_TEXT):
            messages.append(Say(text=self.texts.get(FOOTER_TEXT, language)))
        return messages

    def compose(self, record: BroadcastRecord) -> tuple[dict[str, list[dict[str, object]]], str]:
        texts = {lang: text for lang, text in record.texts.items() if text.strip()}
        default = "en" if "en" in texts else next(iter(texts))
        composed = {lang: [message_to_dict(m) for m in self.messages(text, lang)] for lang, text in texts.items()}
        return composed, default

    def previews(self, text: str, language: str) -> dict[str, str]:
        """How the broadcast looks on each channel, as plain text."""
        reply = Reply(tuple(self.messages(text, language)))
        return {
            "SMS": render_sms(reply, plain=self.sms_plain),
            "WhatsApp": render_sms(reply),
            "Telegram": preview_telegram(reply),
            "Web chat": render_text(reply),
        }

    def sms_estimate(self, text: str, language: str) -> SmsEstimate:
        rendered = render_sms(Reply(tuple(self.messages(text, language))), plain=self.sms_plain)
        cost = sms_cost(rendered)
        return SmsEstimate(
            cost.encoding, cost.segments, cost.characters, tuple(cost.ucs2_characters), self.price_per_segment
        )

    def reading_audience(self, audience: Audience) -> str:
        """The easy-read audience whose rules a broadcast must meet: the pack's, or the strictest in use."""
        packs = self.packs.all()
        if audience.kind == "pack":
            pack = self.packs.get(audience.value)
            return pack.audience.value if pack else "child"
        if audience.kind == "checkins":
            packs = [p for p in packs if any(q.purpose and q.purpose.value == "checkins" for q in p.questions)]
        used = {p.audience.value for p in packs}
        return next((name for name in AUDIENCE_STRICTNESS if name in used), "child")

    def check(self, text: str, language: str, audience: Audience) -> list[Finding]:
        keywords = {k for p in self.packs.all() for k in p.keywords}
        keywords |= {"STOP", "START", "HELP"}
        return check_text(
            text, language=language, audience=self.reading_audience(audience), allowed_caps=keywords
        )

    # Planning

    def window(self, now: datetime) -> CapWindow:
        """The local day `now` falls in: the daily cap counts messages between its midnights (the
        dispatcher counts the same day again as it sends)."""
        start, end = local_day(now, self.zone)
        return CapWindow(self.daily_cap, start, end)

    async def audience_size(self, audience: Audience) -> dict[str, int]:
        return await self.store.audience_size(audience, self.channels, self.window(self.store.now()))

    async def send_now(self, broadcast_id: int, actor: Actor) -> PlanResult | None:
        result = await self.store.plan_broadcast(
            broadcast_id, self.compose, channels=self.channels, window=self.window, actor=actor
        )
        if result is not None:
            log.info("broadcast %d planned: %d queued, %d over the daily cap", broadcast_id, result.total,
                     result.over_cap)
            if self.on_planned is not None:
                self.on_planned()
        return result

    async def plan_due_broadcasts(self) -> list[PlanResult]:
        """The scheduler tick: queue every scheduled broadcast whose time has come."""
        results = []
        for broadcast_id in await self.store.due_broadcasts():
            result = await self.send_now(broadcast_id, SCHEDULER)
            if result is not None:
                results.append(result)
        return results
