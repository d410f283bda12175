"""Counts for the results screens: answers per question and value per day, submissions per hour and channel.

Everything is grouped in the database, so a pack with a million answers comes back as a few thousand
rows. Days and hours are UTC buckets; the caller turns them into local weeks and office hours, which
needs the time zone rules SQLite does not have. No query here returns anything that points at a person.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import String, case, cast, func, literal, select
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.models import Answer, Feedback, Submission
from storage.sql import is_postgres
from storage.staff_records import AnswerCount, HourCount

SKIPPED = "(skipped)"
WROTE = "(wrote an answer)"


def _day(conn: AsyncConnection, column: Any) -> Any:
    if is_postgres(conn):
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD")
    return func.substr(column, 1, 10)  # SQLite keeps UTC text: "YYYY-MM-DD HH:MM:SS.ffffff"


def _hour(conn: AsyncConnection, column: Any) -> Any:
    if is_postgres(conn):
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD HH24")
    return func.substr(column, 1, 13)


def _hour_start(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H").replace(tzinfo=UTC)


async def pack_totals(conn: AsyncConnection) -> dict[str, int]:
    """Submissions per pack id, for the results index."""
    rows = await conn.execute(select(Submission.pack_id, func.count()).group_by(Submission.pack_id))
    return {pack_id: int(n) for pack_id, n in rows}


async def answer_counts(conn: AsyncConnection, pack_id: str) -> list[AnswerCount]:
    """Answers per question, value and UTC day. A number answer's value is the number as text; a skip
    is "(skipped)"; a written answer is "(wrote an answer)" (the words themselves are comments)."""
    number_text = cast(func.round(Answer.number), String)
    bucket = case(
        (Answer.skipped.is_(True), literal(SKIPPED)),
        (Answer.value.is_not(None), Answer.value),
        (Answer.number.is_not(None), number_text),
        else_=literal(WROTE),
    ).label("bucket")
    day = _day(conn, Answer.answered_at).label("day")
    rows = await conn.execute(
        select(Answer.question_id, bucket, day, func.count().label("n"))
        .join(Submission, Submission.id == Answer.submission_id)
        .where(Submission.pack_id == pack_id)
        .group_by(Answer.question_id, bucket, day)
    )
    return [AnswerCount(r.question_id, _number_tidy(r.bucket), r.day, int(r.n)) for r in rows]


def _number_tidy(bucket: str) -> str:
    # SQLite casts 3.0 to "3.0"; PostgreSQL to "3". Both mean the answer 3.
    return bucket[:-2] if bucket.endswith(".0") and bucket[:-2].lstrip("-").isdigit() else bucket


async def submission_hours(conn: AsyncConnection, pack_id: str) -> list[HourCount]:
    """Submissions started per UTC hour and channel."""
    hour = _hour(conn, Submission.started_at).label("hour")
    rows = await conn.execute(
        select(hour, Submission.channel, func.count().label("n"))
        .where(Submission.pack_id == pack_id)
        .group_by(hour, Submission.channel)
    )
    return [HourCount(_hour_start(r.hour), r.channel, int(r.n)) for r in rows]


async def message_hours(conn: AsyncConnection) -> list[HourCount]:
    """General messages received per UTC hour and channel."""
    hour = _hour(conn, Feedback.received_at).label("hour")
    rows = await conn.execute(
        select(hour, Feedback.channel, func.count().label("n")).group_by(hour, Feedback.channel)
    )
    return [HourCount(_hour_start(r.hour), r.channel, int(r.n)) for r in rows]
