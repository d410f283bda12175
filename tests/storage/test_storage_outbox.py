"""The outbox: exclusive claims, leases that survive a crash, retries, and statuses that only move forward."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from storage.conversations.store import Store
from storage.delivery.outbox import claim
from storage.models import OutboxMessage
from storage.privacy.vault import Keys, Vault

PHONE = "+447700900123"


async def _person(store: Store, address: str = PHONE, channel: str = "sms") -> int:
    async with store.unit() as uow:
        return (await uow.participant(channel, address)).id


async def _enqueue(store: Store, participant_id: int, count: int = 1, **options) -> list[int]:
    async with store.unit() as uow:
        return [
            await uow.enqueue(participant_id, options.pop("channel", "sms"), "broadcast", {"n": n}, **options)
            for n in range(count)
        ]


async def _row(store: Store, outbox_id: int):
    async with store.database.engine.connect() as conn:
        return (await conn.execute(select(OutboxMessage).where(OutboxMessage.id == outbox_id))).one()


async def test_a_claimed_item_carries_what_the_sender_needs(timed_store: Store, clock):
    store = timed_store
    person = await _person(store)
    async with store.unit() as uow:
        await uow.save_conversation(person, None, "cy")
        outbox_id = await uow.enqueue(person, "sms", "followup", {"messages": [{"text": "Helo"}]}, direct_reply=True)
    [item] = await store.claim_outbox("worker-a", now=clock.now)
    assert (item.id, item.participant_id, item.channel, item.kind) == (outbox_id, person, "sms", "followup")
    assert (item.payload, item.direct_reply, item.attempts, item.max_attempts) == (
        {"messages": [{"text": "Helo"}]},
        True,
        1,
        5,
    )
    assert (item.address, item.stopped, item.language, item.created_at) == (PHONE, False, "cy", clock.now)
    assert PHONE not in repr(item)
    row = await _row(store, outbox_id)
    assert (row.status, row.claimed_by, row.lease_until) == (
        "sending",
        "worker-a",
        clock.now + timedelta(seconds=60),
    )


async def test_nothing_is_claimed_before_it_is_due_or_on_another_channel(timed_store: Store, clock):
    store = timed_store
    person = await _person(store)
    [later] = await _enqueue(store, person, not_before=clock.now + timedelta(hours=1))
    [telegram] = await _enqueue(store, person, channel="telegram")
    assert await store.claim_outbox("w", now=clock.now, channels={"sms"}) == []
    assert await store.claim_outbox("w", now=clock.now, channels=set()) == []
    assert [i.id for i in await store.claim_outbox("w", now=clock.now, channels={"telegram"})] == [telegram]
    await store.mark_sent(telegram, "tg-1")
    assert [i.id for i in await store.claim_outbox("w", now=clock.advance(hours=1))] == [later]


async def test_claims_are_exclusive_and_in_order(timed_store: Store, clock):
    store = timed_store
    ids = await _enqueue(store, await _person(store), count=7)
    first = await store.claim_outbox("a", now=clock.now, limit=4)
    second = await store.claim_outbox("b", now=clock.now, limit=4)
    assert [i.id for i in first] == ids[:4]
    assert [i.id for i in second] == ids[4:]
    assert await store.claim_outbox("c", now=clock.now) == []


async def test_many_concurrent_claimers_never_share_a_row(timed_store: Store, clock):
    store = timed_store
    ids = await _enqueue(store, await _person(store), count=40)
    batches = await asyncio.gather(*(store.claim_outbox(f"w{n}", now=clock.now, limit=7) for n in range(8)))
    claimed = [item.id for batch in batches for item in batch]
    assert sorted(claimed) == sorted(ids)  # every row once, none twice, none lost


async def test_postgres_claimers_skip_rows_locked_by_another_session(timed_store: Store, clock, keys: Keys):
    store = timed_store
    if not store.database.is_postgres:
        pytest.skip("SQLite has one writer at a time; SKIP LOCKED is a PostgreSQL behaviour")
    ids = await _enqueue(store, await _person(store), count=6)
    async with store.database.engine.connect() as held:
        await held.begin()
        mine = await claim(held, Vault(keys), "slow", now=clock.now, limit=3, lease=timedelta(minutes=1), channels=None)
        # The first session has not committed: its rows are locked, the others are free.
        theirs = await asyncio.wait_for(store.claim_outbox("fast", now=clock.now, limit=10), timeout=5)
        await held.commit()
    assert [i.id for i in mine] == ids[:3]
    assert [i.id for i in theirs] == ids[3:]


async def test_a_crashed_workers_rows_are_reclaimed_when_the_lease_runs_out(timed_store: Store, clock):
    store = timed_store
    ids = await _enqueue(store, await _person(store), count=3)
    crashed = await store.claim_outbox("crashed", now=clock.now, lease=timedelta(seconds=60))
    assert len(crashed) == 3
    # Still leased: nobody else may take them.
    assert await store.claim_outbox("rescuer", now=clock.advance(seconds=59)) == []
    rescued = await store.claim_outbox("rescuer", now=clock.advance(seconds=2))
    assert [i.id for i in rescued] == ids
    assert [i.attempts for i in rescued] == [2, 2, 2]
    for item in rescued:
        await store.mark_sent(item.id, f"SM{item.id}")
    assert (await store.outbox_counts())["sent"] == 3


async def test_a_row_that_keeps_crashing_the_worker_is_given_up(timed_store: Store, clock):
    store = timed_store
    [poison] = await _enqueue(store, await _person(store), max_attempts=2)
    assert len(await store.claim_outbox("w", now=clock.now)) == 1
    assert len(await store.claim_outbox("w", now=clock.advance(minutes=2))) == 1
    assert await store.claim_outbox("w", now=clock.advance(minutes=2)) == []
    row = await _row(store, poison)
    assert (row.status, row.attempts, row.last_error) == (
        "failed",
        2,
        "sending was interrupted too many times",
    )


async def test_failures_back_off_then_give_up_keeping_the_reason(timed_store: Store, clock):
    store = timed_store
    [outbox_id] = await _enqueue(store, await _person(store), max_attempts=3)
    for attempt in (1, 2):
        [item] = await store.claim_outbox("w", now=clock.now)
        assert item.attempts == attempt
        retry_at = clock.now + timedelta(minutes=attempt)
        assert await store.mark_failed(outbox_id, "provider timeout", retry_at=retry_at) == "pending"
        assert await store.claim_outbox("w", now=clock.advance(minutes=attempt) - timedelta(seconds=1)) == []
        clock.advance(seconds=1)
    [item] = await store.claim_outbox("w", now=clock.now)
    assert item.attempts == 3
    # Attempts used up: even with a retry time, the row fails for good.
    assert await store.mark_failed(outbox_id, "To number +447700900123 unreachable", retry_at=clock.now) == "failed"
    row = await _row(store, outbox_id)
    assert (row.status, row.last_error) == ("failed", "To number [phone number] unreachable")
    assert await store.claim_outbox("w", now=clock.advance(days=1)) == []
    assert await store.mark_failed(outbox_id, "again", retry_at=None) is None  # no longer ours


async def test_a_permanent_failure_does_not_retry(timed_store: Store, clock):
    store = timed_store
    [outbox_id] = await _enqueue(store, await _person(store))
    await store.claim_outbox("w", now=clock.now)
    assert await store.mark_failed(outbox_id, "blocked by the person", retry_at=None) == "failed"
    assert (await store.outbox_counts())["failed"] == 1


async def test_deferring_does_not_use_up_attempts(timed_store: Store, clock):
    store = timed_store
    [outbox_id] = await _enqueue(store, await _person(store), max_attempts=1)
    for _ in range(3):  # quiet hours, night after night
        [item] = await store.claim_outbox("w", now=clock.now)
        assert item.attempts == 1
        await store.defer(outbox_id, clock.now + timedelta(hours=10))
        assert await store.claim_outbox("w", now=clock.now) == []
        clock.advance(hours=10)
    assert (await _row(store, outbox_id)).attempts == 0


async def test_cancel_stops_a_row_for_good(timed_store: Store, clock):
    store = timed_store
    [outbox_id] = await _enqueue(store, await _person(store))
    await store.claim_outbox("w", now=clock.now)
    await store.cancel(outbox_id, "the person asked us to stop")
    row = await _row(store, outbox_id)
    assert (row.status, row.last_error) == ("cancelled", "the person asked us to stop")
    assert await store.record_status(outbox_id, "delivered") is False
    assert await store.claim_outbox("w", now=clock.advance(days=1)) == []


async def test_delivery_status_never_moves_backwards(timed_store: Store, clock):
    store = timed_store
    first, second, third = await _enqueue(store, await _person(store), count=3)
    await store.claim_outbox("w", now=clock.now)
    await store.mark_sent(first, "SMa", segments=2, encoding="UCS-2")
    assert await store.record_status("SMa", "queued") is False  # "sending"-like reports change nothing
    assert await store.record_status("SMa", "delivered") is True
    assert await store.record_status("SMa", "sent") is False
    assert await store.record_status("SMa", "undelivered") is False
    row = await _row(store, first)
    assert (row.status, row.provider_id, row.segments, row.encoding) == ("delivered", "SMa", 2, "UCS-2")

    await store.mark_sent(second, "SMb")
    assert await store.record_status("SMb", "undelivered") is True
    assert await store.record_status("SMb", "delivered") is False  # failed is final
    assert (await _row(store, second)).last_error == "the provider reported the message as undelivered"

    # A delivery report that beats mark_sent is kept; by outbox id too (web chat has no provider id).
    assert await store.record_status(third, "delivered") is True
    await store.mark_sent(third, "web-3")
    row = await _row(store, third)
    assert (row.status, row.provider_id) == ("delivered", "web-3")
    assert await store.record_status("no-such-id", "delivered") is False
    assert await store.record_status("SMa", "exploded") is False
    with pytest.raises(TypeError):
        await store.record_status(True, "sent")
    assert await store.outbox_counts() == {
        "pending": 0,
        "sending": 0,
        "sent": 0,
        "delivered": 2,
        "failed": 1,
        "cancelled": 0,
    }


async def test_a_stopped_or_forgotten_person_is_visible_at_claim_time(timed_store: Store, clock):
    store = timed_store
    stopped = await _person(store, "+447700900111")
    purged = await _person(store, "+447700900222")
    await _enqueue(store, stopped)
    await _enqueue(store, purged)
    async with store.unit() as uow:
        await uow.set_consent(stopped, "updates", True)  # keeps this address past the retention period
    await store.stop_participant(stopped)
    await store.purge(clock.advance(days=31))  # the second person's address has expired
    items = {item.participant_id: item for item in await store.claim_outbox("w", now=clock.now)}
    assert (items[stopped].stopped, items[stopped].address) == (True, "+447700900111")
    assert (items[purged].stopped, items[purged].address) == (False, None)


async def test_enqueue_checks_its_input(store: Store):
    person = await _person(store)
    with pytest.raises(ValueError, match="kind"):
        async with store.unit() as uow:
            await uow.enqueue(person, "sms", "spam", {})
    with pytest.raises(ValueError, match="max_attempts"):
        async with store.unit() as uow:
            await uow.enqueue(person, "sms", "reply", {}, max_attempts=0)
    with pytest.raises(TypeError):
        async with store.unit() as uow:
            await uow.enqueue(person, "sms", "reply", {"when": object()})
    assert (await store.outbox_counts())["pending"] == 0
