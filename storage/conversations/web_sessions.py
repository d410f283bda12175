"""Web chat sessions, keyed by a hash of the browser's token so a database copy cannot resume a chat."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.conversations.records import WebSessionRecord
from storage.models import WebSession
from storage.privacy.scrub import scrub
from storage.sql import is_postgres, upsert_insert

MAX_TURNS = 50
WHO = ("bot", "person")


def token_hash(token: str) -> str:
    if not token:
        raise ValueError("a web session token cannot be empty")
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


async def get(conn: AsyncConnection, token: str, now: datetime) -> WebSessionRecord | None:
    row = (await conn.execute(select(WebSession).where(WebSession.token_hash == token_hash(token)))).first()
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
    turn = _checked(turn)
    current = select(WebSession.transcript, WebSession.expires_at).where(
        WebSession.token_hash == token_hash(token)
    )
    if is_postgres(conn):
        current = current.with_for_update()  # two appends at once must not lose one of them
    row = (await conn.execute(current)).first()
    if row is None or row.expires_at <= now:
        return False
    transcript = [*row.transcript, turn][-MAX_TURNS:]
    await conn.execute(
        update(WebSession)
        .where(WebSession.token_hash == token_hash(token))
        .values(transcript=transcript, last_seen_at=now)
    )
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
