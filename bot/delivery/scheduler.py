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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from apscheduler.events import (
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    EVENT_JOB_SUBMITTED,
    JobEvent,
    JobSubmissionEvent,
)
from apscheduler.schedulers.asyncio import AsyncIOScheduler

log = logging.getLogger("said.scheduler")

# A tick is late when it has not started for this many intervals plus STALE_GRACE seconds: one slow tick
# (a busy database) is not yet a stuck scheduler, two missed ones are.
STALE_INTERVALS = 2
STALE_GRACE = 30.0


class TickObserver(Protocol):
    """Told about every tick (metrics listen here)."""

    def tick_started(self, job: str, lag: float) -> None: ...
    def tick_finished(self, job: str, seconds: float, ok: bool) -> None: ...
    def tick_skipped(self, job: str, why: str) -> None: ...


@dataclass
class _Job:
    interval: float
    last_started: float | None = None
    last_finished: float | None = None
    running: bool = False


@dataclass
class TickMonitor:
    """When each tick last ran, so /readyz can say the scheduler is stuck before alerts wait for long.

    Times are `time.monotonic()` seconds; `clock` is there for tests.
    """

    observer: TickObserver | None = None
    clock: Callable[[], float] = time.monotonic
    jobs: dict[str, _Job] = field(default_factory=dict)
    started_at: float | None = None

    def add(self, job: str, interval: float) -> None:
        self.jobs[job] = _Job(interval)

    def start(self) -> None:
        self.started_at = self.clock()

    def began(self, job: str) -> None:
        entry = self.jobs.setdefault(job, _Job(interval=0))
        entry.last_started, entry.running = self.clock(), True

    def ended(self, job: str, ok: bool) -> None:
        entry = self.jobs.setdefault(job, _Job(interval=0))
        now = self.clock()
        entry.last_finished, entry.running = now, False
        if self.observer is not None:
            self.observer.tick_finished(job, now - (entry.last_started or now), ok)

    def late(self) -> list[str]:
        """Ticks that have not started within their interval (twice, plus a grace): the scheduler is stuck."""
        if self.started_at is None:
            return []
        now = self.clock()
        late = []
        for name, entry in self.jobs.items():
            since = entry.last_started if entry.last_started is not None else self.started_at
            if entry.interval and now - since > STALE_INTERVALS * entry.interval + STALE_GRACE:
                late.append(name)
        return sorted(late)

    def listen(self, event: JobEvent) -> None:
        """APScheduler's events: how late each tick started, and ticks skipped because the last still ran."""
        if self.observer is None:
            return
        if isinstance(event, JobSubmissionEvent) and event.code == EVENT_JOB_SUBMITTED:
            due = max(event.scheduled_run_times, default=None)
            lag = (datetime.now(UTC) - due).total_seconds() if due is not None else 0.0
            self.observer.tick_started(event.job_id, max(lag, 0.0))
        elif event.code == EVENT_JOB_MAX_INSTANCES:
            self.observer.tick_skipped(event.job_id, "still_running")
        elif event.code == EVENT_JOB_MISSED:
            self.observer.tick_skipped(event.job_id, "missed")


def build_scheduler(
    *,
    dispatch: Callable[[], Awaitable[object]],
    purge: Callable[[], Awaitable[object]],
    dispatch_seconds: float,
    every_minute: dict[str, Callable[[], Awaitable[object]]] | None = None,
    every_30_seconds: dict[str, Callable[[], Awaitable[object]]] | None = None,
    monitor: TickMonitor | None = None,
    claim: Claim | None = None,
) -> AsyncIOScheduler:
    """The ticks. `every_minute` / `every_30_seconds` name further ticks (check-ins, duty notices, …).

    With `monitor`, every tick's start, end and lateness is recorded there (for /readyz and the metrics).
    `claim(job, tick)` says whether this process runs `tick` of `job`; None runs every tick.
    """
    scheduler = AsyncIOScheduler(timezone=UTC)
    common = {"max_instances": 1, "coalesce": True, "misfire_grace_time": 30}
    jobs: list[tuple[str, str, Callable[[], Awaitable[object]], float]] = [
        ("outbox", "dispatch", dispatch, dispatch_seconds),
        ("retention", "purge", purge, 15 * 60),
        *((name, name, job, 60.0) for name, job in (every_minute or {}).items()),
        *((name, name, job, 30.0) for name, job in (every_30_seconds or {}).items()),
    ]
    for job_id, name, job, seconds in jobs:
        first = {"next_run_time": datetime.now(UTC)} if job_id == "retention" else {}
        if monitor is not None:
            monitor.add(job_id, seconds)
        guarded = _guard(job, name, job_id, monitor, seconds, claim)
        scheduler.add_job(guarded, "interval", seconds=seconds, id=job_id, **first, **common)
    if monitor is not None:
        scheduler.add_listener(monitor.listen, EVENT_JOB_SUBMITTED | EVENT_JOB_MAX_INSTANCES | EVENT_JOB_MISSED)
    return scheduler


Claim = Callable[[str, int], Awaitable[bool]]


def _guard(
    job: Callable[[], Awaitable[object]], name: str, job_id: str, monitor: TickMonitor | None = None,
    seconds: float = 0.0, claim: Claim | None = None,
) -> Callable[[], Awaitable[None]]:
    """A failing tick is logged and retried at the next interval instead of killing the job."""

    async def run() -> None:
        if monitor is not None:
            monitor.began(job_id)
        ok = False
        try:
            if claim is not None and not await claim(job_id, int(time.time() // seconds)):
                ok = True  # another process has this window: nothing failed here
                return
            await job()
            ok = True
        except Exception:
            log.exception("%s tick failed; it will run again at the next interval", name)
        finally:
            if monitor is not None:
                monitor.ended(job_id, ok)

    run.__name__ = f"tick_{name}"
    return run
