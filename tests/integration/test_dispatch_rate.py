"""A channel's configured send rate holds, even with two dispatchers (two processes) at work.

Time is frozen and sleeping is recorded rather than done, so this checks the schedule the dispatchers
keep, not the machine's speed (the achieved rate in real time is measured in bench/).
"""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime, timedelta

from bot.delivery.dispatcher import Dispatcher
from bot.messages import Say
from bot.messages_json import message_to_dict
from channels.base import Sent

START = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


class NeverQuiet:
    """The rate is the subject here, not the hour."""

    def is_quiet(self, when: datetime) -> bool:
        return False

    def ends_after(self, when: datetime) -> datetime:
        return when


class ScheduledSender:
    """Records the moment each send was scheduled for (the frozen clock plus the dispatcher's sleep)."""

    channel = "sms"

    def __init__(self, rate: float | None = None, per_person: float | None = None) -> None:
        if rate:
            self.rate_per_second = rate
        if per_person:
            self.per_address_rate_per_second = per_person
        self.sent: list[tuple[datetime, str]] = []
        self.waits: dict[int, float] = {}

    async def send(self, address, messages, *, outbox_id):
        self.sent.append((START + timedelta(seconds=self.waits.get(outbox_id, 0.0)), address))
        return Sent(provider_id=f"SM{outbox_id}")


def _dispatcher(parts, sender: ScheduledSender, worker: str) -> Dispatcher:
    pending: list[float] = []

    async def sleep(seconds: float) -> None:
        pending.append(seconds)
        await asyncio.sleep(0)

    dispatcher = Dispatcher(parts.store, {"sms": sender}, NeverQuiet(), clock=lambda: START, worker=worker,
                            sleep=sleep)
    original = dispatcher._send_at

    async def send_at(item, sender_, at, stats):
        sender.waits[item.id] = (at - START).total_seconds()
        await original(item, sender_, at, stats)

    dispatcher._send_at = send_at  # type: ignore[method-assign]
    return dispatcher


async def _queue(parts, count: int, people: int) -> None:
    async with parts.store.unit() as uow:
        for n in range(count):
            person = await uow.participant("sms", f"+4477009{n % people:05d}")
            payload = {"messages": [message_to_dict(Say(text=f"news {n}"))]}
            await uow.enqueue(person.id, "sms", "broadcast", payload)


def _gaps(times: list[datetime]) -> list[float]:
    ordered = sorted(times)
    return [round((b - a).total_seconds(), 4) for a, b in itertools.pairwise(ordered)]


async def test_two_dispatchers_share_one_schedule_at_the_configured_rate(parts) -> None:
    await _queue(parts, 40, people=40)
    sender = ScheduledSender(rate=20.0)
    workers = [_dispatcher(parts, sender, f"w{n}") for n in range(2)]
    # Small batches make the two workers interleave their claims.
    for worker in workers:
        worker.batch = 7
    for _ in range(10):
        await asyncio.gather(*(w.tick() for w in workers))
    assert len(sender.sent) == 40
    assert set(_gaps([at for at, _ in sender.sent])) == {0.05}


async def test_one_person_waits_their_own_interval_while_others_go_at_the_channel_rate(parts) -> None:
    await _queue(parts, 4, people=1)
    await _queue(parts, 4, people=4)  # n % 4 == 0 is the same person again
    sender = ScheduledSender(rate=100.0, per_person=1.0)
    await _dispatcher(parts, sender, "w").tick()
    assert len(sender.sent) == 8
    busy = sorted(at for at, address in sender.sent if address == "+447700900000")
    assert _gaps(busy) == [1.0] * (len(busy) - 1)
    others = [at for at, address in sender.sent if address != "+447700900000"]
    assert max(others) - START < timedelta(seconds=1)


async def test_a_slot_beyond_the_horizon_goes_back_to_the_table(parts) -> None:
    await _queue(parts, 5, people=5)
    sender = ScheduledSender(rate=0.1)  # one message every ten seconds
    dispatcher = _dispatcher(parts, sender, "w")
    stats = await dispatcher.tick()
    # Claims are capped at what the rate can send within the horizon (20 s here → 2 messages).
    assert stats.claimed == 2 and len(sender.sent) == 2
    counts = await parts.store.outbox_counts()
    assert counts.get("pending") == 3
