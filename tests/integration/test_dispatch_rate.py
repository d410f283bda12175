"""A channel's configured send rate holds, even with two dispatchers (two processes) at work."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

from bot.dispatcher import Dispatcher
from bot.messages import Say
from bot.wire import message_to_dict
from channels.base import Sent


class TimedSender:
    channel = "sms"
    rate_per_second = 20.0

    def __init__(self) -> None:
        self.times: list[float] = []

    async def send(self, address, messages, *, outbox_id):
        self.times.append(time.monotonic())
        return Sent(provider_id=f"SM{outbox_id}")


class PerPersonSender(TimedSender):
    rate_per_second = 1000.0
    per_address_rate_per_second = 4.0


async def _queue(parts, count: int, people: int) -> None:
    async with parts.store.unit() as uow:
        for n in range(count):
            person = await uow.participant("sms", f"+4477009{n % people:05d}")
            payload = {"messages": [message_to_dict(Say(text=f"news {n}"))]}
            await uow.enqueue(person.id, "sms", "broadcast", payload)


def _real_clock() -> datetime:
    return datetime.now(UTC)


async def test_two_dispatchers_together_hold_the_configured_rate(parts) -> None:
    await _queue(parts, 40, people=40)
    sender = TimedSender()
    workers = [
        Dispatcher(parts.store, {"sms": sender}, parts.dispatcher.quiet, clock=_real_clock, worker=f"w{n}")
        for n in range(2)
    ]
    parts.dispatcher.quiet.is_quiet = lambda when: False  # the rate is the subject here, not the hour
    started = time.monotonic()
    while len(sender.times) < 40 and time.monotonic() - started < 30:
        await asyncio.gather(*(w.tick() for w in workers))
    assert len(sender.times) == 40
    span = max(sender.times) - min(sender.times)
    achieved = (len(sender.times) - 1) / span
    assert abs(achieved - 20.0) / 20.0 < 0.05, f"{achieved:.2f} messages/s"


async def test_one_person_is_not_sent_more_than_their_own_rate(parts) -> None:
    await _queue(parts, 6, people=1)
    sender = PerPersonSender()
    worker = Dispatcher(parts.store, {"sms": sender}, parts.dispatcher.quiet, clock=_real_clock, worker="w")
    parts.dispatcher.quiet.is_quiet = lambda when: False
    started = time.monotonic()
    while len(sender.times) < 6 and time.monotonic() - started < 30:
        await worker.tick()
    gaps = [b - a for a, b in zip(sender.times, sender.times[1:], strict=False)]
    assert min(gaps) >= 0.25 - 0.02
