"""Web chat sessions, keyed by a hash of the browser's token so a database copy cannot resume a chat.

A chat's turns are rows of `web_turns`: an answer adds its turns (one statement) instead of reading and
rewriting the whole conversation, and a chat is read back, session and newest turns, in one statement.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Integer, String, bindparam, column, delete, func, select, true, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.conversations.records import WebSessionRecord
from storage.models import WebSession, WebTurn
from storage.prepared import Prepared, upsert_for
from storage.privacy.scrub import scrub
from storage.sql import is_postgres, upsert_insert
from storage.types import UTCDateTime

MAX_TURNS = 50  # what a chat shows and keeps
# Older turns are deleted in passing when a turn numbered a multiple of this is added (one statement then,
# none in between), and by the retention purge; reads never return more than MAX_TURNS either way.
TRIM_EVERY = 16
WHO = ("bot", "person")

# On every web chat message's path, so built once (storage/prepared.py).
# The session and its newest turns in one statement; one row with no turn when the chat has none yet.
_READ = Prepared(
    lambda _: (
        select(
            WebSession.participant_id,
            WebSession.created_at,
            WebSession.last_seen_at,
            WebSession.expires_at,
            WebTurn.turn,
        )
        .outerjoin(WebTurn, WebTurn.token_hash == WebSession.token_hash)
        .where(
            WebSession.token_hash == bindparam("b_token_hash"),
            WebSession.expires_at > bindparam("b_now", type_=UTCDateTime()),
        )
        .order_by(WebTurn.id.desc())
        .limit(MAX_TURNS)
    )
)
# Says the chat is still on and, on PostgreSQL, locks its row until the transaction ends, so two requests
# adding turns to one chat (in two processes) take turns and the second sees what the first added.
def _touch() -> Any:
    return (
        update(WebSession)
        .where(
            WebSession.token_hash == bindparam("b_token_hash"),
            WebSession.expires_at > bindparam("b_now", type_=UTCDateTime()),
        )
        .values(last_seen_at=bindparam("b_now", type_=UTCDateTime()))
        .returning(WebSession.token_hash)
    )


_TOUCH = Prepared(lambda _: _touch())
# A turn already stored (same side, same number) is skipped; the ids say which were added.
_ADD = Prepared(
    lambda dialect: (
        upsert_for(dialect, WebTurn)
        .on_conflict_do_nothing(index_elements=[WebTurn.token_hash, WebTurn.who, WebTurn.n])
        .returning(WebTurn.id)
    )
)
# PostgreSQL: the chat's row touched (and locked) and the turns added in one statement, one round trip.
def _build_touch_and_add(_: str) -> Any:
    chat = _touch().cte("chat")
    new = (
        func.json_to_recordset(bindparam("b_turns", type_=JSON))
        .table_valued(column("who", String), column("n", Integer), column("turn", JSON), column("place", Integer))
        .render_derived(name="new", with_types=True)
    )
    rows = (
        select(chat.c.token_hash, new.c.who, new.c.n, new.c.turn, bindparam("b_now", type_=UTCDateTime()))
        .select_from(chat)
        .join(new, true())
        .order_by(new.c.place)  # ids in the order the turns were said
    )
    return (
        postgresql.insert(WebTurn)
        .from_select(["token_hash", "who", "n", "turn", "added_at"], rows)
        .on_conflict_do_nothing(index_elements=[WebTurn.token_hash, WebTurn.who, WebTurn.n])
        .returning(WebTurn.id)
        .add_cte(chat)
    )


_TOUCH_AND_ADD = Prepared(_build_touch_and_add)
_LIVE = Prepared(
    lambda _: select(WebSession.token_hash).where(
        WebSession.token_hash == bindparam("b_token_hash"),
        WebSession.expires_at > bindparam("b_now", type_=UTCDateTime()),
    )
)
_TAKE_BACK = Prepared(lambda _: delete(WebTurn).where(WebTurn.id.in_(bindparam("b_ids", expanding=True))))


def _build_trim(_: str) -> Any:
    oldest_kept = (
        select(WebTurn.id)
        .where(WebTurn.token_hash == bindparam("b_token_hash"))
        .order_by(WebTurn.id.desc())
        .limit(1)
        .offset(MAX_TURNS - 1)
        .scalar_subquery()
    )
    return delete(WebTurn).where(WebTurn.token_hash == bindparam("b_token_hash"), WebTurn.id < oldest_kept)


_TRIM = Prepared(_build_trim)


def token_hash(token: str) -> str:
    if not token:
        raise ValueError("a web session token cannot be empty")
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


async def get(conn: AsyncConnection, token: str, now: datetime) -> WebSessionRecord | None:
    """The session with its last 50 turns, oldest first; None when unknown or over. One statement."""
    rows = (await conn.execute(_READ(conn), {"b_token_hash": token_hash(token), "b_now": now})).all()
    if not rows:
        return None
    first = rows[0]
    return WebSessionRecord(
        participant_id=first.participant_id,
        created_at=first.created_at,
        last_seen_at=first.last_seen_at,
        expires_at=first.expires_at,
        transcript=tuple(row.turn for row in reversed(rows) if row.turn is not None),
    )


async def open_session(conn: AsyncConnection, token: str, participant_id: int, ttl: timedelta, now: datetime) -> None:
    """Start a session, or renew it (same token) without losing its turns."""
    opened = upsert_insert(conn, WebSession).values(
        token_hash=token_hash(token),
        participant_id=participant_id,
        created_at=now,
        last_seen_at=now,
        expires_at=now + ttl,
    )
    opened = opened.on_conflict_do_update(
        index_elements=[WebSession.token_hash],
        set_={"participant_id": participant_id, "last_seen_at": now, "expires_at": now + ttl},
    )
    await conn.execute(opened)


async def append(conn: AsyncConnection, token: str, turn: dict[str, Any], now: datetime) -> bool:
    """Add one turn. False when the session is unknown or over."""
    return await append_new(conn, token, [turn], now) is not None


async def append_new(conn: AsyncConnection, token: str, turns: list[dict[str, Any]], now: datetime) -> bool | None:
    """Add turns unless one of them is there already: None when the session is unknown or over, False
    when a stored turn has the same `who` and `n` as a new one (a form sent twice, handled by another
    request, perhaps in another process), True when added. One statement on PostgreSQL, two on SQLite;
    one more now and then to delete turns older than the last 50."""
    checked = [_checked(turn) for turn in turns]
    key = token_hash(token)
    rows = [
        {"token_hash": key, "who": turn["who"], "n": _number(turn.get("n")), "turn": turn, "added_at": now}
        for turn in checked
    ]
    if is_postgres(conn) and rows:
        new = [{"who": row["who"], "n": row["n"], "turn": row["turn"], "place": i} for i, row in enumerate(rows)]
        keys = {"b_token_hash": key, "b_now": now}
        added = list((await conn.execute(_TOUCH_AND_ADD(conn), {**keys, "b_turns": new})).scalars())
        if not added and (await conn.execute(_LIVE(conn), keys)).first() is None:
            return None
    else:
        if (await conn.execute(_TOUCH(conn), {"b_token_hash": key, "b_now": now})).first() is None:
            return None
        added = list((await conn.execute(_ADD(conn), rows)).scalars()) if rows else []
    if len(added) < len(rows):
        # All or nothing, as a double submit must be: the chat row is locked (or SQLite has one writer),
        # so nothing else added turns to this chat between the insert and this delete.
        if added:
            await conn.execute(_TAKE_BACK(conn), {"b_ids": added})
        return False
    if any(n is not None and n >= MAX_TURNS and n % TRIM_EVERY == 0 for n in (row["n"] for row in rows)):
        await conn.execute(_TRIM(conn), {"b_token_hash": key})
    return True


async def end(conn: AsyncConnection, token: str) -> bool:
    ended = await conn.execute(delete(WebSession).where(WebSession.token_hash == token_hash(token)))
    return bool(ended.rowcount)


def trim_all() -> Any:
    """A DELETE of every turn older than its chat's last 50 (the retention purge)."""
    newest_first = select(
        WebTurn.id, func.row_number().over(partition_by=WebTurn.token_hash, order_by=WebTurn.id.desc()).label("place")
    ).subquery()
    return delete(WebTurn).where(WebTurn.id.in_(select(newest_first.c.id).where(newest_first.c.place > MAX_TURNS)))


def _number(value: object) -> int | None:
    """The turn's number as the unique key sees it; a turn without one (the outbox's) never clashes."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _checked(turn: dict[str, Any]) -> dict[str, Any]:
    if turn.get("who") not in WHO or not isinstance(turn.get("messages"), list):
        raise ValueError('a transcript turn is {"who": "bot" or "person", "messages": [...]}')
    json.dumps(turn)  # must be storable as JSON
    # What a person typed is free text like any other, so it is scrubbed; our own words are kept as they
    # are (a bot message may rightly contain a helpline number).
    return _scrubbed(turn) if turn["who"] == "person" else turn


def _scrubbed(value: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, list):
        return [_scrubbed(item) for item in value]
    if isinstance(value, dict):
        return {key: _scrubbed(item) for key, item in value.items()}
    return value
