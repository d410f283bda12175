"""Retention: delete what we no longer need, and a full-text dump for privacy tests and audits."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, exists, select
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.models import Base, Consent, InboundMessage, OutboxMessage, RateSlot, VaultEntry, WebSession

OUTBOX_KEPT = timedelta(days=30)
INBOUND_KEPT = timedelta(days=7)
# `sent` is included because Telegram and web chat never report delivery, so their rows stay `sent`.
_FINISHED = ("sent", "delivered", "failed", "cancelled")


async def purge(conn: AsyncConnection, now: datetime) -> dict[str, int]:
    """Delete expired addresses, web sessions, old outbox rows and old inbound ids; counts by table."""
    consented = exists().where(Consent.participant_id == VaultEntry.participant_id, Consent.granted.is_(True))
    statements = {
        "vault_entries": delete(VaultEntry).where(
            VaultEntry.expires_at.is_not(None), VaultEntry.expires_at < now, ~consented
        ),
        "web_sessions": delete(WebSession).where(WebSession.expires_at < now),
        "outbox": delete(OutboxMessage).where(
            OutboxMessage.status.in_(_FINISHED), OutboxMessage.status_changed_at < now - OUTBOX_KEPT
        ),
        "inbound_messages": delete(InboundMessage).where(InboundMessage.received_at < now - INBOUND_KEPT),
        # A slot an hour in the past limits nothing any more; per-person keys would otherwise pile up.
        "rate_slots": delete(RateSlot).where(RateSlot.next_at < (now - timedelta(hours=1)).timestamp()),
    }
    removed: dict[str, int] = {}
    for name, statement in statements.items():
        removed[name] = int((await conn.execute(statement)).rowcount or 0)
    return removed


async def dump_all_text(conn: AsyncConnection) -> str:
    """Every row of every table as text, so a test can search the whole database for an address."""
    lines: list[str] = []
    for table in Base.metadata.sorted_tables:
        rows = await conn.execute(select(table).order_by(*table.primary_key.columns))
        for row in rows.mappings():
            cells = ", ".join(f"{name}={_render(value)}" for name, value in row.items())
            lines.append(f"{table.name}: {cells}")
    return "\n".join(lines)


def _render(value: Any) -> str:
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)
