"""Free-text answers and general messages for staff to read, and the themes they tag them with.

The text was scrubbed when it was stored. A comment is shown with its date only (no time), its channel
and where it came from: enough to understand it, not enough to match it to a person's message log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, delete, exists, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.models import Answer, Feedback, Submission
from storage.sql import upsert_insert
from storage.staff.records import Comment
from storage.staff.tables import CommentTag

CommentKind = Literal["answer", "message"]
MAX_THEME = 60


def tidy_theme(theme: str) -> str:
    """A theme as stored: single spaces, no ends, at most 60 characters. Raises ValueError when empty."""
    tidy = " ".join(theme.split())
    if not tidy:
        raise ValueError("a theme needs at least one word")
    if len(tidy) > MAX_THEME:
        raise ValueError(f"a theme is at most {MAX_THEME} characters")
    return tidy


def _target(kind: CommentKind) -> Any:
    return CommentTag.answer_id if kind == "answer" else CommentTag.feedback_id


async def answers(
    conn: AsyncConnection,
    *,
    pack_id: str | None,
    question_id: str | None,
    theme: str | None,
    limit: int,
    offset: int,
) -> tuple[list[Comment], int]:
    """Written answers, newest first: one page and the total that match."""
    where: list[ColumnElement[bool]] = [Answer.text.is_not(None), Answer.skipped.is_(False)]
    if pack_id:
        where.append(Submission.pack_id == pack_id)
    if question_id:
        where.append(Answer.question_id == question_id)
    if theme:
        where.append(exists().where(and_(CommentTag.answer_id == Answer.id, CommentTag.theme == theme)))
    joined = select(Answer.id).join(Submission, Submission.id == Answer.submission_id).where(*where)
    total = int(await conn.scalar(select(func.count()).select_from(joined.subquery())) or 0)
    rows = (
        await conn.execute(
            select(
                Answer.id, Answer.question_id, Answer.text, Answer.answered_at, Submission.pack_id, Submission.channel
            )
            .join(Submission, Submission.id == Answer.submission_id)
            .where(*where)
            .order_by(Answer.answered_at.desc(), Answer.id.desc())
            .limit(limit)
            .offset(offset)
        )
    ).all()
    tags = await _themes_of(conn, "answer", [r.id for r in rows])
    found = [
        Comment(
            kind="answer",
            id=r.id,
            pack_id=r.pack_id,
            question_id=r.question_id,
            channel=r.channel,
            text=r.text,
            day=r.answered_at.date().isoformat(),
            themes=tags.get(r.id, ()),
        )
        for r in rows
    ]
    return found, total


async def messages(
    conn: AsyncConnection, *, theme: str | None, limit: int, offset: int
) -> tuple[list[Comment], int]:
    """General messages (and notes that a picture or voice note came), newest first."""
    where = []
    if theme:
        where.append(exists().where(and_(CommentTag.feedback_id == Feedback.id, CommentTag.theme == theme)))
    total = int(await conn.scalar(select(func.count()).select_from(Feedback).where(*where)) or 0)
    rows = (
        await conn.execute(
            select(Feedback.id, Feedback.text, Feedback.media, Feedback.channel, Feedback.pack_id, Feedback.received_at)
            .where(*where)
            .order_by(Feedback.received_at.desc(), Feedback.id.desc())
            .limit(limit)
            .offset(offset)
        )
    ).all()
    tags = await _themes_of(conn, "message", [r.id for r in rows])
    found = [
        Comment(
            kind="message",
            id=r.id,
            pack_id=r.pack_id,
            question_id=None,
            channel=r.channel,
            text=r.text or "",
            day=r.received_at.date().isoformat(),
            themes=tags.get(r.id, ()),
            media=r.media,
        )
        for r in rows
    ]
    return found, total


async def _themes_of(conn: AsyncConnection, kind: CommentKind, ids: list[int]) -> dict[int, tuple[str, ...]]:
    if not ids:
        return {}
    column = _target(kind)
    rows = await conn.execute(
        select(column, CommentTag.theme).where(column.in_(ids)).order_by(CommentTag.theme)
    )
    found: dict[int, list[str]] = {}
    for target, theme in rows:
        found.setdefault(target, []).append(theme)
    return {key: tuple(value) for key, value in found.items()}


async def exists_comment(conn: AsyncConnection, kind: CommentKind, comment_id: int) -> bool:
    if kind == "answer":
        query = select(Answer.id).where(Answer.id == comment_id, Answer.text.is_not(None))
    else:
        query = select(Feedback.id).where(Feedback.id == comment_id)
    return await conn.scalar(query) is not None


async def tag(
    conn: AsyncConnection, kind: CommentKind, comment_id: int, theme: str, *, staff_id: int | None, now: datetime
) -> bool:
    """Give a comment a theme; False when it already had it."""
    theme = tidy_theme(theme)
    values = {"theme": theme, "tagged_by": staff_id, "tagged_at": now}
    values["answer_id" if kind == "answer" else "feedback_id"] = comment_id
    column = _target(kind)
    added = await conn.execute(
        upsert_insert(conn, CommentTag).values(**values).on_conflict_do_nothing(index_elements=[column, "theme"])
    )
    return bool(added.rowcount)


async def untag(conn: AsyncConnection, kind: CommentKind, comment_id: int, theme: str) -> bool:
    gone = await conn.execute(delete(CommentTag).where(_target(kind) == comment_id, CommentTag.theme == theme))
    return bool(gone.rowcount)


async def themes(conn: AsyncConnection) -> list[tuple[str, int]]:
    """Every theme in use and how many comments have it, most used first."""
    rows = await conn.execute(
        select(CommentTag.theme, func.count().label("n"))
        .group_by(CommentTag.theme)
        .order_by(func.count().desc(), CommentTag.theme)
    )
    return [(theme, int(n)) for theme, n in rows]
