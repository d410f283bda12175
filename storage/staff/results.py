"""Counts for the results screens: answers per question and value, the same per channel, month or week
(for comparisons and trends), and submissions per hour and channel.

Everything is grouped in the database, so a pack with a million answers comes back as a few hundred
rows. No query here returns anything that points at a person.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import Date, cast, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.loop.tables import CheckinSchedule
from storage.models import Answer, Submission
from storage.sql import is_postgres
from storage.staff.records import AnswerCount, GroupCount, SlotCount, TimeCounts
from storage.staff.tables import Broadcast

SKIPPED = "(skipped)"
WROTE = "(wrote an answer)"


async def _roomy(conn: AsyncConnection) -> None:
    """Room for PostgreSQL to hash 200,000 submissions in memory. At the default 4 MB work_mem the join
    spills to disk in 16 batches and a million answers take twice as long. SET LOCAL lasts only for this
    read's transaction."""
    if is_postgres(conn):
        await conn.execute(text("SET LOCAL work_mem = '64MB'"))


async def pack_totals(conn: AsyncConnection) -> dict[str, int]:
    """Submissions per pack id, for the results index."""
    rows = await conn.execute(select(Submission.pack_id, func.count()).group_by(Submission.pack_id))
    return {pack_id: int(n) for pack_id, n in rows}


def _in_pack(pack_id: str) -> Any:
    return Answer.submission_id.in_(select(Submission.id).where(Submission.pack_id == pack_id))


async def answer_counts(conn: AsyncConnection, pack_id: str) -> list[AnswerCount]:
    """Answers per question and value. A number answer's value is the number as text; a skip is
    "(skipped)"; a written answer is "(wrote an answer)" (the words themselves are comments).

    Grouped on the plain columns, with the bucket worked out on the few result rows: a million answers
    group in about a second this way, three times faster than grouping on an expression."""
    await _roomy(conn)
    rows = await conn.execute(
        select(
            Answer.question_id, Answer.value, Answer.number, Answer.skipped, func.count().label("n")
        )
        .where(_in_pack(pack_id))
        .group_by(Answer.question_id, Answer.value, Answer.number, Answer.skipped)
    )
    found: dict[tuple[str, str], int] = {}
    for r in rows:
        if r.skipped:
            bucket = SKIPPED
        elif r.value is not None:
            bucket = r.value
        elif r.number is not None:
            bucket = _number_text(r.number)
        else:
            bucket = WROTE
        key = (r.question_id, bucket)
        found[key] = found.get(key, 0) + int(r.n)
    return [AnswerCount(question, bucket, n) for (question, bucket), n in found.items()]


def _number_text(number: float) -> str:
    return str(round(number))


async def submission_times(conn: AsyncConnection, pack_id: str, zone: str) -> TimeCounts:
    """When the pack's submissions started, in local time (`zone`, e.g. "Europe/London").

    PostgreSQL converts to local time itself and groups by hour of the week and by week: a few hundred
    rows however many submissions. SQLite has no time zone rules, so it groups by UTC hour and the
    conversion happens here, row by row: fine for the team-sized databases SQLite serves.
    """
    in_pack = Submission.pack_id == pack_id
    await _roomy(conn)
    if is_postgres(conn):
        local = func.timezone(zone, Submission.started_at)
        # date_part gives a float; extract gives a numeric, which is twice as slow to group on.
        weekday = func.date_part("isodow", local).label("weekday")
        hour = func.date_part("hour", local).label("hour")
        slot_rows = await conn.execute(
            select(weekday, hour, Submission.channel, func.count().label("n"))
            .where(in_pack)
            .group_by(weekday, hour, Submission.channel)
        )
        slots = tuple(SlotCount(int(r.weekday) - 1, int(r.hour), r.channel, int(r.n)) for r in slot_rows)
        week = cast(func.date_trunc("week", local), Date).label("week")
        week_rows = await conn.execute(select(week, func.count().label("n")).where(in_pack).group_by(week))
        return TimeCounts(slots, {r.week: int(r.n) for r in week_rows})
    hour_text = func.substr(Submission.started_at, 1, 13).label("hour")  # "YYYY-MM-DD HH", UTC
    rows = await conn.execute(
        select(hour_text, Submission.channel, func.count().label("n"))
        .where(in_pack)
        .group_by(hour_text, Submission.channel)
    )
    local_zone = ZoneInfo(zone)
    per_slot: dict[tuple[int, int, str], int] = {}
    weeks: dict[date, int] = {}
    for r in rows:
        moment = datetime.strptime(r.hour, "%Y-%m-%d %H").replace(tzinfo=UTC).astimezone(local_zone)
        key = (moment.weekday(), moment.hour, r.channel)
        per_slot[key] = per_slot.get(key, 0) + int(r.n)
        monday = moment.date() - timedelta(days=moment.weekday())
        weeks[monday] = weeks.get(monday, 0) + int(r.n)
    return TimeCounts(tuple(SlotCount(d, h, c, n) for (d, h, c), n in per_slot.items()), weeks)


