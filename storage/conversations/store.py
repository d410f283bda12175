"""The storage API the rest of the application calls. All SQL lives in this package.

    store = Store(database, keys)
    async with store.unit() as uow:            # one transaction: commit on exit, rollback on error
        person = await uow.participant("sms", "+447700900123")
        await uow.enqueue(person.id, "sms", "followup", {"messages": [...]})
    items = await store.claim_outbox("worker-1", now=datetime.now(UTC))

Database blips raise `StorageUnavailable`; a retried webhook raises `DuplicateInbound` from
`uow.record_inbound`. Results are frozen dataclasses from `storage.conversations.records`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from storage import transactions
from storage.conversations import participants, retention, web_sessions
from storage.conversations.records import OutboxItem, WebSessionRecord
from storage.conversations.unit import UnitOfWork
from storage.db import Database
from storage.delivery import outbox, ratelimit
from storage.errors import DuplicateInbound, StorageUnavailable
from storage.privacy.vault import Keys, Vault

__all__ = ["DuplicateInbound", "StorageUnavailable", "Store"]

T = TypeVar("T")


def utc_now() -> datetime:
    return datetime.now(UTC)


class Store:
    def __init__(
        self,
        database: Database,
        keys: Keys,
        *,
        vault_retention: timedelta = timedelta(days=30),
        inbound_kept: timedelta = retention.INBOUND_KEPT,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.database = database
        self._keys = keys
        self._vault = Vault(keys)
        self._retention = vault_retention
        self._inbound_kept = inbound_kept
        self._clock = clock

    def __repr__(self) -> str:
        return f"Store({self.database!r})"

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[UnitOfWork]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        # Inline on SQLite: a conversation's statements are short, and many small ones (storage/inline.py).
        async with transactions.transaction(self.database, inline=True) as conn:
            uow = UnitOfWork(
                conn, keys=self._keys, vault=self._vault, retention=self._retention, clock=self._clock
            )
            try:
                yield uow
            finally:
                uow._close()

    async def _run(self, work: Callable[[AsyncConnection], Awaitable[T]], *, read_only: bool = False) -> T:
        return await transactions.run(self.database, work, read_only=read_only, inline=True)

    # Outbox: each call is its own short transaction, so a slow send never holds a lock.

    async def claim_outbox(
        self,
        worker: str,
        *,
        now: datetime,
        limit: int = 50,
        lease: timedelta = timedelta(seconds=60),
        channels: Collection[str] | None = None,
        cap: outbox.DailyCap | None = None,
    ) -> list[OutboxItem]:
        """Claim up to `limit` due rows for `worker` until `now + lease`. Counts an attempt on each.

        With `cap`, a proactive row that would take its person over the daily cap is put back until
        `cap.resume_at` instead (not claimed, no attempt counted).
        """
        return await self._run(
            lambda conn: outbox.claim(
                conn, self._vault, worker, now=now, limit=limit, lease=lease, channels=channels, cap=cap
            )
        )

    async def mark_sent(
        self,
        outbox_id: int,
        provider_id: str | None,
        *,
        segments: int | None = None,
        encoding: str | None = None,
    ) -> None:
        now = self._clock()
        await self._run(
            lambda conn: outbox.mark_sent(
                conn, outbox_id, provider_id, segments=segments, encoding=encoding, now=now
            )
        )

    async def mark_failed(self, outbox_id: int, error: str, *, retry_at: datetime | None) -> str | None:
        """Back to pending at `retry_at`; failed for good when `retry_at` is None or attempts are used up.

        Returns the row's new status ("pending" or "failed"), or None when it was no longer ours.
        """
        now = self._clock()
        return await self._run(
            lambda conn: outbox.mark_failed(conn, outbox_id, error, retry_at=retry_at, now=now)
        )

    async def defer(self, outbox_id: int, until: datetime) -> None:
        """Back to pending until `until` without counting the attempt (quiet hours, rate limits)."""
        now = self._clock()
        await self._run(lambda conn: outbox.defer(conn, outbox_id, until, now))

    async def cancel(self, outbox_id: int, reason: str) -> None:
        now = self._clock()
        await self._run(lambda conn: outbox.cancel(conn, outbox_id, reason, now))

    async def record_status(
        self, provider_id_or_outbox_id: str | int, status: str, *, stop_contact: bool = False
    ) -> bool:
        """Apply a provider delivery report; a status never moves backwards. True when the row changed.

        `stop_contact`: the report says the person opted out with the provider; a failure that changes
        the row also stops its person (the same `set_stopped` as a refused send), in one transaction.
        """
        now = self._clock()
        return await self._run(
            lambda conn: outbox.record_status(
                conn, provider_id_or_outbox_id, status, now, stop_contact=stop_contact
            )
        )

    async def reserve_slot(self, key: str, *, now: datetime, interval: float) -> datetime:
        """The moment the next send for `key` may go, `interval` seconds after the one before it.

        Shared by every process on this database, so a configured rate holds however many run.
        """
        start = await self._run(lambda conn: ratelimit.reserve(conn, key, now=now.timestamp(), interval=interval))
        return datetime.fromtimestamp(start, UTC)

    async def admit(self, key: str, *, now: datetime, interval: float, burst: int) -> float | None:
        """One request for `key` under "one every `interval` s, `burst` at once": None when let through,
        else the seconds to wait. Refused requests change nothing. Held across processes."""
        return await self._run(
            lambda conn: ratelimit.admit(conn, key, now=now.timestamp(), interval=interval, burst=burst)
        )

    async def admit_each(self, checks: Sequence[tuple[str, float, int]], *, now: datetime) -> float | None:
        """`admit` for each (key, interval, burst) in turn, in one transaction, stopping at the first that
        refuses: None when all let the request through, else that key's seconds to wait."""

        async def each(conn: AsyncConnection) -> float | None:
            for key, interval, burst in checks:
                wait = await ratelimit.admit(conn, key, now=now.timestamp(), interval=interval, burst=burst)
                if wait is not None:
                    return wait
            return None

        # Each admit is one atomic upsert, whole by itself; they never needed to commit together.
        return await transactions.each_alone(self.database, each)

    async def rate_blocked(self, key: str, *, now: datetime, interval: float, burst: int) -> float | None:
        """Seconds until `key` may go again when its budget is spent, else None; reads only."""
        return await self._run(
            lambda conn: ratelimit.blocked(conn, key, now=now.timestamp(), interval=interval, burst=burst),
            read_only=True,
        )

    async def charge(self, key: str, *, now: datetime, interval: float) -> None:
        """Spend one unit of `key`'s budget whatever it holds (a refused request counting against its sender)."""
        await self._run(lambda conn: ratelimit.reserve(conn, key, now=now.timestamp(), interval=interval))

    async def outbox_counts(self) -> dict[str, int]:
        """Rows per outbox status, every status present."""
        return await self._run(outbox.counts, read_only=True)

    async def stop_participant(self, participant_id: int) -> None:
        """Mark a person stopped outside a conversation (a provider said the number opted out)."""
        now = self._clock()
        await self._run(lambda conn: participants.set_stopped(conn, participant_id, True, now))

    # Web chat sessions

    async def web_session(self, token: str, *, now: datetime) -> WebSessionRecord | None:
        """The session for this browser token; None when unknown or expired."""
        # One read: it needs no transaction around it (storage.transactions.each_alone).
        return await transactions.each_alone(
            self.database, lambda conn: web_sessions.get(conn, token, now), read_only=True
        )

    async def open_web_session(self, token: str, participant_id: int, ttl: timedelta) -> None:
        now = self._clock()
        await self._run(lambda conn: web_sessions.open_session(conn, token, participant_id, ttl, now))

    async def append_transcript(self, token: str, turn: dict[str, Any]) -> bool:
        """Add a turn ({"who": "bot"|"person", "messages": [...]}); False when the session is gone."""
        now = self._clock()
        return await self._run(lambda conn: web_sessions.append(conn, token, turn, now))

    async def append_new_turns(self, token: str, turns: list[dict[str, Any]]) -> bool | None:
        """Add turns in one transaction unless a turn with the same `who` and `n` is stored already.

        None when the session is gone, False for a duplicate (a double submit another request handled),
        True when added. Safe across processes: on PostgreSQL the session row is locked while checking.
        """
        now = self._clock()
        return await self._run(lambda conn: web_sessions.append_new(conn, token, turns, now))

    async def end_web_session(self, token: str) -> bool:
        return await self._run(lambda conn: web_sessions.end(conn, token))

    # Retention

    async def purge(self, now: datetime) -> dict[str, int]:
        """Delete expired addresses and sessions, finished outbox rows after 30 days, handled provider ids
        after `inbound_kept` (90 days unless set)."""
        return await self._run(lambda conn: retention.purge(conn, now, inbound_kept=self._inbound_kept))

    async def dump_all_text(self) -> str:
        return await self._run(retention.dump_all_text, read_only=True)
