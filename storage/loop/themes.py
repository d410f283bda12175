"""Themes: the name staff tag comments with (in `comment_tags`), plus a description, suggestion words and
the questions whose answers count as raising the theme. Also who raised a theme, as SQL to build on.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, delete, exists, func, insert, literal, select, union, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.cases.tables import Case, CaseTheme
from storage.loop.records import Comment, QuestionLink, Theme
from storage.loop.tables import LoopTheme, LoopThemeQuestion
from storage.models import Answer, Feedback, Submission
from storage.sql import upsert_insert
from storage.staff.comments import tidy_theme
from storage.staff.tables import CommentTag

MAX_KEYWORDS = 30
MAX_KEYWORD = 40
MAX_DESCRIPTION = 500


def tidy_keywords(words: Sequence[str]) -> list[str]:
    """Lower-case, single-spaced, unique suggestion words; raises ValueError when there are too many."""
    tidy = list(dict.fromkeys(" ".join(w.split()).lower() for w in words if w.strip()))
    if len(tidy) > MAX_KEYWORDS:
        raise ValueError(f"a theme has at most {MAX_KEYWORDS} suggestion words")
    if any(len(w) > MAX_KEYWORD for w in tidy):
        raise ValueError(f"a suggestion word is at most {MAX_KEYWORD} characters")
    return tidy


async def create(
    conn: AsyncConnection, *, name: str, description: str | None, keywords: Sequence[str], actor: str, now: datetime
) -> int:
    """A new theme; raises ValueError when the name is taken (or empty, or too long)."""
    name = tidy_theme(name)
    if await by_name(conn, name) is not None:
        raise ValueError(f"there is already a theme called '{name}'")
    added = await conn.execute(
        insert(LoopTheme)
        .values(
            name=name,
            description=_description(description),
            keywords=tidy_keywords(keywords),
            created_by=actor[:254],
            created_at=now,
        )
        .returning(LoopTheme.id)
    )
    return int(added.scalar_one())


def _description(text: str | None) -> str | None:
    tidy = " ".join((text or "").split())
    if len(tidy) > MAX_DESCRIPTION:
        raise ValueError(f"a theme description is at most {MAX_DESCRIPTION} characters")
    return tidy or None


async def adopt_tags(conn: AsyncConnection, *, actor: str, now: datetime) -> int:
    """Give every tag name staff have used on comments a theme row, so it can be linked to actions."""
    used = select(CommentTag.theme).distinct().where(~exists().where(LoopTheme.name == CommentTag.theme))
    names = list((await conn.scalars(used)).all())
    for name in names:
        await conn.execute(
            upsert_insert(conn, LoopTheme)
            .values(name=name, description=None, keywords=[], created_by=actor[:254], created_at=now)
            .on_conflict_do_nothing(index_elements=[LoopTheme.name])
        )
    return len(names)


async def edit(
    conn: AsyncConnection, theme_id: int, *, description: str | None, keywords: Sequence[str]
) -> bool:
    changed = await conn.execute(
        update(LoopTheme)
        .where(LoopTheme.id == theme_id)
        .values(description=_description(description), keywords=tidy_keywords(keywords))
    )
    return bool(changed.rowcount)


async def link_question(
    conn: AsyncConnection, theme_id: int, link: QuestionLink
) -> None:
    values = list(link.values) if link.values else None
    row = upsert_insert(conn, LoopThemeQuestion).values(
        theme_id=theme_id, pack_id=link.pack_id, question_id=link.question_id, answer_values=values
    )
    await conn.execute(
        row.on_conflict_do_update(
            index_elements=[LoopThemeQuestion.theme_id, LoopThemeQuestion.pack_id, LoopThemeQuestion.question_id],
            set_={"answer_values": values},
        )
    )


async def unlink_question(conn: AsyncConnection, theme_id: int, pack_id: str, question_id: str) -> bool:
    gone = await conn.execute(
        delete(LoopThemeQuestion).where(
            LoopThemeQuestion.theme_id == theme_id,
            LoopThemeQuestion.pack_id == pack_id,
            LoopThemeQuestion.question_id == question_id,
        )
    )
    return bool(gone.rowcount)


async def by_name(conn: AsyncConnection, name: str) -> Theme | None:
    found = await _themes(conn, LoopTheme.name == " ".join(name.split()))
    return found[0] if found else None


async def get(conn: AsyncConnection, theme_id: int) -> Theme | None:
    found = await _themes(conn, LoopTheme.id == theme_id)
    return found[0] if found else None


async def everything(conn: AsyncConnection) -> list[Theme]:
    """Every theme, by name."""
    return await _themes(conn, literal(True))


async def _themes(conn: AsyncConnection, where: Any) -> list[Theme]:
    tagged = (
        select(func.count())
        .where(CommentTag.theme == LoopTheme.name)
        .correlate(LoopTheme)
        .scalar_subquery()
    )
    rows = (
        await conn.execute(
            select(LoopTheme.id, LoopTheme.name, LoopTheme.description, LoopTheme.keywords, tagged.label("n"))
            .where(where)
            .order_by(LoopTheme.name)
        )
    ).all()
    links: dict[int, list[QuestionLink]] = {}
    if rows:
        found = await conn.execute(
            select(*LoopThemeQuestion.__table__.c)
            .where(LoopThemeQuestion.theme_id.in_([r.id for r in rows]))
            .order_by(LoopThemeQuestion.pack_id, LoopThemeQuestion.question_id)
        )
        for link in found:
            values = tuple(link.answer_values) if link.answer_values else None
            links.setdefault(link.theme_id, []).append(QuestionLink(link.pack_id, link.question_id, values))
    return [
        Theme(r.id, r.name, r.description, tuple(r.keywords or ()), tuple(links.get(r.id, ())), int(r.n or 0))
        for r in rows
    ]


async def untagged(conn: AsyncConnection, *, limit: int) -> list[Comment]:
    """Written answers and messages with words and no theme yet, newest first, for suggestions."""
    answers = (
        select(Answer.id, Answer.text)
        .where(
            Answer.text.is_not(None),
            Answer.skipped.is_(False),
            ~exists().where(CommentTag.answer_id == Answer.id),
        )
        .order_by(Answer.answered_at.desc(), Answer.id.desc())
        .limit(limit)
    )
    messages = (
        select(Feedback.id, Feedback.text)
        .where(Feedback.text.is_not(None), Feedback.text != "", ~exists().where(CommentTag.feedback_id == Feedback.id))
        .order_by(Feedback.received_at.desc(), Feedback.id.desc())
        .limit(limit)
    )
    found = [Comment("answer", r.id, r.text) for r in await conn.execute(answers)]
    found += [Comment("message", r.id, r.text) for r in await conn.execute(messages)]
    return found


# Who raised a theme. Each select gives one row a contribution: `who` is the person when still linked, or
# the contribution itself once its person was forgotten, so counts stay honest and nobody is counted twice.


def _who_answer() -> Any:
    return func.coalesce(cast(Submission.participant_id, String), literal("s:") + Submission.id)


def _who_message() -> Any:
    return func.coalesce(cast(Feedback.participant_id, String), literal("f:") + cast(Feedback.id, String))


def _who_case() -> Any:
    return func.coalesce(cast(Case.participant_id, String), literal("c:") + cast(Case.id, String))


def contribution_selects(
    theme_names: Sequence[str], links: Sequence[QuestionLink], *, people_only: bool = False
) -> list[Any]:
    """SELECTs of (who, participant_id) for every contribution to these themes: tagged comments and the
    linked questions' answers. With `people_only`, just the participant ids still linked."""

    def answer_columns() -> list[Any]:
        if people_only:
            return [Submission.participant_id.label("participant_id")]
        return [_who_answer().label("who"), Submission.participant_id.label("participant_id")]

    def only_people(query: Any, column: Any) -> Any:
        return query.where(column.is_not(None)) if people_only else query

    selects: list[Any] = []
    if theme_names:
        tagged = (
            select(*answer_columns())
            .join(Answer, Answer.submission_id == Submission.id)
            .join(CommentTag, CommentTag.answer_id == Answer.id)
            .where(CommentTag.theme.in_(list(theme_names)))
        )
        selects.append(only_people(tagged, Submission.participant_id))
        message_columns = [Feedback.participant_id.label("participant_id")]
        if not people_only:
            message_columns.insert(0, _who_message().label("who"))
        messages = (
            select(*message_columns)
            .join(CommentTag, CommentTag.feedback_id == Feedback.id)
            .where(CommentTag.theme.in_(list(theme_names)))
        )
        selects.append(only_people(messages, Feedback.participant_id))
        # Inbox cases tied to the theme (storage/cases): the person behind the case raised it too.
        case_columns = [Case.participant_id.label("participant_id")]
        if not people_only:
            case_columns.insert(0, _who_case().label("who"))
        cases = (
            select(*case_columns)
            .join(CaseTheme, CaseTheme.case_id == Case.id)
            .where(CaseTheme.theme.in_(list(theme_names)))
        )
        selects.append(only_people(cases, Case.participant_id))
    for link in links:
        where = [
            Submission.pack_id == link.pack_id,
            Answer.question_id == link.question_id,
            Answer.skipped.is_(False),
        ]
        if link.values:
            where.append(Answer.value.in_(list(link.values)))
        answered = select(*answer_columns()).join(Answer, Answer.submission_id == Submission.id).where(*where)
        selects.append(only_people(answered, Submission.participant_id))
    return selects


def contributions(theme_names: Sequence[str], links: Sequence[QuestionLink]) -> Any | None:
    """One subquery (who, participant_id) over all contributions, or None when nothing can contribute."""
    selects = contribution_selects(theme_names, links)
    if not selects:
        return None
    return union(*selects).subquery("contributions")


def contributor_ids(theme_names: Sequence[str], links: Sequence[QuestionLink]) -> Any | None:
    """The ids of the people behind those contributions (still linked): a union of plain integers, much
    cheaper than `contributions` when only the people matter."""
    selects = contribution_selects(theme_names, links, people_only=True)
    if not selects:
        return None
    return union(*selects)
