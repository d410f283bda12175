"""The durable outbox: every proactive message is a row first, then claimed, sent and tracked.

Claiming is atomic with a lease. PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED, so several processes share the
work without waiting on each other. SQLite: every writing transaction starts with BEGIN IMMEDIATE (see
`storage.db`), so the select-then-update below runs under the single writer lock.
A worker that dies leaves rows in `sending`; when their lease runs out they are claimed again.

The daily cap is checked again as rows are claimed (`DailyCap`): planning checks it too, but a row
planned yesterday and sent today, or a follow-up beside a broadcast, would otherwise slip past it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, case, func, insert, literal, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.conversations import participants
from storage.conversations.records import OutboxItem
from storage.delivery.wakeups import notify_outbox
from storage.models import OUTBOX_KINDS, OUTBOX_STATUSES, OutboxMessage, Participant, VaultEntry
from storage.prepared import Prepared
from storage.privacy.scrub import scrub
from storage.privacy.vault import Vault, VaultError
from storage.sql import fit_provider_id, is_postgres
from storage.types import UTCDateTime

log = logging.getLogger("said.storage.outbox")

MAX_ERROR = 500
_O = OutboxMessage

# What a provider's delivery report means for us. "sending"-like reports change nothing: the row is
# already past that point, and a row put back to `sending` without a lease would never be reclaimed.
PROVIDER_STATUSES: dict[str, str | None] = {
    "accepted": None,
    "queued": None,
    "scheduled": None,
    "sending": None,
    "sent": "sent",
    "delivered": "delivered",
    "read": "delivered",
    "receiving": None,
    "received": "delivered",
    "undelivered": "failed",
    "failed": "failed",
    "canceled": "cancelled",
    "cancelled": "cancelled",
}
# A report may move a row only forwards: sending < sent < delivered; failed and cancelled are final.
_MAY_BECOME: dict[str, tuple[str, ...]] = {
    "sent": ("pending", "sending"),
    "delivered": ("pending", "sending", "sent"),
    "failed": ("pending", "sending", "sent"),
    "cancelled": ("pending", "sending"),
}
_OURS = ("pending", "sending")  # rows a worker may still act on
# What the daily cap counts and holds back: messages we start. A reply to a person's own message (and a
# safeguarding alert to a duty contact) is never held.
PROACTIVE = ("broadcast", "followup", "reminder")
_CAP_LOCKS = 0x5CA9  # PostgreSQL advisory lock space: (this, participant id) while a claim counts a person


@dataclass(frozen=True, slots=True)
class DailyCap:
    """At most `cap` proactive messages a person from `start` to `end` (one local day); a row that would
    go over waits, unsent and with no attempt counted, until `resume_at` (the next day, outside quiet hours)."""

    cap: int
    start: datetime
    end: datetime
    resume_at: datetime


def _at(moment: datetime) -> Any:
    # Inside CASE or COALESCE a bare datetime would bind as a plain DateTime and skip the UTC conversion.
    return literal(moment, UTCDateTime())


_ENQUEUE = Prepared(
    lambda _: insert(_O)
    .values(
        participant_id=bindparam("b_participant_id"), channel=bindparam("b_channel"), kind=bindparam("b_kind"),
        payload=bindparam("b_payload"), direct_reply=bindparam("b_direct_reply"), status="pending", attempts=0,
        max_attempts=bindparam("b_max_attempts"), next_attempt_at=bindparam("b_next_attempt_at"),
        created_at=bindparam("b_now"), status_changed_at=bindparam("b_now"),
    )
    .returning(_O.id)
)


async def enqueue(
    conn: AsyncConnection,
    participant_id: int,
    channel: str,
    kind: str,
    payload: dict[str, Any],
    *,
    direct_reply: bool,
    not_before: datetime | None,
    max_attempts: int,
    now: datetime,
) -> int:
    if kind not in OUTBOX_KINDS:
        raise ValueError(f"unknown outbox kind {kind!r}; expected one of {', '.join(OUTBOX_KINDS)}")
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")
    json.dumps(payload)  # fail here, in the caller's code, rather than later inside the driver
    added = await conn.execute(
        _ENQUEUE(conn),
        {
            "b_participant_id": participant_id, "b_channel": channel, "b_kind": kind, "b_payload": payload,
            "b_direct_reply": direct_reply, "b_max_attempts": max_attempts, "b_next_attempt_at": not_before or now,
            "b_now": now,
        },
    )
    await notify_outbox(conn)  # every process's dispatcher wakes when this commits
    return int(added.scalar_one())


async def claim(
    conn: AsyncConnection,
    vault: Vault,
    worker: str,
    *,
    now: datetime,
    limit: int,
    lease: timedelta,
    channels: Collection[str] | None,
    cap: DailyCap | None = None,
) -> list[OutboxItem]:
    if channels is not None and not channels:
        return []
    lease_expired = and_(_O.status == "sending", _O.lease_until < now)
    in_channels: ColumnElement[bool] = _O.channel.in_(list(channels)) if channels is not None else true()
    # A row whose lease ran out again and again is probably what kills the worker: stop retrying it.
    await conn.execute(
        update(_O)
        .where(lease_expired, _O.attempts >= _O.max_attempts, in_channels)
        .values(
            status="failed",
            last_error="sending was interrupted too many times",
            lease_until=None,
            status_changed_at=now,
        )
    )
    due = (
        select(_O.id)
        .where(or_(and_(_O.status == "pending", _O.next_attempt_at <= now), lease_expired), in_channels)
        .order_by(_O.next_attempt_at, _O.id)
        .limit(limit)
    )
    if is_postgres(conn):
        due = due.with_for_update(skip_locked=True)
    ids = list((await conn.scalars(due)).all())
    if ids and cap is not None:
        ids = await _within_cap(conn, ids, cap, now)
    if not ids:
        return []
    await conn.execute(
        update(_O)
        .where(_O.id.in_(ids))
        .values(
            status="sending",
            attempts=_O.attempts + 1,
            claimed_by=worker[:128],
            lease_until=now + lease,
            status_changed_at=now,
        )
    )
    rows = await conn.execute(
        select(
            _O.id,
            _O.participant_id,
            _O.channel,
            _O.kind,
            _O.payload,
            _O.direct_reply,
            _O.attempts,
            _O.max_attempts,
            _O.created_at,
            Participant.stopped,
            Participant.language,
            VaultEntry.sealed,
        )
        .join(Participant, Participant.id == _O.participant_id)
        .outerjoin(VaultEntry, VaultEntry.participant_id == _O.participant_id)
        .where(_O.id.in_(ids))
        .order_by(_O.next_attempt_at, _O.id)
    )
    return [
        OutboxItem(
            id=row.id,
            participant_id=row.participant_id,
            channel=row.channel,
            kind=row.kind,
            payload=row.payload,
            direct_reply=row.direct_reply,
            attempts=row.attempts,
            max_attempts=row.max_attempts,
            created_at=row.created_at,
            address=_open(vault, row.sealed, row.id, row.participant_id),
            stopped=row.stopped,
            language=row.language,
        )
        for row in rows
    ]


async def _within_cap(conn: AsyncConnection, ids: list[int], cap: DailyCap, now: datetime) -> list[int]:
    """The due rows that may go under the daily cap; the rest are put back until `cap.resume_at`.

    A person's count is what they were sent today plus what is in flight (`sending`: claimed, so it
    passed this check). Rows of one batch are taken in claim order, so the earliest goes first. A
    stopped person's rows are not held: the dispatcher cancels them now.
    """
    capped = (
        await conn.execute(
            select(_O.id, _O.participant_id)
            .join(Participant, Participant.id == _O.participant_id)
            .where(_O.id.in_(ids), _O.kind.in_(PROACTIVE), Participant.stopped.is_(False))
            .order_by(_O.next_attempt_at, _O.id)
        )
    ).all()
    if not capped:
        return ids
    people = sorted({row.participant_id for row in capped})
    if is_postgres(conn):
        # Two processes claiming rows for one person at once would each count the other's rows as
        # not yet in flight; a lock per person (taken in id order, so no deadlock) makes them take turns.
        # Then this count, a new statement, sees the other's committed claim.
        await conn.execute(
            select(func.pg_advisory_xact_lock(_CAP_LOCKS, Participant.id))
            .where(Participant.id.in_(people))
            .order_by(Participant.id)
        )
    sent_today = and_(
        _O.status.in_(("sent", "delivered")), _O.sent_at >= _at(cap.start), _O.sent_at < _at(cap.end)
    )
    used = dict(
        (
            await conn.execute(
                select(_O.participant_id, func.count())
                .where(
                    _O.participant_id.in_(people),
                    _O.kind.in_(PROACTIVE),
                    _O.id.not_in(ids),
                    or_(sent_today, _O.status == "sending"),
                )
                .group_by(_O.participant_id)
            )
        ).all()
    )
    held: list[int] = []
    for row in capped:
        if used.get(row.participant_id, 0) >= cap.cap:
            held.append(row.id)
        else:
            used[row.participant_id] = used.get(row.participant_id, 0) + 1
    if not held:
        return ids
    await conn.execute(
        update(_O)
        .where(_O.id.in_(held))
        .values(status="pending", next_attempt_at=cap.resume_at, lease_until=None, status_changed_at=now)
    )
    log.info("outbox %s held until %s: the daily cap of %d is reached",
             ", ".join(map(str, held[:10])) + (" …" if len(held) > 10 else ""),
             cap.resume_at.isoformat(timespec="minutes"), cap.cap)
    going = set(ids) - set(held)
    return [outbox_id for outbox_id in ids if outbox_id in going]


def _open(vault: Vault, sealed: bytes | None, outbox_id: int, participant_id: int) -> str | None:
    if sealed is None:
        return None
    try:
        return vault.open(sealed, participant_id=participant_id)
    except VaultError:
        log.warning("outbox %d: the address cannot be opened (was the secret key changed, or the entry moved "
                    "from another participant?)", outbox_id)
        return None


async def mark_sent(
    conn: AsyncConnection,
    outbox_id: int,
    provider_id: str | None,
    *,
    segments: int | None,
    encoding: str | None,
    now: datetime,
) -> None:
    moves_on = _O.status.in_(_OURS)  # a delivery report may have arrived first; keep what it said
    await conn.execute(
        update(_O)
        .where(_O.id == outbox_id)
        .values(
            provider_id=None if provider_id is None else fit_provider_id(provider_id),
            segments=segments,
            encoding=encoding,
            sent_at=now,
            lease_until=None,
            status=case((moves_on, "sent"), else_=_O.status),
            status_changed_at=case((moves_on, _at(now)), else_=_O.status_changed_at),
        )
    )


async def mark_failed(
    conn: AsyncConnection, outbox_id: int, error: str, *, retry_at: datetime | None, now: datetime
) -> str | None:
    """Record a failed attempt: back to `pending` at `retry_at`, or `failed` for good.

    Returns the new status, or None when the row was no longer ours (sent, delivered, cancelled).
    """
    reason = scrub(error, MAX_ERROR)  # provider errors often quote the number they could not reach
    values: dict[str, Any] = {"last_error": reason, "lease_until": None, "status_changed_at": now}
    if retry_at is None:
        values["status"] = "failed"
    else:
        retry = _O.attempts < _O.max_attempts
        values["status"] = case((retry, "pending"), else_="failed")
        values["next_attempt_at"] = case((retry, _at(retry_at)), else_=_O.next_attempt_at)
    changed = await conn.execute(
        update(_O).where(_O.id == outbox_id, _O.status.in_(_OURS)).values(**values).returning(_O.status)
    )
    return changed.scalar_one_or_none()


async def defer(conn: AsyncConnection, outbox_id: int, until: datetime, now: datetime) -> None:
    """Put a claimed row back for later without counting the attempt (quiet hours, rate limits)."""
    await conn.execute(
        update(_O)
        .where(_O.id == outbox_id, _O.status.in_(_OURS))
        .values(
            status="pending",
            next_attempt_at=until,
            attempts=case(
                (and_(_O.status == "sending", _O.attempts > 0), _O.attempts - 1), else_=_O.attempts
            ),
            lease_until=None,
            status_changed_at=now,
        )
    )


async def cancel(conn: AsyncConnection, outbox_id: int, reason: str, now: datetime) -> None:
    await conn.execute(
        update(_O)
        .where(_O.id == outbox_id, _O.status.in_(_OURS))
        .values(
            status="cancelled", last_error=scrub(reason, MAX_ERROR), lease_until=None, status_changed_at=now
        )
    )


async def record_status(
    conn: AsyncConnection, key: str | int, status: str, now: datetime, *, stop_contact: bool = False
) -> bool:
    """Apply a delivery report, found by provider id (str) or outbox id (int). True when the row changed.

    `stop_contact` (a failure report saying the person opted out): the person the row was for is stopped, in
    the same transaction, when the report changed the row; a repeated report does not stop them again
    (they may have said START since).
    """
    if isinstance(key, bool):
        raise TypeError("an outbox id is an int or a provider id a str, not a bool")
    target = PROVIDER_STATUSES.get(status.strip().lower())
    if target is None:
        return False
    which = _O.id == key if isinstance(key, int) else _O.provider_id == fit_provider_id(key)
    values: dict[str, Any] = {"status": target, "status_changed_at": now, "lease_until": None}
    if target in ("sent", "delivered"):
        values["sent_at"] = func.coalesce(_O.sent_at, _at(now))
    if target == "failed":
        values["last_error"] = f"the provider reported the message as {status.strip().lower()}"
    changed = await conn.execute(
        update(_O).where(which, _O.status.in_(_MAY_BECOME[target])).values(**values).returning(_O.participant_id)
    )
    people = set(changed.scalars().all())
    if stop_contact and target == "failed":
        for participant_id in sorted(people):
            await participants.set_stopped(conn, participant_id, True, now)
    return bool(people)


async def counts(conn: AsyncConnection) -> dict[str, int]:
    found = dict((await conn.execute(select(_O.status, func.count()).group_by(_O.status))).all())
    return {status: int(found.get(status, 0)) for status in OUTBOX_STATUSES}
