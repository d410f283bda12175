"""Recurring check-ins: schedules staff can change, and the reminders each firing queues.

A schedule's `next_run_at` is claimed with a compare-and-set (UPDATE … WHERE next_run_at = the value read),
in the same transaction that queues the reminders: whichever process ticks first plans a firing, the
others find nothing to do, and a restart neither loses nor repeats one. Firings missed while nothing
ran are folded into one.

Who gets a reminder: people who said yes to check-ins, have not sent STOP, whose address we still hold,
on a channel we can send on, who answered the schedule's pack before, and who have not started it again
since the last reminder.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, exists, func, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.delivery.wakeups import notify_outbox
from storage.loop.contacts import Runs, granted, language_bucket, send_time
from storage.loop.records import CheckinSchedule
from storage.loop.tables import CheckinSchedule as ScheduleRow
from storage.models import JSONValue, OutboxMessage, Participant, Submission, VaultEntry
from storage.sql import is_postgres, upsert_insert
from storage.types import UTCDateTime

_P = Participant
_S = ScheduleRow
MAX_NAME = 80
MAX_CRON = 120
Compose = Callable[[CheckinSchedule], tuple[dict[str, list[dict[str, Any]]], str]]  # -> messages, default


def _record(row: Any) -> CheckinSchedule:
    return CheckinSchedule(
        id=row.id,
        name=row.name,
        pack_id=row.pack_id,
        cron=row.cron,
        texts=dict(row.texts or {}),
        active=bool(row.active),
        next_run_at=row.next_run_at,
        last_run_at=row.last_run_at,
        last_count=row.last_count,
        updated_by=row.updated_by,
        updated_at=row.updated_at,
    )


def _checked(name: str, cron: str, texts: dict[str, str]) -> None:
    if not name.strip() or len(name) > MAX_NAME:
        raise ValueError(f"a check-in name is 1 to {MAX_NAME} characters")
    if not cron.strip() or len(cron) > MAX_CRON:
        raise ValueError(f"a schedule is 1 to {MAX_CRON} characters")
    if not any(text.strip() for text in texts.values()):
        raise ValueError("a check-in reminder needs words in at least one language")


async def save(
    conn: AsyncConnection,
    *,
    name: str,
    pack_id: str,
    cron: str,
    texts: dict[str, str],
    active: bool,
    next_run_at: datetime | None,
    actor: str,
    now: datetime,
) -> int:
    """Create the schedule called `name`, or change it. `next_run_at` is the next firing from now."""
    _checked(name, cron, texts)
    values = {
        "pack_id": pack_id,
        "cron": cron.strip(),
        "texts": {lang: " ".join(t.split()) for lang, t in texts.items() if t.strip()},
        "active": active,
        "next_run_at": next_run_at if active else None,
        "updated_by": actor[:254],
        "updated_at": now,
    }
    name = " ".join(name.split())
    existing = await conn.scalar(select(_S.id).where(_S.name == name))
    if existing is not None:
        await conn.execute(update(_S).where(_S.id == existing).values(**values))
        return int(existing)
    added = await conn.execute(insert(_S).values(name=name, **values).returning(_S.id))
    return int(added.scalar_one())


async def add_default(
    conn: AsyncConnection,
    *,
    name: str,
    pack_id: str,
    cron: str,
    texts: dict[str, str],
    next_run_at: datetime | None,
    actor: str,
    now: datetime,
) -> int | None:
    """Add a schedule for `pack_id` only if the pack has none (on or off) and the name is free; the id,
    or None. Several processes starting together race here: the unique name lets exactly one in."""
    _checked(name, cron, texts)
    if await conn.scalar(select(_S.id).where(_S.pack_id == pack_id).limit(1)) is not None:
        return None
    values = {
        "name": name, "pack_id": pack_id, "cron": cron, "texts": texts, "active": True, "next_run_at": next_run_at,
        "updated_by": actor[:254], "updated_at": now,
    }
    added = await conn.execute(
        upsert_insert(conn, _S).values(**values).on_conflict_do_nothing(index_elements=[_S.name]).returning(_S.id)
    )
    found = added.scalar_one_or_none()
    return None if found is None else int(found)


async def everything(conn: AsyncConnection) -> list[CheckinSchedule]:
    rows = await conn.execute(select(*_S.__table__.c).order_by(_S.name))
    return [_record(r) for r in rows]


async def get(conn: AsyncConnection, schedule_id: int) -> CheckinSchedule | None:
    row = (await conn.execute(select(*_S.__table__.c).where(_S.id == schedule_id))).first()
    return None if row is None else _record(row)


async def due(conn: AsyncConnection, now: datetime, limit: int = 10) -> list[CheckinSchedule]:
    query = (
        select(*_S.__table__.c)
        .where(_S.active.is_(True), _S.next_run_at.is_not(None), _S.next_run_at <= now)
        .order_by(_S.next_run_at, _S.id)
        .limit(limit)
    )
    if is_postgres(conn):
        query = query.with_for_update(skip_locked=True)
    return [_record(r) for r in await conn.execute(query)]


async def claim(conn: AsyncConnection, schedule: CheckinSchedule, following: datetime | None, now: datetime) -> bool:
    """Move the schedule on to its `following` firing; False when another process already did."""
    moved = await conn.execute(
        update(_S)
        .where(_S.id == schedule.id, _S.active.is_(True), _S.next_run_at == schedule.next_run_at)
        .values(next_run_at=following, last_run_at=now)
    )
    return bool(moved.rowcount)


def _people(schedule: CheckinSchedule, channels: Collection[str]) -> list[Any]:
    where = [
        _P.stopped.is_(False),
        granted("checkins"),
        exists().where(VaultEntry.participant_id == _P.id),
        _P.channel.in_(sorted(channels)),
        exists().where(Submission.participant_id == _P.id, Submission.pack_id == schedule.pack_id),
    ]
    if schedule.last_run_at is not None:
        # Started the pack since the last reminder: they have checked in already.
        where.append(
            ~exists().where(
                Submission.participant_id == _P.id,
                Submission.pack_id == schedule.pack_id,
                Submission.started_at > literal(schedule.last_run_at, UTCDateTime()),
            )
        )
    return where


async def queue_reminders(
    conn: AsyncConnection,
    schedule: CheckinSchedule,
    *,
    messages: dict[str, list[dict[str, Any]]],
    default_language: str,
    channels: Collection[str],
    runs: Runs,
    now: datetime,
) -> int:
    """One reminder (outbox kind "reminder") a person, spread at each channel's rate. Returns how many."""
    if not channels:
        return 0
    where = _people(schedule, channels)
    per_channel = dict(
        (await conn.execute(select(_P.channel, func.count()).where(*where).group_by(_P.channel))).all()
    )
    language = language_bucket(messages, default_language)
    for channel, total in sorted(per_channel.items()):
        numbered = (
            select(_P.id, _P.channel, language.label("language"), func.row_number().over(order_by=_P.id).label("n"))
            .where(*where, _P.channel == channel)
            .subquery("numbered")
        )
        when = send_time(conn, numbered.c.n, runs(channel, int(total)))
        for lang, words in messages.items():
            payload = {"messages": words, "checkin_schedule_id": schedule.id}
            source = select(
                numbered.c.id,
                numbered.c.channel,
                literal("reminder", String()),
                literal(payload, JSONValue),
                literal(False),
                literal("pending", String()),
                literal(0, Integer()),
                literal(3, Integer()),
                when,
                literal(now, UTCDateTime()),
                literal(now, UTCDateTime()),
            ).where(numbered.c.language == lang)
            columns = [
                "participant_id", "channel", "kind", "payload", "direct_reply", "status", "attempts",
                "max_attempts", "next_attempt_at", "created_at", "status_changed_at",
            ]
            await conn.execute(insert(OutboxMessage).from_select(columns, source))
    await notify_outbox(conn)  # other processes' dispatchers wake when this commits
    queued = sum(int(n) for n in per_channel.values())
    await conn.execute(update(_S).where(_S.id == schedule.id).values(last_count=queued))
    return queued
