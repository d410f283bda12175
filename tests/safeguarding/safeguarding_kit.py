"""Helpers for the safeguarding tests, imported by name (pytest puts tests/safeguarding on sys.path).

`Person` plays one person's messages through the pure engine, as the host would, on a chosen channel.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.app.wiring import Parts
from bot.content.packs.library import SHIPPED_PROMPTS, PackLibrary, Symbols, SystemTexts
from bot.content.packs.yamlfile import load_fast
from bot.content.words import loop_words
from bot.engine.context import Context
from bot.engine.engine import handle
from bot.engine.events import Event
from bot.engine.state import Conversation
from bot.engine.turn import Step
from bot.hours import WeeklyHours
from bot.messages import Ask, Channel, Inbound, Reply, Say
from bot.safeguarding.loading import Safeguarding, shipped_safeguarding

SECRET = "safeguarding-test-secret-k7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js-p2Wq8Ze5Ur7Ty1Io3Pa6Sd9Fg4Hj0Kl"
PERSON = "+447700900123"
LONDON = ZoneInfo("Europe/London")
TUESDAY_10AM = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)
SATURDAY_10AM = datetime(2025, 3, 8, 10, 0, tzinfo=UTC)
TABLE = SHIPPED_PROMPTS / "safeguarding" / "messages" / "table.yaml"
LIBRARY = PackLibrary.load(SHIPPED_PROMPTS)
TEXTS = SystemTexts.load(SHIPPED_PROMPTS)
SYMBOLS = Symbols.load(SHIPPED_PROMPTS)


def cases() -> dict[str, list[str]]:
    data = load_fast(TABLE.read_text(encoding="utf-8"))
    return {level: [str(m) for m in messages] for level, messages in data.items()}


def context(now: datetime, new_id: str = "sub-1", safeguarding: Safeguarding | None = None) -> Context:
    ctx = Context(
        now=now, library=LIBRARY, texts=TEXTS, symbols=SYMBOLS,
        office_hours=WeeklyHours.parse("Mon-Fri 09:00-17:00", LONDON), timezone=LONDON, new_id=new_id,
        safeguarding=shipped_safeguarding(), loop_words=loop_words(),
    )
    return replace(ctx, safeguarding=safeguarding) if safeguarding is not None else ctx


def texts_of(step: Step) -> list[str]:
    return [m.text for m in step.reply.messages]


def names(step: Step) -> list[str]:
    return [type(e).__name__ for e in step.events]


@dataclass
class Person:
    channel: Channel = Channel.SMS
    now: datetime = TUESDAY_10AM
    safeguarding: Safeguarding = field(default_factory=shipped_safeguarding)
    conversation: Conversation = field(default_factory=Conversation)
    events: list[Event] = field(default_factory=list)
    count: int = 0

    def send(self, text: str = "", *, choice: str | None = None, after: timedelta | None = None) -> Step:
        if after is not None:
            self.now += after
        self.count += 1
        message = Inbound(text=text, channel=self.channel, received_at=self.now, choice=choice)
        step = handle(self.conversation, message, context(self.now, f"sub-{self.count}", self.safeguarding))
        self.conversation = Conversation.from_dict(step.conversation.to_dict())  # as the host saves it
        self.events.extend(step.events)
        return step

    def keyword(self, pack: str) -> str:
        """`pack`'s keyword, or on the phone line the phone pack's: only it is offered there."""
        return "PHONE" if self.channel is Channel.VOICE else pack

    def into_question(self, pack: str, kind: str) -> Step:
        """Start `pack` and answer until a question of `kind` is asked (choices by their first option).

        On the phone line, whose only pack has no free-text question, a choice question stands in.
        """
        if self.channel is Channel.VOICE and kind == "text":
            kind = "choice"
        step = self.send(self.keyword(pack))
        step = self.send(choice="yes")
        for _ in range(20):
            ask = last_ask(step)
            assert ask is not None, "the pack ended before a question of that kind"
            if ask.kind == kind:
                return step
            if ask.choices:
                step = self.send(choice=ask.choices[0].value)
            else:
                step = self.send("5" if ask.kind == "number" else "It was fine")
        raise AssertionError(f"no {kind} question in {pack}")


def last_ask(step: Step) -> Ask | None:
    asks = [m for m in step.reply.messages if isinstance(m, Ask)]
    return asks[-1] if asks else None


def first_say(step: Step) -> Say:
    first = step.reply.messages[0]
    assert isinstance(first, Say)
    return first


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


class Texter:
    """One person writing to the real service on a channel."""

    def __init__(self, parts: Parts, clock: Clock, channel: Channel = Channel.SMS, address: str = PERSON) -> None:
        self.parts, self.clock, self.channel, self.address = parts, clock, channel, address
        self.count = 0

    async def send(self, text: str = "", choice: str | None = None) -> Reply:
        self.count += 1
        message = Inbound(text=text, channel=self.channel, received_at=self.clock.now, choice=choice,
                          provider_id=f"{self.channel}-{self.address[-4:]}-{self.count}")
        return await self.parts.service.handle(self.channel, self.address, message)
