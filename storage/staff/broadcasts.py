"""Broadcasts: the schedule, the audience as set-based SQL, and progress read from the outbox.

Planning is one INSERT … SELECT into the outbox per language, so a hundred thousand people are queued
in a few statements with flat memory; the dispatcher then sends them at each channel's rate, checking
stop status again at the moment of sending. Who hears is decided here, in one place:

- they said yes to `updates` and have not withdrawn it, and have not sent STOP;
- their address is still in the vault (a forgotten person has none);
- they are on a channel we can send on now;
- they have not reached the daily cap of proactive messages on the broadcast's local day;
- and the audience's own filter: a pack's respondents, one channel, or people on the check-in.

Claiming a scheduled broadcast (status scheduled -> planned) and queueing its rows happen in one
transaction, so two processes ticking at once plan it once.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, insert, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.delivery.outbox import PROACTIVE  # what counts towards the daily cap (the dispatcher holds it too)
from storage.delivery.wakeups import notify_outbox
from storage.models import Consent, JSONValue, OutboxMessage, Participant, Submission, VaultEntry
from storage.sql import is_postgres
from storage.staff.records import BroadcastRecord, PlanResult
from storage.staff.tables import AUDIENCES, Broadcast, StaffUser
from storage.types import UTCDateTime

_O = OutboxMessage
_P = Participant
MAX_NAME = 80


@dataclass(frozen=True, slots=True)
class Audience:
    kind: str  # updates | pack | channel | checkins
    value: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in AUDIENCES:
            raise ValueError(f"unknown audience {self.kind!r}; use one of {', '.join(AUDIENCES)}")
        if self.kind in ("pack", "channel") and not self.value:
            raise ValueError(f"a {self.kind} audience needs a {self.kind} to be named")


@dataclass(frozen=True, slots=True)
class CapWindow:
    """At most `cap` proactive messages a person between `start` and `end` (one local day)."""

    cap: int
    start: datetime
    end: datetime


def _at(moment: datetime) -> Any:
    return literal(moment, UTCDateTime())


def _granted(purpose: str) -> Any:
    return exists().where(
        Consent.participant_id == _P.id, Consent.purpose == purpose, Consent.granted.is_(True)
    )


def _over_cap(window: CapWindow) -> Any:
    """Participant ids that already have `cap` proactive messages planned or sent in the window."""
    when = func.coalesce(_O.sent_at, _O.next_attempt_at)
    return (
        select(_O.participant_id)
        .where(
            _O.kind.in_(PROACTIVE),
            _O.status.not_in(("cancelled", "failed")),
            when >= _at(window.start),
            when < _at(window.end),
        )
        .group_by(_O.participant_id)
        .having(func.count() >= window.cap)
    )


def audience_filter(audience: Audience, channels: Collection[str]) -> list[Any]:
    """WHERE conditions on `participants` for everyone this audience reaches (before the daily cap)."""
    where = [
        _P.stopped.is_(False),
        _granted("updates"),
        exists().where(VaultEntry.participant_id == _P.id),
        _P.channel.in_(sorted(channels)),
    ]
    if audience.kind == "pack":
        where.append(exists().where(Submission.participant_id == _P.id, Submission.pack_id == audience.value))
    elif audience.kind == "channel":
        where.append(_P.channel == audience.value)
    elif audience.kind == "checkins":
        where.append(_granted("checkins"))
    return where


def _language_filter(language: str, default: str, languages: Collection[str]) -> Any:
    if language != default:
        return _P.language == language
    # The default language also reaches people whose language has no text (or is not known).
    others = [lang for lang in languages if lang != default]
    return or_(_P.language.is_(None), _P.language.not_in(others)) if others else literal(True)


async def audience_size(
    conn: AsyncConnection, audience: Audience, channels: Collection[str], window: CapWindow | None
) -> dict[str, int]:
    """People the audience reaches now, per channel (after the daily cap when a window is given)."""
    if not channels:
        return {}
    where = audience_filter(audience, channels)
    if window is not None:
        where.append(_P.id.not_in(_over_cap(window)))
    rows = await conn.execute(select(_P.channel, func.count()).where(*where).group_by(_P.channel))
    return {channel: int(n) for channel, n in rows}


async def plan(
    conn: AsyncConnection,
    broadcast_id: int,
    *,
    messages: dict[str, list[dict[str, Any]]],
    default_language: str,
    audience: Audience,
    channels: Collection[str],
    window: CapWindow,
    now: datetime,
) -> PlanResult:
    """Queue the broadcast: one outbox row a person, in their language, on their channel.

    `messages` maps language -> the neutral messages (as dicts) to send; `default_language` must be one
    of them. Call inside the transaction that claimed the broadcast.
    """
    if default_language not in messages:
        raise ValueError("the default language needs words")
    base = audience_filter(audience, channels)
    reached = int(await conn.scalar(select(func.count()).where(*base)) or 0) if channels else 0
    where = [*base, _P.id.not_in(_over_cap(window))]
    languages: dict[str, int] = {}
    per_channel: dict[str, int] = {}
    low: int | None = None
    high: int | None = None
    # SQLite: this transaction holds the only write lock (BEGIN IMMEDIATE), so every outbox id above
    # `before` is one of ours. PostgreSQL counts the new rows as it inserts them (below).
    before = None if is_postgres(conn) else int(await conn.scalar(select(func.coalesce(func.max(_O.id), 0))) or 0)
    for language, payload_messages in messages.items() if channels else ():
        payload = {"messages": payload_messages, "broadcast_id": broadcast_id}
        rows = select(
            _P.id,
            _P.channel,
            literal("broadcast"),
            literal(payload, JSONValue),
            literal(False),
            literal("pending"),
            literal(0),
            literal(5),
            _at(now),
            _at(now),
            _at(now),
        ).where(*where, _language_filter(language, default_language, messages))
        columns = [
            "participant_id", "channel", "kind", "payload", "direct_reply", "status", "attempts",
            "max_attempts", "next_attempt_at", "created_at", "status_changed_at",
        ]
        queued = insert(_O).from_select(columns, rows)
        if before is None:
            added = queued.returning(_O.id, _O.channel).cte("added")
            summary = select(added.c.channel, func.count(), func.min(added.c.id), func.max(added.c.id)).group_by(
                added.c.channel
            )
            found = (await conn.execute(summary)).all()
        else:
            await conn.execute(queued)
            found = []
        await notify_outbox(conn)  # other processes' dispatchers wake when this commits
        languages[language] = sum(int(n) for _, n, _, _ in found)
        for channel, n, first, last in found:
            per_channel[channel] = per_channel.get(channel, 0) + int(n)
            low = first if low is None else min(low, first)
            high = last if high is None else max(high, last)
    if before is not None and channels:
        ours = [_O.id > before, _O.kind == "broadcast"]
        summary = select(_O.channel, func.count(), func.min(_O.id), func.max(_O.id)).where(*ours).group_by(_O.channel)
        for channel, n, first, last in (await conn.execute(summary)).all():
            per_channel[channel] = int(n)
            low = first if low is None else min(low, first)
            high = last if high is None else max(high, last)
        languages = {}  # one count for all languages is all SQLite's cheap path knows
    total = sum(per_channel.values())
    await conn.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id)
        .values(
            recipients=total,
            over_cap=max(reached - total, 0),
            planned_at=now,
            updated_at=now,
            first_outbox_id=low,
            last_outbox_id=high,
        )
    )
    return PlanResult(broadcast_id, per_channel, max(reached - total, 0), languages)


async def _rows_of(conn: AsyncConnection, broadcast_id: int) -> list[Any] | None:
    """WHERE conditions for this broadcast's outbox rows; None when it queued none."""
    bounds = (
        await conn.execute(
            select(Broadcast.first_outbox_id, Broadcast.last_outbox_id).where(Broadcast.id == broadcast_id)
        )
    ).first()
    if bounds is None or bounds.first_outbox_id is None:
        return None
    # The primary key range narrows the scan; the payload check leaves out other rows written meanwhile.
    return [
        _O.id.between(bounds.first_outbox_id, bounds.last_outbox_id),
        _O.kind == "broadcast",
        _O.payload["broadcast_id"].as_integer() == broadcast_id,
    ]


