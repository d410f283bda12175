"""Prometheus metrics for the service's dashboards, served at /metrics behind SAID_METRICS_TOKEN.

Two kinds:
- counters and histograms this process adds to as things happen (messages in, replies, sends, duty
  notices, ticks, requests); each process has its own, so scrape the web process and the worker
  (`said worker --ops-port`) both;
- gauges read from the database when scraped (the outbox backlog, open alerts and how long the oldest has
  waited), so whichever process is scraped sees the whole service.

Labels are fixed, small sets: channel names, outbox kinds, outcomes, alert levels, tick names, route
templates and status codes. Never an address, a pseudonym, an id or a word anyone wrote.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest

from bot.delivery.dispatcher import DispatchStats
from bot.safeguarding.notify import NoticeStats
from storage.db import Database
from storage.errors import StorageUnavailable
from storage.monitoring import snapshot

log = logging.getLogger("said.metrics")

CONTENT_TYPE = CONTENT_TYPE_LATEST
OUTBOX_STATES = ("due", "waiting", "sending")


class Metrics:
    """The service's metrics, in a registry of their own (so tests and several apps never share counts)."""

    def __init__(self, channels: tuple[str, ...] = ()) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.channels = channels
        self.inbound = Counter(
            "said_inbound_messages", "Messages people sent us, by channel.", ["channel"], registry=r
        )
        self.replies = Counter(
            "said_replies",
            "Answers to people's messages, by channel and how they went: answered (in the webhook's answer), "
            "queued (by the outbox), duplicate (a retried webhook), busy (database unavailable), "
            "unreadable (an address we cannot take).",
            ["channel", "outcome"],
            registry=r,
        )
        self.sends = Counter(
            "said_outbox_sends",
            "Outbox rows dealt with, by channel, kind and outcome: sent, retry, gave_up, deferred, cancelled.",
            ["channel", "kind", "outcome"],
            registry=r,
        )
        self.retries = Counter(
            "said_outbox_retries", "Sends that failed and will be tried again, by channel.", ["channel"], registry=r
        )
        self.give_ups = Counter(
            "said_outbox_give_ups", "Sends that failed for good, by channel.", ["channel"], registry=r
        )
        self.notices = Counter(
            "said_duty_notices",
            "Safeguarding duty notices: by how (email, message) and outcome (sent; failed: will retry; "
            "gave_up: the console shows the alert's notices failed).",
            ["via", "outcome"],
            registry=r,
        )
        self.tick_lag = Histogram(
            "said_scheduler_tick_lag_seconds",
            "How late each scheduler tick started after it was due.",
            ["job"],
            buckets=(0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 300),
            registry=r,
        )
        self.tick_duration = Histogram(
            "said_scheduler_tick_duration_seconds",
            "How long each scheduler tick took.",
            ["job"],
            buckets=(0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 300),
            registry=r,
        )
        self.tick_failures = Counter(
            "said_scheduler_tick_failures", "Scheduler ticks that raised (logged; tried again).", ["job"], registry=r
        )
        self.skipped = Counter(
            "said_scheduler_ticks_skipped",
            "Ticks not run: still_running (the last one had not finished) or missed (too late to run).",
            ["job", "why"],
            registry=r,
        )
        self.last_tick = Gauge(
            "said_scheduler_last_tick_timestamp_seconds",
            "When each tick last finished (Unix time); only in a process that runs the scheduler.",
            ["job"],
            registry=r,
        )
        self.requests = Histogram(
            "said_http_request_duration_seconds",
            "Time to answer HTTP requests, by route template, method and status code.",
            ["route", "method", "status"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=r,
        )
        # Read from the database when scraped.
        self.backlog = Gauge(
            "said_outbox_backlog",
            "Outbox rows not yet settled, by channel and state: due (may go now), waiting (a retry or quiet "
            "hours ahead), sending (claimed by a worker).",
            ["channel", "state"],
            registry=r,
        )
        self.oldest_due = Gauge(
            "said_outbox_oldest_due_age_seconds",
            "How long the oldest due outbox row has waited past its time, by channel (0 when none waits).",
            ["channel"],
            registry=r,
        )
        self.alerts_open = Gauge(
            "said_safeguarding_alerts_open", "Safeguarding alerts not yet closed, by level.", ["level"], registry=r
        )
        self.alerts_unacknowledged = Gauge(
            "said_safeguarding_alerts_unacknowledged",
            "Safeguarding alerts nobody has acknowledged yet, by level.",
            ["level"],
            registry=r,
        )
        self.oldest_unacknowledged = Gauge(
            "said_safeguarding_oldest_unacknowledged_age_seconds",
            "How long the oldest unacknowledged safeguarding alert has waited (0 when none).",
            registry=r,
        )
        self.notices_due = Gauge(
            "said_duty_notices_due", "Alerts whose duty notices are due and not yet sent.", registry=r
        )
        self.oldest_notice_due = Gauge(
            "said_duty_notices_oldest_due_age_seconds",
            "How long the oldest due duty notice has waited (0 when none): above a minute, look at the worker.",
            registry=r,
        )
        self.database_up = Gauge(
            "said_database_up", "1 when the database answered the last scrape's queries, else 0.", registry=r
        )
        for channel in channels:  # series exist from the start, so rates and alerts work before the first message
            self.inbound.labels(channel)
            self.retries.labels(channel)
            self.give_ups.labels(channel)
            self.oldest_due.labels(channel).set(0)

    # -- told as things happen ------------------------------------------------------------------

    def handled(self, channel: str, outcome: str) -> None:
        self.inbound.labels(channel).inc()
        self.replies.labels(channel, outcome).inc()

    def dispatched(self, stats: DispatchStats) -> None:
        for (channel, kind, outcome), n in stats.outcomes.items():
            self.sends.labels(channel, kind, outcome).inc(n)
            if outcome == "retry":
                self.retries.labels(channel).inc(n)
            elif outcome == "gave_up":
                self.give_ups.labels(channel).inc(n)

    def notified(self, stats: NoticeStats) -> None:
        if stats.emailed:
            self.notices.labels("email", "sent").inc(stats.emailed)
        if stats.queued:
            self.notices.labels("message", "sent").inc(stats.queued)
        if stats.retrying:
            self.notices.labels("any", "failed").inc(stats.retrying)
        if stats.failed:
            self.notices.labels("any", "gave_up").inc(stats.failed)

    # TickObserver (bot.delivery.scheduler)
    def tick_started(self, job: str, lag: float) -> None:
        self.tick_lag.labels(job).observe(lag)

    def tick_finished(self, job: str, seconds: float, ok: bool) -> None:
        self.tick_duration.labels(job).observe(seconds)
        self.last_tick.labels(job).set(datetime.now(UTC).timestamp())
        if not ok:
            self.tick_failures.labels(job).inc()

    def tick_skipped(self, job: str, why: str) -> None:
        self.skipped.labels(job, why).inc()

    def request(self, route: str, method: str, status: int, seconds: float) -> None:
        self.requests.labels(route, method, str(status)).observe(seconds)

    # -- read when scraped ----------------------------------------------------------------------

    async def refresh(self, database: Database, now: datetime | None = None) -> None:
        """Set the database gauges. A database that does not answer sets said_database_up 0, never raises."""
        try:
            snap = await snapshot(database, now or datetime.now(UTC))
        except (StorageUnavailable, Exception):  # a scrape reports the database down, it never fails
            log.warning("metrics: the database did not answer; its gauges keep their last values")
            self.database_up.set(0)
            return
        self.database_up.set(1)
        channels = set(self.channels) | {channel for channel, _ in snap.outbox}
        for channel in channels:
            for state in OUTBOX_STATES:
                self.backlog.labels(channel, state).set(snap.outbox.get((channel, state), 0))
            self.oldest_due.labels(channel).set(snap.outbox_oldest_due.get(channel, 0.0))
        for level, n in snap.alerts_open.items():
            self.alerts_open.labels(level).set(n)
        for level, n in snap.alerts_unacknowledged.items():
            self.alerts_unacknowledged.labels(level).set(n)
        self.oldest_unacknowledged.set(snap.oldest_unacknowledged)
        self.notices_due.set(snap.notices_due)
        self.oldest_notice_due.set(snap.oldest_notice_due)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
