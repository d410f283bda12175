"""With several schedulers on one database (several processes), each job runs once a tick, not once in each."""

from __future__ import annotations

import asyncio
from collections import Counter

from bot.delivery.scheduler import build_scheduler
from storage.scheduling.ticks import SchedulerTicks

INTERVAL = 0.25  # seconds


async def test_two_schedulers_share_each_tick_of_each_job(database):
    ticks = SchedulerTicks(database)
    ran: Counter[str] = Counter()

    def scheduler_of(worker: str):
        async def dispatch() -> None:
            ran[worker] += 1

        async def purge() -> None:
            ran[f"purge {worker}"] += 1

        async def claim(job: str, tick: int) -> bool:
            return await ticks.claim(job, tick=tick, worker=worker)

        return build_scheduler(dispatch=dispatch, purge=purge, dispatch_seconds=INTERVAL, claim=claim)

    schedulers = [scheduler_of("one"), scheduler_of("two")]
    for scheduler in schedulers:
        scheduler.start()
    await asyncio.sleep(2.6)
    for scheduler in schedulers:
        scheduler.shutdown(wait=False)
    await asyncio.sleep(0.1)
    first, last, runs = (await ticks.runs())["outbox"]
    assert ran["one"] + ran["two"] == runs  # every run was claimed once
    assert runs <= last - first + 1  # at most one run a window: not one in each scheduler
    assert runs >= 6  # and the ticks kept coming (about ten windows passed)
    # Both schedulers fired at start-up; the retention purge ran once.
    assert ran["purge one"] + ran["purge two"] == 1


async def test_a_tick_is_claimed_by_one_worker_only(database):
    ticks = SchedulerTicks(database)
    claims = await asyncio.gather(*(ticks.claim("broadcasts", tick=100, worker=f"w{n}") for n in range(5)))
    assert sum(claims) == 1
    assert await ticks.claim("broadcasts", tick=100, worker="late") is False
    assert await ticks.claim("broadcasts", tick=99, worker="behind") is False  # never backwards
    assert await ticks.claim("broadcasts", tick=101, worker="next") is True
