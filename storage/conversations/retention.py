"""Retention: delete what we no longer need, and a full-text dump for privacy tests and audits."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, delete, exists, select
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.conversations.web_sessions import trim_all as web_turns_beyond_kept
from storage.models import (
    Base,
    Consent,
    InboundMessage,
    OutboxMessage,
    Participant,
    RateSlot,
    VaultEntry,
    WebSession,
)

OUTBOX_KEPT = timedelta(days=30)
# Long enough that a captured, signed webhook (a STOP, a FORGET ME) replayed later is still recognised
# as handled and not processed again; the rows hold a provider id and our reply, never an address.
INBOUND_KEPT = timedelta(days=90)
# A participant row with nothing hanging off it is kept this long after it was last seen, so the purge
# never races a message that is being handled.
EMPTY_PARTICIPANT_KEPT = timedelta(days=1)
# `sent` is included because Telegram and web chat never report delivery, so their rows stay `sent`.
_FINISHED = ("sent", "delivered", "failed", "cancelled")


async def purge(conn: AsyncConnection, now: datetime, *, inbound_kept: timedelta = INBOUND_KEPT) -> dict[str, int]:
    """Delete expired addresses, web sessions (and turns past a chat's last 50), old outbox rows and old
    inbound ids; counts by table."""
    consented = exists().where(Consent.participant_id == VaultEntry.participant_id, Consent.granted.is_(True))
    statements = {
        "vault_entries": delete(VaultEntry).where(
            VaultEntry.expires_at.is_not(None), VaultEntry.expires_at < now, ~consented
        ),
        "web_sessions": delete(WebSession).where(WebSession.expires_at < now),  # their turns go with them
        # A chat keeps its last 50 turns; the web chat trims in passing, this catches the rest.
        "web_turns": web_turns_beyond_kept(),
        "outbox": delete(OutboxMessage).where(
            OutboxMessage.status.in_(_FINISHED), OutboxMessage.status_changed_at < now - OUTBOX_KEPT
        ),
        "inbound_messages": delete(InboundMessage).where(InboundMessage.received_at < now - inbound_kept),
        # A slot an hour in the past limits nothing any more; per-person keys would otherwise pile up.
        "rate_slots": delete(RateSlot).where(RateSlot.next_at < (now - timedelta(hours=1)).timestamp()),
    }
    removed: dict[str, int] = {}
    for name, statement in statements.items():
        removed[name] = int((await conn.execute(statement)).rowcount or 0)
    # Last, so that participants left empty by the deletes above go in the same run.
    removed["participants"] = int((await conn.execute(_empty_participants(now))).rowcount or 0)
    return removed


def _references() -> list[tuple[Table, ColumnElement[bool]]]:
    """Every table with a column pointing at participants.id, and the condition "points at this one"."""
    found = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == Participant.__tablename__:
                found.append((table, fk.parent == Participant.id))
    return found


def _empty_participants(now: datetime) -> Any:
    """Participants nothing refers to any more (no vault entry, submission, session, consent, outbox row,
    alert, feedback or loop contact: every table with a foreign key to participants is checked, so a
    table added later is covered too), not stopped (a STOP is kept for as long as the row can be), and
    not seen for a day. A crawler's page views, an SMS conversation whose address has expired with
    nothing answered: these would otherwise pile up for ever."""
    unreferenced = [~exists().where(condition) for _, condition in _references()]
    return delete(Participant).where(
        and_(*unreferenced),
        Participant.stopped.is_(False),
        Participant.last_seen_at < now - EMPTY_PARTICIPANT_KEPT,
    )


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
