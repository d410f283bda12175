"""Provider message ids we have already handled, so a retried webhook is answered but not processed twice."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.errors import DuplicateInbound
from storage.models import InboundMessage
from storage.prepared import Prepared
from storage.sql import fit_provider_id

_SEEN = Prepared(
    lambda _: select(InboundMessage.reply).where(
        InboundMessage.channel == bindparam("b_channel"), InboundMessage.provider_id == bindparam("b_provider_id")
    )
)


def record_insert() -> Any:
    """The INSERT that remembers a reply, for building into another statement (participants.py)."""
    return insert(InboundMessage).values(
        channel=bindparam("b_channel"), provider_id=bindparam("b_provider_id"), received_at=bindparam("b_now"),
        reply=bindparam("b_reply"),
    )


_RECORD = Prepared(lambda _: record_insert())
# For reading inside another statement (the person's arrival): the reply to this message id, if any.
SEEN_REPLY = (
    select(InboundMessage.reply)
    .where(
        InboundMessage.channel == bindparam("b_seen_channel"),
        InboundMessage.provider_id == bindparam("b_seen_provider_id"),
    )
    .scalar_subquery()
    .label("seen_reply")
)


def seen_keys(channel: str, provider_id: str) -> dict[str, str]:
    """The parameters `SEEN_REPLY` needs."""
    return {"b_seen_channel": channel, "b_seen_provider_id": fit_provider_id(provider_id)}


async def seen(conn: AsyncConnection, channel: str, provider_id: str | None) -> dict[str, Any] | None:
    if not provider_id:
        return None
    reply = await conn.execute(_SEEN(conn), {"b_channel": channel, "b_provider_id": fit_provider_id(provider_id)})
    row = reply.first()
    if row is None:
        return None
    return row.reply if row.reply is not None else {}


def record_keys(channel: str, provider_id: str, reply: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The parameters `record_insert()` needs."""
    return {"b_channel": channel, "b_provider_id": fit_provider_id(provider_id), "b_now": now, "b_reply": reply}


async def record(
    conn: AsyncConnection, channel: str, provider_id: str | None, reply: dict[str, Any], now: datetime
) -> None:
    if not provider_id:
        return
    await run_record(conn, _RECORD(conn), record_keys(channel, provider_id, reply, now))


async def run_record(conn: AsyncConnection, statement: Any, keys: dict[str, Any]) -> None:
    """Execute a statement that remembers a reply: `DuplicateInbound` when the message id is taken."""
    try:
        await conn.execute(statement, keys)
    except IntegrityError:
        # The transaction is now unusable on PostgreSQL; the caller's unit rolls back and re-reads the reply.
        raise DuplicateInbound("this message was already handled") from None
