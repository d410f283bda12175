"""Actions: "You said … We did …", their themes, publishing, and the public list.

Words are checked for easy read by the bot before they get here; this module keeps them and refuses
only what cannot be stored sensibly (no words, unknown status, a theme that does not exist).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, exists, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.loop.records import Action, QuestionLink
from storage.loop.tables import ACTION_STATUSES, LoopAction, LoopActionTheme, LoopTheme, LoopThemeQuestion
from storage.loop.themes import contributions

MAX_WORDS = 600  # characters of one text in one language
MAX_SYMBOL = 40


def _checked(you_said: dict[str, str], we_did: dict[str, str], status: str, symbol: str) -> None:
    if status not in ACTION_STATUSES:
        raise ValueError(f"unknown status {status!r}; use one of {', '.join(ACTION_STATUSES)}")
    if not symbol or len(symbol) > MAX_SYMBOL:
        raise ValueError("an action needs a symbol name")
    languages = [lang for lang, text in you_said.items() if text.strip()]
    if not languages:
        raise ValueError("an action needs 'You said' words in at least one language")
    for lang in languages:
        if not we_did.get(lang, "").strip():
            raise ValueError(f"'You said' has words in {lang} but 'We did' has none")
    for text in (*you_said.values(), *we_did.values()):
        if len(text) > MAX_WORDS:
            raise ValueError(f"one text is at most {MAX_WORDS} characters")


def _tidy(texts: dict[str, str]) -> dict[str, str]:
    return {lang: " ".join(text.split()) for lang, text in texts.items() if text.strip()}


async def _check_themes(conn: AsyncConnection, theme_ids: Sequence[int]) -> None:
    if not theme_ids:
        raise ValueError("link the action to at least one theme")
    known = set((await conn.scalars(select(LoopTheme.id).where(LoopTheme.id.in_(list(theme_ids))))).all())
    missing = sorted(set(theme_ids) - known)
    if missing:
        raise ValueError(f"there is no theme {', '.join(map(str, missing))}")


async def create(
    conn: AsyncConnection,
    *,
    you_said: dict[str, str],
    we_did: dict[str, str],
    status: str,
    symbol: str,
    happened_on: date,
    theme_ids: Sequence[int],
    actor: str,
    now: datetime,
) -> int:
    you_said, we_did = _tidy(you_said), _tidy(we_did)
    _checked(you_said, we_did, status, symbol)
    await _check_themes(conn, theme_ids)
    added = await conn.execute(
        insert(LoopAction)
        .values(
            you_said=you_said,
            we_did=we_did,
            status=status,
            symbol=symbol,
            happened_on=happened_on,
            created_by=actor[:254],
            created_at=now,
            updated_at=now,
        )
        .returning(LoopAction.id)
    )
    action_id = int(added.scalar_one())
    await _set_themes(conn, action_id, theme_ids)
    return action_id


async def edit(
    conn: AsyncConnection,
    action_id: int,
    *,
    you_said: dict[str, str],
    we_did: dict[str, str],
    status: str,
    symbol: str,
    happened_on: date,
    theme_ids: Sequence[int],
    now: datetime,
) -> bool:
    """Change an action. Published ones can change too (a status moves on); nobody is told twice."""
    you_said, we_did = _tidy(you_said), _tidy(we_did)
    _checked(you_said, we_did, status, symbol)
    await _check_themes(conn, theme_ids)
    changed = await conn.execute(
        update(LoopAction)
        .where(LoopAction.id == action_id)
        .values(you_said=you_said, we_did=we_did, status=status, symbol=symbol, happened_on=happened_on,
                updated_at=now)
    )
    if not changed.rowcount:
        return False
    await _set_themes(conn, action_id, theme_ids)
    return True


async def _set_themes(conn: AsyncConnection, action_id: int, theme_ids: Sequence[int]) -> None:
    await conn.execute(delete(LoopActionTheme).where(LoopActionTheme.action_id == action_id))
    await conn.execute(
        insert(LoopActionTheme), [{"action_id": action_id, "theme_id": t} for t in dict.fromkeys(theme_ids)]
    )


async def publish(conn: AsyncConnection, action_id: int, now: datetime) -> bool:
    """Mark the action published (once: the first date stays). False when there is no such action."""
    await conn.execute(
        update(LoopAction)
        .where(LoopAction.id == action_id, LoopAction.published_at.is_(None))
        .values(published_at=now, updated_at=now)
    )
    return await conn.scalar(select(LoopAction.id).where(LoopAction.id == action_id)) is not None


async def withdraw(conn: AsyncConnection, action_id: int, now: datetime) -> bool:
    """Take an action off the public page. Follow-ups already sent stay sent."""
    changed = await conn.execute(
        update(LoopAction)
        .where(LoopAction.id == action_id, LoopAction.published_at.is_not(None))
        .values(published_at=None, updated_at=now)
    )
    return bool(changed.rowcount)


async def record_counts(conn: AsyncConnection, action_id: int, *, raised_by: int, told: int) -> None:
    await conn.execute(update(LoopAction).where(LoopAction.id == action_id).values(raised_by=raised_by, told=told))


async def sources(conn: AsyncConnection, action_id: int) -> tuple[list[str], list[QuestionLink]]:
    """The names of the action's themes and the questions linked to them."""
    names = list(
        (
            await conn.scalars(
                select(LoopTheme.name)
                .join(LoopActionTheme, LoopActionTheme.theme_id == LoopTheme.id)
                .where(LoopActionTheme.action_id == action_id)
            )
        ).all()
    )
    rows = await conn.execute(
        select(LoopThemeQuestion.pack_id, LoopThemeQuestion.question_id, LoopThemeQuestion.answer_values)
        .join(LoopActionTheme, LoopActionTheme.theme_id == LoopThemeQuestion.theme_id)
        .where(LoopActionTheme.action_id == action_id)
    )
    # Two themes may link the same question; once is enough (JSON cannot be compared in SQL on PostgreSQL).
    links = [QuestionLink(r.pack_id, r.question_id, tuple(r.answer_values) if r.answer_values else None) for r in rows]
    return names, list(dict.fromkeys(links))


