"""Messages per second through the pure engine alone (no storage): `python -m bench engine`.

People walk the shipped packs one message at a time, with replies typed as people type them (labels,
numbers, words, emoji), carrying the state between messages as the host does (through JSON), so the figure
is what the engine itself costs each message: reading the answer, safeguarding screening and the reply.
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.content.packs.library import SHIPPED_PROMPTS, PackLibrary, Symbols, SystemTexts
from bot.content.words import loop_words
from bot.engine.context import Context
from bot.engine.engine import handle
from bot.engine.state import Conversation
from bot.hours import WeeklyHours
from bot.messages import Channel, Inbound
from bot.safeguarding.loading import shipped_safeguarding

LONDON = ZoneInfo("Europe/London")
# Every reply is one a person would type; together they cover each question kind in the shipped packs.
SCRIPTS = [
    ["DEMO", "yes", "1", "2", "yes", "3", "It was fine, thank you"],
    ["DEMO", "yeah", "good", "a lot", "6", "yes please"],
    ["WAITING", "ok", "not great tbh", "someone to talk to", "no", "yes", "no thanks"],
    ["PARENTS", "yes", "very good", "a little", "not at all", "yes", "easy", "more evening slots", "no", "no"],
    ["KIDS", "yes", "happy", "yes", "yes", "yes", "not sure", "it was fun"],
    ["hello", "hi there, the waiting room was too cold and nobody told us why"],
]


LOOP_WORDS = loop_words()


def context(library: PackLibrary, texts: SystemTexts, symbols: Symbols, now: datetime, n: int) -> Context:
    return Context(
        now=now, library=library, texts=texts, symbols=symbols,
        office_hours=WeeklyHours.parse("Mon-Fri 09:00-17:00", LONDON), timezone=LONDON, new_id=f"sub-{n}",
        safeguarding=shipped_safeguarding(), loop_words=LOOP_WORDS,
    )


def measure(people: int = 300) -> dict[str, float]:
    library = PackLibrary.load(SHIPPED_PROMPTS)
    texts = SystemTexts.load(SHIPPED_PROMPTS)
    symbols = Symbols.load(SHIPPED_PROMPTS)
    now = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)
    handle(Conversation(), Inbound(text="hi", channel=Channel.SMS, received_at=now),
           context(library, texts, symbols, now, 0))  # warm: meanings and lists load once, as at start-up
    timings: list[float] = []
    count = 0
    for person in range(people):
        conversation = Conversation()
        for text in SCRIPTS[person % len(SCRIPTS)]:
            count += 1
            now += timedelta(seconds=20)
            message = Inbound(text=text, channel=Channel.SMS, received_at=now)
            ctx = context(library, texts, symbols, now, count)  # outside the clock: the first loads the lists
            started = time.perf_counter()
            step = handle(conversation, message, ctx)
            timings.append(time.perf_counter() - started)
            conversation = Conversation.from_dict(step.conversation.to_dict())
    total = sum(timings)
    timings.sort()
    return {
        "messages": len(timings),
        "messages_per_second": round(len(timings) / total, 1),
        "p50_ms": round(statistics.median(timings) * 1000, 3),
        "p99_ms": round(timings[int(len(timings) * 0.99) - 1] * 1000, 3),
    }


async def run(database_url: str | None = None) -> dict[str, float]:
    return measure()
