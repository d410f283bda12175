"""The outbox dispatcher: claims due rows and sends them through the channel adapters.

Rows are claimed atomically with a lease, so several processes can tick at once and a process that
dies mid-batch loses nothing: its rows are claimed again when the lease runs out. At most what was in
flight at the crash is sent twice.

With `daily_cap` (SAID_DAILY_MESSAGE_CAP), a person gets at most that many proactive messages
(broadcasts, follow-ups, reminders) in a local day, counted as they are sent: one that would go over
waits for the next day, outside quiet hours. Replies to a person's own message are never held.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.hours import QuietHours, local_day
from bot.messages_json import message_from_dict
from channels.base import Sender, SendFailed
from storage.conversations.records import OutboxItem
from storage.conversations.store import StorageUnavailable, Store
from storage.delivery.outbox import DailyCap

log = logging.getLogger("said.dispatcher")

BASE_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=1)


@dataclass
class DispatchStats:
    claimed: int = 0
    sent: int = 0
    deferred: int = 0
    failed: int = 0
    retried: int = 0
    cancelled: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)
    # (channel, kind, outcome) -> rows, outcome one of OUTCOMES: what the metrics count.
    outcomes: dict[tuple[str, str, str], int] = field(default_factory=dict)

    def count(self, item: OutboxItem, outcome: str) -> None:
        key = (item.channel, item.kind, outcome)
        self.outcomes[key] = self.outcomes.get(key, 0) + 1


# What became of a claimed row in one tick: sent; retry (failed, tried again later); gave_up (failed for
# good); deferred (back to the table for later: quiet hours, the rate, the daily cap); cancelled (stopped).
OUTCOMES = ("sent", "retry", "gave_up", "deferred", "cancelled")


def backoff(attempts: int, retry_after: float | None = None) -> timedelta:
    """Exponential back-off with jitter; a provider's own retry-after wins when it is longer."""
    wait = min(BASE_BACKOFF * (2 ** max(attempts - 1, 0)), MAX_BACKOFF)
    wait = wait * (0.75 + random.random() / 2)  # jitter keeps many workers from retrying in step
    if retry_after is not None:
        wait = max(wait, timedelta(seconds=retry_after))
    return wait


def _staff_reply(item: OutboxItem) -> bool:
    """A reply a staff member wrote in the inbox (bot/web/staff/inbox), not the bot's answer to a message."""
    return isinstance(item.payload, dict) and item.payload.get("case_id") is not None