async def progress(conn: AsyncConnection, broadcast_id: int) -> dict[str, dict[str, int]]:
    """channel -> outbox status -> rows, for one broadcast."""
    where = await _rows_of(conn, broadcast_id)
    if where is None:
        return {}
    rows = await conn.execute(
        select(_O.channel, _O.status, func.count()).where(*where).group_by(_O.channel, _O.status)
    )
    found: dict[str, dict[str, int]] = {}
    for channel, status, n in rows:
        found.setdefault(channel, {})[status] = int(n)
    return found


async def stop_remaining(conn: AsyncConnection, broadcast_id: int, now: datetime) -> int:
    """Cancel this broadcast's rows that have not been picked up for sending yet."""
    where = await _rows_of(conn, broadcast_id)
    if where is None:
        return 0
    done = await conn.execute(
        update(_O)
        .where(*where, _O.status == "pending")
        .values(status="cancelled", last_error="stopped by staff", status_changed_at=now)
    )
    return int(done.rowcount or 0)


# The schedule


def _checked(name: str, texts: dict[str, str]) -> None:
    if not name.strip() or len(name) > MAX_NAME:
        raise ValueError(f"a broadcast name is 1 to {MAX_NAME} characters")
    if not texts or not all(isinstance(t, str) and t.strip() for t in texts.values()):
        raise ValueError("a broadcast needs words in at least one language")


