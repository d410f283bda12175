"""Time: APScheduler ticks that claim due work from the database.

Work lives in tables, not in one job per message, so a tick in any process can pick it up and a
restart loses nothing. Jobs never overlap themselves (max_instances=1) and a missed tick is folded
into the next (coalesce), so a slow tick cannot pile up.

With `claim` (several processes on one PostgreSQL database), each job's interval is cut into windows
(epoch seconds // interval) and a process runs a job only when it claims that window first in the database
(storage/scheduling/ticks.py): each job runs once a window across all processes, not once in each.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

log = logging.getLogger("said.scheduler")


def build_scheduler(
    *,
    dispatch: Callable[[], Awaitable[object]],
    purge: Callable[[], Awaitable[object]],
    dispatch_seconds: float,
    every_minute: dict[str, Callable[[], Awaitable[object]]] | None = None,
    every_30_seconds: dict[str, Callable[[], Awaitable[object]]] | None = None,
    claim: Claim | None = None,
) -> AsyncIOScheduler:
    """The ticks. `every_minute` / `every_30_seconds` name further ticks (check-ins, duty notices, …).

    `claim(job, tick)` says whether this process runs `tick` of `job` (see above); None runs every tick."""
    scheduler = AsyncIOScheduler(timezone=UTC)
    common = {"max_instances": 1, "coalesce": True, "misfire_grace_time": 30}

    def add(job: Callable[[], Awaitable[object]], name: str, seconds: float, **extra: object) -> None:
        guarded = _guard(job, name, seconds, claim)
        scheduler.add_job(guarded, "interval", seconds=seconds, id=name, **common, **extra)

    add(dispatch, "outbox", dispatch_seconds)
    add(purge, "retention", 15 * 60, next_run_time=datetime.now(UTC))
    for name, job in (every_minute or {}).items():
        add(job, name, 60)
    for name, job in (every_30_seconds or {}).items():
        add(job, name, 30)
    return scheduler


Claim = Callable[[str, int], Awaitable[bool]]


def _guard(
    job: Callable[[], Awaitable[object]], name: str, seconds: float, claim: Claim | None
) -> Callable[[], Awaitable[None]]:
    """A failing tick is logged and retried at the next interval instead of killing the job."""

    async def run() -> None:
        try:
            if claim is not None and not await claim(name, int(time.time() // seconds)):
                return  # another process has this window
            await job()
        except Exception:
            log.exception("%s tick failed; it will run again at the next interval", name)

    run.__name__ = f"tick_{name}"
    return run
