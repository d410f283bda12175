"""Submissions, answers and general feedback: what people told us, with free text scrubbed on the way in."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, insert, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.models import SUBMISSION_STATUSES, Answer, Feedback, Submission
from storage.prepared import Prepared, upsert_for
from storage.privacy.scrub import scrub

MAX_VALUE = 100
_ANSWER_FIELDS = ("value", "number", "text", "skipped", "answered_at")

_START = Prepared(
    lambda _: insert(Submission).values(
        id=bindparam("b_id"), participant_id=bindparam("b_participant_id"), pack_id=bindparam("b_pack_id"),
        pack_version=bindparam("b_pack_version"), language=bindparam("b_language"), channel=bindparam("b_channel"),
        status="open", started_at=bindparam("b_now"),
    )
)


def _build_answer(dialect: str) -> Any:
    answer = upsert_for(dialect, Answer).values(
        submission_id=bindparam("b_submission_id"), question_id=bindparam("b_question_id"),
        **{name: bindparam(f"b_{name}") for name in _ANSWER_FIELDS},
    )
    return answer.on_conflict_do_update(
        index_elements=[Answer.submission_id, Answer.question_id],
        set_={name: getattr(answer.excluded, name) for name in _ANSWER_FIELDS},
    )


_ANSWER = Prepared(_build_answer)
_FINISH = Prepared(
    lambda _: update(Submission)
    .where(Submission.id == bindparam("b_id"))
    .values(status=bindparam("b_status"), finished_at=bindparam("b_finished_at"))
)
_FEEDBACK = Prepared(
    lambda _: insert(Feedback)
    .values(
        participant_id=bindparam("b_participant_id"), channel=bindparam("b_channel"),
        language=bindparam("b_language"), text=bindparam("b_text"), media=bindparam("b_media"),
        pack_id=bindparam("b_pack_id"), received_at=bindparam("b_now"),
    )
    .returning(Feedback.id)
)


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
        _START(conn),
        {
            "b_id": submission_id, "b_participant_id": participant_id, "b_pack_id": pack_id,
            "b_pack_version": pack_version, "b_language": language, "b_channel": channel, "b_now": now,
        },
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
    await conn.execute(
        _ANSWER(conn),
        {
            "b_submission_id": submission_id, "b_question_id": question_id, "b_value": value, "b_number": number,
            "b_text": None if text is None else scrub(text), "b_skipped": skipped, "b_answered_at": now,
        },
    )


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
        _FINISH(conn),
        {"b_id": submission_id, "b_status": status, "b_finished_at": None if status == "open" else now},
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
        _FEEDBACK(conn),
        {
            "b_participant_id": participant_id, "b_channel": channel, "b_language": language,
            "b_text": None if text is None else scrub(text), "b_media": media, "b_pack_id": pack_id, "b_now": now,
        },
    )
    return int(added.scalar_one())