async def create(
    conn: AsyncConnection,
    *,
    name: str,
    texts: dict[str, str],
    audience: Audience,
    send_at: datetime,
    staff_id: int | None,
    now: datetime,
) -> int:
    _checked(name, texts)
    added = await conn.execute(
        insert(Broadcast)
        .values(
            name=name.strip(),
            texts=texts,
            audience=audience.kind,
            audience_value=audience.value,
            status="scheduled",
            send_at=send_at,
            created_by=staff_id,
            created_at=now,
            updated_at=now,
        )
        .returning(Broadcast.id)
    )
    return int(added.scalar_one())


async def edit(
    conn: AsyncConnection,
    broadcast_id: int,
    *,
    name: str,
    texts: dict[str, str],
    audience: Audience,
    send_at: datetime,
    now: datetime,
) -> bool:
    """Change a broadcast that has not started; False when it has started or was cancelled."""
    _checked(name, texts)
    changed = await conn.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status == "scheduled")
        .values(
            name=name.strip(),
            texts=texts,
            audience=audience.kind,
            audience_value=audience.value,
            send_at=send_at,
            updated_at=now,
        )
    )
    return bool(changed.rowcount)


async def cancel(conn: AsyncConnection, broadcast_id: int, now: datetime) -> bool:
    changed = await conn.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status == "scheduled")
        .values(status="cancelled", updated_at=now)
    )
    return bool(changed.rowcount)


async def claim(conn: AsyncConnection, broadcast_id: int, now: datetime) -> BroadcastRecord | None:
    """Mark a scheduled broadcast as planned (it has started); None when someone else got it first."""
    claimed = await conn.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status == "scheduled")
        .values(status="planned", planned_at=now, updated_at=now)
        .returning(Broadcast.id)
    )
    if claimed.scalar_one_or_none() is None:
        return None
    return await get(conn, broadcast_id)


async def due(conn: AsyncConnection, now: datetime, limit: int = 20) -> list[int]:
    rows = await conn.scalars(
        select(Broadcast.id)
        .where(Broadcast.status == "scheduled", Broadcast.send_at <= now)
        .order_by(Broadcast.send_at, Broadcast.id)
        .limit(limit)
    )
    return list(rows.all())


def _record(row: Any) -> BroadcastRecord:
    return BroadcastRecord(
        id=row.id,
        name=row.name,
        texts=dict(row.texts or {}),
        audience=row.audience,
        audience_value=row.audience_value,
        status=row.status,
        send_at=row.send_at,
        created_by=row.email,
        created_at=row.created_at,
        updated_at=row.updated_at,
        planned_at=row.planned_at,
        recipients=row.recipients,
        over_cap=row.over_cap,
    )


def _listing() -> Any:
    return select(*Broadcast.__table__.c, StaffUser.email).outerjoin(StaffUser, StaffUser.id == Broadcast.created_by)


async def get(conn: AsyncConnection, broadcast_id: int) -> BroadcastRecord | None:
    row = (await conn.execute(_listing().where(Broadcast.id == broadcast_id))).first()
    return None if row is None else _record(row)


async def recent(conn: AsyncConnection, *, limit: int = 50, status: str | None = None) -> list[BroadcastRecord]:
    query = _listing()
    if status:
        query = query.where(Broadcast.status == status)
    rows = await conn.execute(query.order_by(Broadcast.send_at.desc(), Broadcast.id.desc()).limit(limit))
    return [_record(row) for row in rows]