async def raised_by(conn: AsyncConnection, action_id: int) -> int:
    """People who raised the action's themes (a contribution whose person was forgotten counts once)."""
    names, links = await sources(conn, action_id)
    found = contributions(names, links)
    if found is None:
        return 0
    return int(await conn.scalar(select(func.count()).select_from(found)) or 0)


async def get(conn: AsyncConnection, action_id: int) -> Action | None:
    found = await _actions(conn, [LoopAction.id == action_id], limit=1)
    return found[0] if found else None


async def listing(
    conn: AsyncConnection, *, published: bool | None = None, theme_id: int | None = None, limit: int = 200
) -> list[Action]:
    """Actions newest first: published ones by publishing date, the others by when they were written."""
    where: list[Any] = []
    if published is True:
        where.append(LoopAction.published_at.is_not(None))
    elif published is False:
        where.append(LoopAction.published_at.is_(None))
    if theme_id is not None:
        where.append(
            exists().where(LoopActionTheme.action_id == LoopAction.id, LoopActionTheme.theme_id == theme_id)
        )
    return await _actions(conn, where, limit=limit)


async def _actions(conn: AsyncConnection, where: list[Any], *, limit: int) -> list[Action]:
    rows = (
        await conn.execute(
            select(*LoopAction.__table__.c)
            .where(*where)
            .order_by(func.coalesce(LoopAction.published_at, LoopAction.created_at).desc(), LoopAction.id.desc())
            .limit(limit)
        )
    ).all()
    themes: dict[int, list[tuple[int, str]]] = {}
    if rows:
        linked = await conn.execute(
            select(LoopActionTheme.action_id, LoopTheme.id, LoopTheme.name)
            .join(LoopTheme, LoopTheme.id == LoopActionTheme.theme_id)
            .where(LoopActionTheme.action_id.in_([r.id for r in rows]))
            .order_by(LoopTheme.name)
        )
        for action_id, theme_id, name in linked:
            themes.setdefault(action_id, []).append((theme_id, name))
    return [
        Action(
            id=r.id,
            you_said=dict(r.you_said or {}),
            we_did=dict(r.we_did or {}),
            status=r.status,
            symbol=r.symbol,
            happened_on=r.happened_on,
            published_at=r.published_at,
            created_by=r.created_by,
            created_at=r.created_at,
            updated_at=r.updated_at,
            raised_by=r.raised_by,
            told=r.told,
            themes=tuple(themes.get(r.id, ())),
        )
        for r in rows
    ]


async def public_themes(conn: AsyncConnection) -> list[tuple[int, str]]:
    """Themes with at least one published action, for the public page's filter."""
    rows = await conn.execute(
        select(LoopTheme.id, LoopTheme.name)
        .where(
            exists().where(
                LoopActionTheme.theme_id == LoopTheme.id,
                LoopActionTheme.action_id == LoopAction.id,
                LoopAction.published_at.is_not(None),
            )
        )
        .order_by(LoopTheme.name)
    )
    return [(int(i), str(n)) for i, n in rows]