GroupBy = Literal["channel", "month", "week"]


def _bucket_of(value: str | None, number: float | None, skipped: bool) -> str:
    if skipped:
        return SKIPPED
    if value is not None:
        return value
    if number is not None:
        return _number_text(number)
    return WROTE


async def answer_groups(
    conn: AsyncConnection, pack_id: str, by: GroupBy, zone: str, question_id: str | None = None
) -> list[GroupCount]:
    """Answers per question, value and group: the channel, or the local month ("YYYY-MM") or week (the
    Monday it starts on, "YYYY-MM-DD") in which the person started the pack.

    Every view that splits answers by month (the comparison and the month-by-month trend) uses this one
    definition, so the same group is hidden on every page and no page undoes another's suppression.

    On PostgreSQL the submissions' channel or month is worked out once per submission (200,000
    submissions rather than 1,000,000 answers), then joined to the answers and grouped.
    SQLite groups by UTC hour and the conversion to local time happens here, as in `submission_times`.
    """
    where = [Submission.pack_id == pack_id]
    answer_where = [] if question_id is None else [Answer.question_id == question_id]
    await _roomy(conn)
    if is_postgres(conn):
        if by == "channel":
            # A plain join: PostgreSQL runs it in parallel, as fast as the ungrouped counts.
            subs = select(Submission.id, Submission.channel.label("grp")).where(*where).subquery("subs")
        else:
            local = func.timezone(zone, Submission.started_at)
            period = func.to_char(func.date_trunc(by, local), "YYYY-MM" if by == "month" else "YYYY-MM-DD")
            # OFFSET 0 keeps the local month worked out once per submission, before the join (the planner
            # would otherwise convert the time zone again for every answer), and, unlike a MATERIALIZED
            # CTE, leaves the planner a row size to choose which side of the join to hash.
            subs = select(Submission.id, period.label("grp")).where(*where).offset(0).subquery("subs")
        rows = await conn.execute(
            select(Answer.question_id, Answer.value, Answer.number, Answer.skipped, subs.c.grp,
                   func.count().label("n"))
            .join(subs, subs.c.id == Answer.submission_id)
            .where(*answer_where)
            .group_by(Answer.question_id, Answer.value, Answer.number, Answer.skipped, subs.c.grp)
        )
        found: dict[tuple[str, str, str], int] = {}
        for r in rows:
            key = (r.question_id, _bucket_of(r.value, r.number, r.skipped), r.grp)
            found[key] = found.get(key, 0) + int(r.n)
        return [GroupCount(q, v, g, n) for (q, v, g), n in found.items()]
    group_text = Submission.channel if by == "channel" else func.substr(Submission.started_at, 1, 13)
    rows = await conn.execute(
        select(Answer.question_id, Answer.value, Answer.number, Answer.skipped, group_text.label("grp"),
               func.count().label("n"))
        .join(Submission, Submission.id == Answer.submission_id)
        .where(*where, *answer_where)
        .group_by(Answer.question_id, Answer.value, Answer.number, Answer.skipped, group_text)
    )
    local_zone = ZoneInfo(zone)
    found = {}
    for r in rows:
        group = str(r.grp)
        if by != "channel":
            moment = datetime.strptime(r.grp, "%Y-%m-%d %H").replace(tzinfo=UTC).astimezone(local_zone).date()
            group = f"{moment:%Y-%m}" if by == "month" else f"{moment - timedelta(days=moment.weekday()):%Y-%m-%d}"
        key = (r.question_id, _bucket_of(r.value, r.number, r.skipped), group)
        found[key] = found.get(key, 0) + int(r.n)
    return [GroupCount(q, v, g, n) for (q, v, g), n in found.items()]


async def promises_kept(conn: AsyncConnection) -> tuple[frozenset[str], frozenset[str]]:
    """What the packs' promises have behind them: the packs with a check-in schedule that is on, and the
    broadcast audiences ("updates", "pack", "checkins", "channel") with a broadcast scheduled or sent."""
    checkins = await conn.scalars(select(CheckinSchedule.pack_id).where(CheckinSchedule.active.is_(True)).distinct())
    audiences = await conn.scalars(
        select(Broadcast.audience).where(Broadcast.status != "cancelled").distinct()
    )
    return frozenset(checkins), frozenset(audiences)
