"""What a staff reply looks like to the person, and the checks staff see while writing it.

A reply is the staff member's words with the "people" symbol, then one line saying they can answer it
and that MENU takes them back to the bot. It is held to the same easy-read rules as a broadcast (for the
audience of the pack the person was in, or the strictest audience any pack has), and staff see what it
costs as SMS before sending.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.content.easyread.check import check_text
from bot.content.easyread.findings import Finding
from bot.content.packs.library import PackLibrary, Symbols, SystemTexts
from bot.delivery.broadcasts import AUDIENCE_STRICTNESS, SmsEstimate
from bot.inbox.canned import CannedReplies
from bot.messages import Outbound, Reply, Say
from bot.messages_json import message_to_dict
from channels.segments import sms_cost
from channels.telegram.render import preview_telegram
from channels.twilio_sms.render import render_sms
from channels.webchat.preview import render_text

SYMBOL = "people"  # a person from the team is talking, not the bot
FOOTER = "inbox_reply_footer"
CLOSING = "inbox_closed"
LONGEST_REPLY = 640  # four SMS segments of GSM-7, as a broadcast: longer is not easy to read


@dataclass(frozen=True)
class ReplyComposer:
    texts: SystemTexts
    symbols: Symbols
    packs: PackLibrary
    canned: CannedReplies
    sms_plain: bool = False
    price_per_segment: float = 0.04

    def language(self, language: str | None) -> str:
        """The language a reply to this person is checked in and framed in: theirs when the bot speaks it."""
        return language if language in self.texts.languages else "en"

    def messages(self, text: str, language: str | None) -> list[Outbound]:
        lang = self.language(language)
        return [
            Say(text=text.strip(), symbol=SYMBOL, emoji=self.symbols.emoji(SYMBOL)),
            Say(text=self.texts.get(FOOTER, lang)),
        ]

    def payload(self, text: str, language: str | None) -> dict[str, Any]:
        return {"messages": [message_to_dict(m) for m in self.messages(text, language)], "ended": False}

    def closing(self, language: str | None) -> tuple[dict[str, Any], str]:
        """The kind closing line when a case is closed: its payload, and its words for the case's record."""
        words = self.texts.get(CLOSING, self.language(language))
        say = Say(text=words, symbol="wave", emoji=self.symbols.emoji("wave"))
        return {"messages": [message_to_dict(say)], "ended": False}, words

    def audience(self, pack_id: str | None) -> str:
        pack = self.packs.get(pack_id)
        if pack is not None:
            return pack.audience.value
        used = {p.audience.value for p in self.packs.all()}
        return next((name for name in AUDIENCE_STRICTNESS if name in used), "child")

    def check(self, text: str, language: str | None, pack_id: str | None) -> list[Finding]:
        keywords = {k for p in self.packs.all() for k in p.keywords} | {"STOP", "START", "HELP", "MENU"}
        keywords |= {self.texts.get("menu_word", lang) for lang in self.texts.languages}  # DEWISLEN too
        return check_text(
            text, language=self.language(language), audience=self.audience(pack_id), allowed_caps=keywords
        )

    def sms_estimate(self, text: str, language: str | None) -> SmsEstimate:
        rendered = render_sms(Reply(tuple(self.messages(text, language))), plain=self.sms_plain)
        cost = sms_cost(rendered)
        return SmsEstimate(
            cost.encoding, cost.segments, cost.characters, tuple(cost.ucs2_characters), self.price_per_segment
        )

    def preview(self, text: str, language: str | None, channel: str) -> str:
        """How the reply looks on the person's channel, as plain text."""
        reply = Reply(tuple(self.messages(text, language)))
        if channel == "telegram":
            return preview_telegram(reply)
        if channel == "web":
            return render_text(reply)
        return render_sms(reply, plain=self.sms_plain and channel == "sms")