class Dispatcher:
    def __init__(
        self,
        store: Store,
        senders: dict[str, Sender],
        quiet: QuietHours,
        *,
        batch: int = 50,
        lease: timedelta = timedelta(seconds=60),
        clock: Callable[[], datetime] | None = None,
        worker: str | None = None,
        horizon: timedelta = timedelta(seconds=20),
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        daily_cap: int | None = None,
    ) -> None:
        if daily_cap is not None and daily_cap < 1:
            raise ValueError("the daily message cap is at least 1")
        self.store = store
        self.senders = senders
        self.quiet = quiet
        self.batch = batch
        self.lease = lease
        self._clock = clock or (lambda: datetime.now(UTC))
        self.worker = worker or f"{socket.gethostname()}:{os.getpid()}"
        self._wake = asyncio.Event()
        # How far ahead a rate slot may be before the row goes back to the table instead of waiting here.
        self.horizon = min(horizon, lease / 2)
        self._sleep = sleep
        self.daily_cap = daily_cap
        # Told the statistics of every tick (the metrics), which would otherwise be thrown away.
        self.on_tick: Callable[[DispatchStats], None] | None = None

    def kick(self) -> None:
        """Ask for a tick now (a reply was just queued) instead of at the next interval."""
        self._wake.set()

    async def run_on_kick(self) -> None:
        """Background loop: tick whenever kicked. Ticks claim atomically, so overlap with the
        scheduler's interval tick is safe."""
        while True:
            await self._wake.wait()
            self._wake.clear()
            try:
                await self.tick()
            except Exception:
                log.exception("kicked outbox tick failed; the interval tick will retry")

    async def tick(self) -> DispatchStats:
        """Claim due rows for every channel and deal with each. Safe to call from several processes.

        Channels run side by side, so a slow, rate-limited channel never holds up another.
        """
        stats = DispatchStats()
        now = self._clock()
        await asyncio.gather(*(self._channel_tick(name, sender, now, stats) for name, sender in self.senders.items()))
        if self.on_tick is not None:
            self.on_tick(stats)
        return stats

    async def _channel_tick(self, channel: str, sender: Sender, now: datetime, stats: DispatchStats) -> None:
        rate = getattr(sender, "rate_per_second", None)
        # Claim no more than the rate can send within the horizon: rows left in the table are free for
        # other workers, and a claimed row's lease never runs out while it waits for its slot.
        limit = self.batch if not rate else max(1, min(self.batch, int(rate * self.horizon.total_seconds())))
        try:
            items = await self.store.claim_outbox(
                self.worker, now=now, limit=limit, lease=self.lease, channels={channel}, cap=self._cap(now)
            )
        except StorageUnavailable:
            log.warning("outbox tick for %s skipped: database unavailable", channel)
            return
        stats.claimed += len(items)
        sends: list[asyncio.Task[None]] = []
        for item in items:
            if not await self._ready(item, now, stats):
                continue
            # Reserve against the clock as it is now, and start the send straight away: a slot reserved
            # early but used late would let a backlog go out in a burst above the rate.
            reserved_at = self._clock()
            at = await self._slot(sender, item, reserved_at)
            if at - reserved_at > self.horizon:
                await self.store.defer(item.id, at)
                stats.deferred += 1
                stats.count(item, "deferred")
                continue
            sends.append(asyncio.create_task(self._send_at(item, sender, at, stats)))
        await asyncio.gather(*sends)
        if len(items) == limit:
            # A full batch means more is due: go again as soon as this one is out, not at the next
            # interval. (Not before: slots reserved beyond the horizon would be wasted.)
            self.kick()

    def _cap(self, now: datetime) -> DailyCap | None:
        """Today's cap (the service's local day); a row over it waits for tomorrow's first allowed moment."""
        if self.daily_cap is None:
            return None
        start, end = local_day(now, self.quiet.zone)
        return DailyCap(self.daily_cap, start, end, resume_at=self.quiet.ends_after(end))

    async def _ready(self, item: OutboxItem, now: datetime, stats: DispatchStats) -> bool:
        """Whether the row may be sent now; settles it (cancel, fail, defer) when not."""
        if item.stopped and (item.kind != "reply" or _staff_reply(item)):
            # Stop status is checked at the moment of sending, not only when the message was planned. A reply
            # to the message that said STOP still goes ("You will get no more messages"); a staff member's does not.
            await self.store.cancel(item.id, "the person asked us to stop")
            stats.cancelled += 1
            stats.count(item, "cancelled")
            return False
        if item.address is None:
            await self.store.mark_failed(item.id, "no contact details: the person was forgotten", retry_at=None)
            stats.failed += 1
            stats.count(item, "gave_up")
            return False
        if not item.direct_reply and self.quiet.is_quiet(now):
            await self.store.defer(item.id, self.quiet.ends_after(now))
            stats.deferred += 1
            stats.count(item, "deferred")
            return False
        return True

    async def _slot(self, sender: Sender, item: OutboxItem, now: datetime) -> datetime:
        """The moment this row may go under the channel's overall and per-person rates."""
        at = now
        rate = getattr(sender, "rate_per_second", None)
        if rate:
            at = max(at, await self.store.reserve_slot(item.channel, now=now, interval=1 / rate))
        per_person = getattr(sender, "per_address_rate_per_second", None)
        if per_person:
            key = f"{item.channel}:p{item.participant_id}"
            at = max(at, await self.store.reserve_slot(key, now=now, interval=1 / per_person))
        return at

    async def _send_at(self, item: OutboxItem, sender: Sender, at: datetime, stats: DispatchStats) -> None:
        wait = (at - self._clock()).total_seconds()
        if wait > 0:
            await self._sleep(wait)
        now = self._clock()
        messages = [message_from_dict(m) for m in item.payload.get("messages", [])]
        if item.address is None:  # never: `_ready` has already failed rows without an address
            return
        try:
            sent = await sender.send(item.address, messages, outbox_id=item.id)
        except SendFailed as exc:
            if exc.stop_contact:
                async with self.store.unit() as uow:
                    await uow.set_stopped(item.participant_id, True)
            retry = exc.retryable and item.attempts < item.max_attempts
            retry_at = now + backoff(item.attempts, exc.retry_after) if retry else None
            status = await self.store.mark_failed(item.id, exc.reason, retry_at=retry_at)
            if retry:
                stats.retried += 1
            else:
                stats.failed += 1
            if status is not None:  # None: a delivery report settled the row meanwhile
                stats.count(item, "retry" if status == "pending" else "gave_up")
            log.info("outbox %d on %s not sent: %s (retry: %s)", item.id, item.channel, exc.reason, retry)
            return
        except Exception:  # an adapter bug must not lose the row or stop the batch
            log.exception("outbox %d on %s: unexpected error while sending", item.id, item.channel)
            retry_at = now + backoff(item.attempts) if item.attempts < item.max_attempts else None
            status = await self.store.mark_failed(item.id, "unexpected error while sending", retry_at=retry_at)
            stats.retried += 1
            if status is not None:
                stats.count(item, "retry" if status == "pending" else "gave_up")
            return
        await self.store.mark_sent(item.id, sent.provider_id, segments=sent.segments, encoding=sent.encoding)
        stats.sent += 1
        stats.by_channel[item.channel] = stats.by_channel.get(item.channel, 0) + 1
        stats.count(item, "sent")
