"""Submissions, answers and general feedback: what people told us, with free text scrubbed on the way in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.models import SUBMISSION_STATUSES, Answer, Feedback, Submission
from storage.privacy.scrub import scrub
from storage.sql import upsert_insert

MAX_VALUE = 100


async def start_submission(
    conn: AsyncConnection,
    submission_id: str,
    participant_id: int | None,
    pack_id: str,
    pack_version: int,
    language: str,
    channel: str,
    now: datetime,
) -> None:
    await conn.execute(
        insert(Submission).values(
            id=submission_id,
            participant_id=participant_id,
            pack_id=pack_id,
            pack_version=pack_version,
            language=language,
            channel=channel,
            status="open",
            started_at=now,
        )
    )


async def record_answer(
    conn: AsyncConnection,
    submission_id: str,
    question_id: str,
    *,
    value: str | None,
    number: float | None,
    text: str | None,
    skipped: bool,
    now: datetime,
) -> None:
    """Store an answer; answering the same question again replaces the earlier answer."""
    if value is not None and len(value) > MAX_VALUE:
        raise ValueError(f"an answer value is at most {MAX_VALUE} characters; free text belongs in `text`")
    fields = {
        "value": value,
        "number": number,
        "text": None if text is None else scrub(text),
        "skipped": skipped,
        "answered_at": now,
    }
    answer = upsert_insert(conn, Answer).values(
        submission_id=submission_id, question_id=question_id, **fields
    )
    answer = answer.on_conflict_do_update(
        index_elements=[Answer.submission_id, Answer.question_id], set_=fields
    )
    await conn.execute(answer)


async def withdraw_answer(conn: AsyncConnection, submission_id: str, question_id: str) -> None:
    """Remove an answer whose question no longer applies (the person went back and changed their mind)."""
    await conn.execute(
        delete(Answer).where(Answer.submission_id == submission_id, Answer.question_id == question_id)
    )


async def finish_submission(conn: AsyncConnection, submission_id: str, status: str, now: datetime) -> None:
    if status not in SUBMISSION_STATUSES:
        raise ValueError(
            f"unknown submission status {status!r}; expected one of {', '.join(SUBMISSION_STATUSES)}"
        )
    await conn.execute(
        update(Submission)
        .where(Submission.id == submission_id)
        .values(status=status, finished_at=None if status == "open" else now)
    )


async def add_feedback(
    conn: AsyncConnection,
    participant_id: int | None,
    channel: str,
    language: str,
    text: str | None,
    media: str | None,
    pack_id: str | None,
    now: datetime,
) -> int:
    added = await conn.execute(
        insert(Feedback)
        .values(
            participant_id=participant_id,
            channel=channel,
            language=language,
            text=None if text is None else scrub(text),
            media=media,
            pack_id=pack_id,
            received_at=now,
        )
        .returning(Feedback.id)
    )
    return int(added.scalar_one())
