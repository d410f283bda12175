"""Time: APScheduler ticks that claim due work from the database.

Work lives in tables, not in one job per message, so a tick in any process can pick it up and a
restart loses nothing. Jobs never overlap themselves (max_instances=1) and a missed tick is folded
into the next (coalesce), so a slow tick cannot pile up.
"""

from __future__ import annotations

import logging
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
) -> AsyncIOScheduler:
    """The ticks. `every_minute` / `every_30_seconds` name further ticks (check-ins, duty notices, …)."""
    scheduler = AsyncIOScheduler(timezone=UTC)
    common = {"max_instances": 1, "coalesce": True, "misfire_grace_time": 30}
    scheduler.add_job(_guard(dispatch, "dispatch"), "interval", seconds=dispatch_seconds, id="outbox", **common)
    scheduler.add_job(
        _guard(purge, "purge"), "interval", minutes=15, id="retention",
        next_run_time=datetime.now(UTC), **common,
    )
    for name, job in (every_minute or {}).items():
        scheduler.add_job(_guard(job, name), "interval", minutes=1, id=name, **common)
    for name, job in (every_30_seconds or {}).items():
        scheduler.add_job(_guard(job, name), "interval", seconds=30, id=name, **common)
    return scheduler


def _guard(job: Callable[[], Awaitable[object]], name: str) -> Callable[[], Awaitable[None]]:
    """A failing tick is logged and retried at the next interval instead of killing the job."""

    async def run() -> None:
        try:
            await job()
        except Exception:
            log.exception("%s tick failed; it will run again at the next interval", name)

    run.__name__ = f"tick_{name}"
    return run
