"""The outbox: nothing lost in a crash, quiet hours held, stop status checked at send time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.delivery.dispatcher import Dispatcher
from bot.messages import Say
from bot.messages_json import message_to_dict
from channels.base import SendFailed, Sent


class Killed(BaseException):
    """Stands for the process dying mid-batch: not an Exception, so nothing catches it."""


class RecordingSender:
    channel = "sms"

    def __init__(self, *, die_after: int | None = None, fail_with: SendFailed | None = None) -> None:
        self.sent: list[tuple[str, str]] = []
        self.die_after = die_after
        self.fail_with = fail_with

    async def send(self, address, messages, *, outbox_id):
        if self.die_after is not None and len(self.sent) >= self.die_after:
            raise Killed
        if self.fail_with is not None:
            raise self.fail_with
        self.sent.append((address, messages[0].text))
        return Sent(provider_id=f"SM{outbox_id}")


async def _queue(parts, count: int, *, direct: bool = False, address: str = "+447700900001") -> list[int]:
    ids = []
    async with parts.store.unit() as uow:
        person = await uow.participant("sms", address)
        for n in range(count):
            payload = {"messages": [message_to_dict(Say(text=f"update {n}"))]}
            ids.append(await uow.enqueue(person.id, "sms", "broadcast", payload, direct_reply=direct))
    return ids


def _dispatcher(parts, sender, clock, worker: str) -> Dispatcher:
    return Dispatcher(parts.store, {"sms": sender}, parts.dispatcher.quiet, batch=10,
                      lease=timedelta(seconds=60), clock=clock, worker=worker)


async def test_a_dispatcher_killed_mid_batch_loses_nothing(parts, clock) -> None:
    await _queue(parts, 10)
    dying = RecordingSender(die_after=4)
    with pytest.raises(Killed):
        await _dispatcher(parts, dying, clock, "worker-a").tick()
    assert len(dying.sent) == 4

    survivor = RecordingSender()
    # Before the lease runs out, the dead worker's rows are not touched.
    assert (await _dispatcher(parts, survivor, clock, "worker-b").tick()).claimed == 0
    clock.advance(seconds=61)
    stats = await _dispatcher(parts, survivor, clock, "worker-b").tick()
    texts = sorted(t for _, t in dying.sent + survivor.sent)
    # Everything arrives; at most the ones in flight at the crash arrive twice.
    assert set(texts) == {f"update {n}" for n in range(10)}
    assert len(texts) - len(set(texts)) <= 10 - 4
    assert stats.sent == len(survivor.sent)
    counts = await parts.store.outbox_counts()
    assert counts.get("sent", 0) == 10 and counts.get("pending", 0) == 0 and counts.get("sending", 0) == 0


async def test_quiet_hours_hold_a_broadcast_until_morning_but_not_a_direct_reply(parts, clock) -> None:
    clock.now = datetime(2026, 11, 24, 23, 0, tzinfo=UTC)  # 23:00 in London in winter
    await _queue(parts, 1)
    await _queue(parts, 1, direct=True, address="+447700900002")
    sender = RecordingSender()
    stats = await _dispatcher(parts, sender, clock, "w").tick()
    assert stats.sent == 1 and stats.deferred == 1
    assert sender.sent[0][0] == "+447700900002"

    clock.now = datetime(2026, 11, 25, 7, 59, tzinfo=UTC)
    assert (await _dispatcher(parts, sender, clock, "w").tick()).sent == 0
    clock.now = datetime(2026, 11, 25, 8, 0, 30, tzinfo=UTC)
    assert (await _dispatcher(parts, sender, clock, "w").tick()).sent == 1


async def test_stop_status_is_checked_at_the_moment_of_sending(parts, clock) -> None:
    await _queue(parts, 2)
    async with parts.store.unit() as uow:
        person = await uow.participant("sms", "+447700900001")
        await uow.set_stopped(person.id, True)
    sender = RecordingSender()
    stats = await _dispatcher(parts, sender, clock, "w").tick()
    assert sender.sent == [] and stats.cancelled == 2


async def test_retryable_failures_back_off_then_give_up_with_the_reason_kept(parts, clock) -> None:
    await _queue(parts, 1)
    sender = RecordingSender(fail_with=SendFailed("provider busy", retryable=True))
    dispatcher = _dispatcher(parts, sender, clock, "w")
    assert (await dispatcher.tick()).retried == 1
    assert (await dispatcher.tick()).claimed == 0, "a retry waits for its back-off"
    for _ in range(10):
        clock.advance(hours=2)
        await dispatcher.tick()
    counts = await parts.store.outbox_counts()
    assert counts.get("failed") == 1


async def test_an_opt_out_at_the_provider_stops_the_person(parts, clock) -> None:
    await _queue(parts, 2)
    sender = RecordingSender(fail_with=SendFailed("opted out (21610)", retryable=False, stop_contact=True))
    await _dispatcher(parts, sender, clock, "w").tick()
    async with parts.store.unit() as uow:
        person = await uow.participant("sms", "+447700900001", create=False)
    assert person.stopped
