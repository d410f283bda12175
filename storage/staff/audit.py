"""The audit log: every sign-in, export, broadcast and action, as who, what and when.

`audit(...)` takes an open connection so a feature can write the entry in the same transaction as the
action it records. Details are scrubbed like any free text: a staff member may paste a phone number
into a broadcast name, and the log must never hold an address.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.privacy.scrub import scrub
from storage.staff.records import AuditEntry
from storage.staff.tables import AuditEvent

MAX_ACTION = 64
MAX_SUBJECT = 200
MAX_DETAIL = 2000


async def audit(
    conn: AsyncConnection,
    *,
    actor: str,
    action: str,
    now: datetime,
    staff_id: int | None = None,
    subject: str | None = None,
    detail: str | None = None,
) -> int:
    """Record one entry; returns its id. `actor` is a staff email or a name like "said staff add"."""
    if not action or len(action) > MAX_ACTION:
        raise ValueError(f"an audit action is 1 to {MAX_ACTION} characters, like 'broadcast.send'")
    added = await conn.execute(
        insert(AuditEvent)
        .values(
            at=now,
            staff_id=staff_id,
            actor=actor[:254],
            action=action,
            subject=None if subject is None else scrub(subject, MAX_SUBJECT),
            detail=None if detail is None else scrub(detail, MAX_DETAIL),
        )
        .returning(AuditEvent.id)
    )
    return int(added.scalar_one())


async def entries(
    conn: AsyncConnection, *, limit: int, offset: int = 0, action: str | None = None, since: datetime | None = None
) -> tuple[list[AuditEntry], int]:
    """Newest first, one page, and how many entries match in all."""
    where = [] if not action else [AuditEvent.action.startswith(action, autoescape=True)]
    if since is not None:
        where.append(AuditEvent.at >= since)
    total = int(await conn.scalar(select(func.count()).select_from(AuditEvent).where(*where)) or 0)
    rows = await conn.execute(
        select(AuditEvent)
        .where(*where)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
        .offset(offset)
    )
    found = [
        AuditEntry(id=r.id, at=r.at, actor=r.actor, action=r.action, subject=r.subject, detail=r.detail)
        for r in rows
    ]
    return found, total
