"""Provider message ids we have already handled, so a retried webhook is answered but not processed twice."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.errors import DuplicateInbound
from storage.models import InboundMessage
from storage.sql import fit_provider_id


async def seen(conn: AsyncConnection, channel: str, provider_id: str | None) -> dict[str, Any] | None:
    if not provider_id:
        return None
    reply = await conn.execute(
        select(InboundMessage.reply).where(
            InboundMessage.channel == channel, InboundMessage.provider_id == fit_provider_id(provider_id)
        )
    )
    row = reply.first()
    if row is None:
        return None
    return row.reply if row.reply is not None else {}


async def record(
    conn: AsyncConnection, channel: str, provider_id: str | None, reply: dict[str, Any], now: datetime
) -> None:
    if not provider_id:
        return
    try:
        await conn.execute(
            insert(InboundMessage).values(
                channel=channel, provider_id=fit_provider_id(provider_id), received_at=now, reply=reply
            )
        )
    except IntegrityError:
        # The transaction is now unusable on PostgreSQL; the caller's unit rolls back and re-reads the reply.
        raise DuplicateInbound("this message was already handled") from None
