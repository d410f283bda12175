"""The daily cap held again as rows are claimed: today's sent and in-flight proactive messages count."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlalchemy import select

from storage.conversations.store import Store
from storage.delivery.outbox import DailyCap
from storage.models import OutboxMessage

PHONE = "+447700900123"
OTHER = "+447700900456"


def _cap(day: datetime, cap: int = 2) -> DailyCap:
    """`day`'s cap (the clock's zone is UTC here); a held row waits until 08:00 the next day."""
    start = day.replace(hour=0, minute=0, second=0, microsecond=0)
    end = start + timedelta(days=1)
    return DailyCap(cap, start, end, resume_at=end + timedelta(hours=8))


async def _person(store: Store, address: str = PHONE) -> int:
    async with store.unit() as uow:
        return (await uow.participant("sms", address)).id


async def _enqueue(store: Store, person: int, *kinds: str) -> list[int]:
    async with store.unit() as uow:
        return [
            await uow.enqueue(person, "sms", kind, {"kind": kind}, direct_reply=kind in ("reply", "alert"))
            for kind in kinds
        ]


async def _row(store: Store, outbox_id: int):
    async with store.database.engine.connect() as conn:
        return (await conn.execute(select(OutboxMessage).where(OutboxMessage.id == outbox_id))).one()


async def _sent(store: Store, person: int, kind: str = "broadcast") -> int:
    """One message of `kind` sent to `person` at the clock's now."""
    [outbox_id] = await _enqueue(store, person, kind)
    [item] = await store.claim_outbox("w", now=store._clock())
    assert item.id == outbox_id
    await store.mark_sent(outbox_id, f"SM{outbox_id}")
    return outbox_id


async def test_rows_over_the_cap_wait_for_the_next_day_with_no_attempt_counted(timed_store: Store, clock):
    store = timed_store
    person = await _person(store)
    first, second, third, fourth = await _enqueue(store, person, "broadcast", "followup", "broadcast", "reminder")
    cap = _cap(clock.now)
    items = await store.claim_outbox("w", now=clock.now, cap=cap)
    assert [item.id for item in items] == [first, second], "the earliest go first"
    for item in items:
        await store.mark_sent(item.id, f"SM{item.id}")
    for held in (third, fourth):
        row = await _row(store, held)
        assert (row.status, row.next_attempt_at, row.attempts, row.lease_until) == (
            "pending", cap.resume_at, 0, None
        )
    assert await store.claim_outbox("w", now=clock.advance(hours=13), cap=cap) == []  # 23:00
    tomorrow = clock.advance(hours=9)  # 08:00 the next day
    items = await store.claim_outbox("w", now=tomorrow, cap=_cap(tomorrow))
    assert [item.id for item in items] == [third, fourth]


async def test_the_count_is_what_was_sent_today_and_what_is_in_flight(timed_store: Store, clock):
    store = timed_store
    person = await _person(store)
    clock.advance(days=-1)
    await _sent(store, person)  # yesterday: not today's
    clock.advance(days=1)
    await _sent(store, person, "reply")  # an answer to their own message: never counted
    await _sent(store, person)  # counted
    [failed, cancelled] = await _enqueue(store, person, "broadcast", "reminder")
    await store.claim_outbox("w", now=clock.now)
    await store.mark_failed(failed, "a landline", retry_at=None)  # never reached them
    await store.cancel(cancelled, "the person asked us to stop")
    [in_flight] = await _enqueue(store, person, "followup")
    await store.claim_outbox("other-worker", now=clock.now)  # another worker is sending it: counted

    first, second = await _enqueue(store, person, "broadcast", "broadcast")
    items = await store.claim_outbox("w", now=clock.now, cap=_cap(clock.now, 3))
    assert [item.id for item in items] == [first]
    assert (await _row(store, second)).status == "pending"
    assert (await _row(store, in_flight)).status == "sending"


async def test_replies_and_alerts_are_never_held_and_each_person_counts_alone(timed_store: Store, clock):
    store = timed_store
    person, other = await _person(store), await _person(store, OTHER)
    await _sent(store, person)
    reply, alert, broadcast = await _enqueue(store, person, "reply", "alert", "broadcast")
    [theirs] = await _enqueue(store, other, "broadcast")
    items = await store.claim_outbox("w", now=clock.now, cap=_cap(clock.now, 1))
    assert sorted(item.id for item in items) == sorted([reply, alert, theirs])
    assert (await _row(store, broadcast)).next_attempt_at == _cap(clock.now).resume_at


async def test_two_workers_claiming_at_once_stay_within_the_cap(timed_store: Store, clock):
    # Each worker claims one row for the same person at the same moment; on PostgreSQL both claims run
    # side by side (SKIP LOCKED gives them different rows), so each must see the other's.
    store = timed_store
    people = [await _person(store, f"+4477009001{n:02d}") for n in range(8)]
    for kind in ("broadcast", "followup"):  # a person's two rows are 8 apart: different workers get them
        for person in people:
            await _enqueue(store, person, kind)
    cap = _cap(clock.now, 1)
    for _ in range(2):
        claims = await asyncio.gather(
            *(store.claim_outbox(f"w{n}", now=clock.now, limit=1, cap=cap) for n in range(16))
        )
        got: dict[int, int] = {}
        for item in (item for items in claims for item in items):
            got[item.participant_id] = got.get(item.participant_id, 0) + 1
            await store.mark_sent(item.id, f"SM{item.id}")
        assert all(n <= 1 for n in got.values()), got
    counts = await store.outbox_counts()
    assert (counts["sent"], counts["pending"]) == (8, 8)


async def test_a_stopped_persons_rows_are_not_held_but_left_for_the_dispatcher_to_cancel(timed_store: Store, clock):
    store = timed_store
    person = await _person(store)
    await _sent(store, person)
    [broadcast] = await _enqueue(store, person, "broadcast")
    await store.stop_participant(person)
    [item] = await store.claim_outbox("w", now=clock.now, cap=_cap(clock.now, 1))
    assert (item.id, item.stopped) == (broadcast, True)
