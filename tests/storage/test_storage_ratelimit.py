"""Send-rate slots: evenly spaced, never shared, and held by every process on one database."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime, timedelta

from storage.conversations.store import Store


async def test_an_idle_key_sends_now_and_the_next_waits_one_interval(store) -> None:
    now = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    first = await store.reserve_slot("sms", now=now, interval=0.5)
    second = await store.reserve_slot("sms", now=now, interval=0.5)
    assert first == now
    assert second == now + timedelta(seconds=0.5)


async def test_a_key_that_went_quiet_starts_again_from_now(store) -> None:
    now = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    await store.reserve_slot("sms", now=now, interval=1)
    later = now + timedelta(minutes=5)
    assert await store.reserve_slot("sms", now=later, interval=1) == later


async def test_keys_are_independent(store) -> None:
    now = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    await store.reserve_slot("telegram", now=now, interval=1)
    assert await store.reserve_slot("telegram:p1", now=now, interval=1) == now


async def test_concurrent_reservations_from_two_stores_get_distinct_evenly_spaced_slots(database, keys) -> None:
    # Two Store objects stand for two processes sharing one database.
    stores = [Store(database, keys), Store(database, keys)]
    now = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    slots = await asyncio.gather(
        *(stores[n % 2].reserve_slot("sms", now=now, interval=0.1) for n in range(40))
    )
    ordered = sorted(slots)
    assert len(set(ordered)) == 40
    gaps = {round((b - a).total_seconds(), 4) for a, b in itertools.pairwise(ordered)}
    assert gaps == {0.1}
    assert ordered[0] == now


async def test_purge_drops_slots_that_no_longer_limit_anything(store) -> None:
    now = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    await store.reserve_slot("telegram:p1", now=now, interval=1)
    await store.reserve_slot("telegram:p2", now=now + timedelta(hours=2), interval=1)
    removed = await store.purge(now + timedelta(hours=2))
    assert removed["rate_slots"] == 1
    # The live key keeps its place in the queue.
    assert await store.reserve_slot("telegram:p2", now=now + timedelta(hours=2), interval=1) > now + timedelta(hours=2)


async def test_admit_lets_a_burst_through_then_refuses_without_pushing_the_wait_out(store) -> None:
    now = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    results = [await store.admit("web:a", now=now, interval=2, burst=3) for _ in range(6)]
    assert results[:3] == [None, None, None]
    assert all(wait is not None and 0 < wait <= 2 for wait in results[3:])
    # Hammering does not make it worse: one interval later, one more goes through.
    later = now + timedelta(seconds=2)
    assert await store.admit("web:a", now=later, interval=2, burst=3) is None
    assert await store.admit("web:a", now=later, interval=2, burst=3) is not None
    assert await store.admit("web:b", now=later, interval=2, burst=3) is None  # keys are independent


async def test_admit_each_asks_the_keys_in_turn_and_stops_at_the_first_refusal(store) -> None:
    """A web chat post is limited by its address, then by its chat: one transaction, the same answers."""
    now = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    address, chat = ("web-a:1", 2.0, 2), ("web-s:1", 10.0, 1)
    assert await store.admit_each([address, chat], now=now) is None
    wait = await store.admit_each([address, chat], now=now)
    assert wait is not None and 0 < wait <= 10, "the chat's own limit refuses its second post"
    wait = await store.admit_each([address, chat], now=now)
    assert wait is not None and 0 < wait <= 2, "now the address's budget is spent too, and it answers first"
    later = now + timedelta(seconds=10)
    assert await store.admit_each([address, chat], now=later) is None, "a refusal did not push the chat's wait out"
    assert await store.admit_each([], now=later) is None


async def test_admit_holds_for_many_callers_at_once(store) -> None:
    now = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    results = await asyncio.gather(*(store.admit("web:c", now=now, interval=1, burst=5) for _ in range(20)))
    assert sum(r is None for r in results) == 5


async def test_blocked_reads_a_spent_budget(store) -> None:
    now = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    assert await store.rate_blocked("bad:x", now=now, interval=10, burst=3) is None
    for _ in range(3):
        await store.charge("bad:x", now=now, interval=10)
    assert await store.rate_blocked("bad:x", now=now, interval=10, burst=3) is not None
    assert await store.rate_blocked("bad:x", now=now + timedelta(seconds=31), interval=10, burst=3) is None
