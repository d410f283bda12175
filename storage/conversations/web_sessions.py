"""Web chat sessions, keyed by a hash of the browser's token so a database copy cannot resume a chat."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.conversations.records import WebSessionRecord
from storage.models import WebSession
from storage.prepared import Prepared
from storage.privacy.scrub import scrub
from storage.sql import is_postgres, upsert_insert

MAX_TURNS = 50
WHO = ("bot", "person")

# Every web chat message reads the session and writes it back, so these are built once (storage/prepared.py).
_GET = Prepared(lambda _: select(WebSession).where(WebSession.token_hash == bindparam("b_token_hash")))
_CURRENT = Prepared(
    lambda _: select(WebSession.transcript, WebSession.expires_at).where(
        WebSession.token_hash == bindparam("b_token_hash")
    )
)
# PostgreSQL: two appends at once (two processes) must not lose one of them, so the row is locked first.
_CURRENT_LOCKED = Prepared(
    lambda _: select(WebSession.transcript, WebSession.expires_at)
    .where(WebSession.token_hash == bindparam("b_token_hash"))
    .with_for_update()
)
_WRITE = Prepared(
    lambda _: update(WebSession)
    .where(WebSession.token_hash == bindparam("b_token_hash"))
    .values(transcript=bindparam("b_transcript"), last_seen_at=bindparam("b_now"))
)


def token_hash(token: str) -> str:
    if not token:
        raise ValueError("a web session token cannot be empty")
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


async def get(conn: AsyncConnection, token: str, now: datetime) -> WebSessionRecord | None:
    row = (await conn.execute(_GET(conn), {"b_token_hash": token_hash(token)})).first()
    if row is None or row.expires_at <= now:
        return None
    return WebSessionRecord(
        participant_id=row.participant_id,
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        expires_at=row.expires_at,
        transcript=tuple(row.transcript),
    )


async def open_session(
    conn: AsyncConnection, token: str, participant_id: int, ttl: timedelta, now: datetime
) -> None:
    """Start a session, or renew it (same token) without losing its transcript."""
    opened = upsert_insert(conn, WebSession).values(
        token_hash=token_hash(token),
        participant_id=participant_id,
        created_at=now,
        last_seen_at=now,
        expires_at=now + ttl,
        transcript=[],
    )
    opened = opened.on_conflict_do_update(
        index_elements=[WebSession.token_hash],
        set_={"participant_id": participant_id, "last_seen_at": now, "expires_at": now + ttl},
    )
    await conn.execute(opened)


async def append(conn: AsyncConnection, token: str, turn: dict[str, Any], now: datetime) -> bool:
    """Add one turn to the transcript, keeping the last 50. False when the session is unknown or over."""
    return await append_new(conn, token, [turn], now) is not None


async def append_new(conn: AsyncConnection, token: str, turns: list[dict[str, Any]], now: datetime) -> bool | None:
    """Add turns unless one of them is there already: None when the session is unknown or over, False
    when a stored turn has the same `who` and `n` as a new one (a form sent twice, handled by another
    request, perhaps in another process), True when added. Keeps the last 50."""
    checked = [_checked(turn) for turn in turns]
    keys = {"b_token_hash": token_hash(token)}
    row = (await conn.execute((_CURRENT_LOCKED if is_postgres(conn) else _CURRENT)(conn), keys)).first()
    if row is None or row.expires_at <= now:
        return None
    stored = {(t.get("who"), t.get("n")) for t in row.transcript if isinstance(t, dict) and "n" in t}
    if any((t["who"], t["n"]) in stored for t in checked if "n" in t):
        return False
    transcript = [*row.transcript, *checked][-MAX_TURNS:]
    await conn.execute(_WRITE(conn), {**keys, "b_transcript": transcript, "b_now": now})
    return True


async def end(conn: AsyncConnection, token: str) -> bool:
    ended = await conn.execute(delete(WebSession).where(WebSession.token_hash == token_hash(token)))
    return bool(ended.rowcount)


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
