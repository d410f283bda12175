"""Safeguarding alerts: created with the message that raised them, read, acknowledged, closed, and the
break-glass reveal of a person's contact details.

Every function takes an open connection inside a transaction; `storage.safeguarding.store` is the
public face. `reveal` writes its audit entry in the caller's transaction, so contact details are never
shown without a record of who asked and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.models import Participant, VaultEntry
from storage.privacy.scrub import scrub
from storage.privacy.vault import ADDRESS, CALLBACK, Vault, VaultError
from storage.safeguarding.records import AlertRecord, AlertSummary, NoticeItem, RevealedContact
from storage.safeguarding.tables import ALERT_KINDS, ALERT_LEVELS, ALERT_STATUSES, CallbackNumber
from storage.safeguarding.tables import SafeguardingAlert as A
from storage.sql import is_postgres
from storage.staff.audit import audit
from storage.staff.records import AuditEntry
from storage.staff.tables import AuditEvent, StaffUser

LEAD_ROLE = "safeguarding_lead"
SHORTEST_REASON = 10  # characters: "checking" is not a reason
LONGEST_REASON = 1000
LONGEST_OUTCOME = 2000
PHONE_CHANNELS = ("sms", "voice", "whatsapp")


class NotAllowed(Exception):
    """The request was refused; the message says why in words fit for the person who asked."""


async def create(
    conn: AsyncConnection,
    *,
    kind: str,
    level: str,
    rules: Sequence[str],
    text: str | None,
    place: str | None,
    channel: str,
    language: str | None,
    pack_id: str | None,
    participant_id: int | None,
    submission_id: str | None,
    question_id: str | None,
    feedback_id: int | None,
    now: datetime,
) -> int:
    """A new open alert, its notices due at once. The text is scrubbed here."""
    if kind not in ALERT_KINDS or level not in ALERT_LEVELS:
        raise ValueError(f"an alert is kind {'/'.join(ALERT_KINDS)} and level {'/'.join(ALERT_LEVELS)}")
    added = await conn.execute(
        insert(A)
        .values(
            kind=kind, level=level, rules=[str(r)[:100] for r in rules][:20],
            text=None if text is None else scrub(text), place=place, channel=channel, language=language,
            pack_id=pack_id, participant_id=participant_id, submission_id=submission_id,
            question_id=question_id, feedback_id=feedback_id, created_at=now, status="open",
            notice_due_at=now, notice_attempts=0,
        )
        .returning(A.id)
    )
    return int(added.scalar_one())


async def keep_callback_number(
    conn: AsyncConnection, vault: Vault, alert_id: int, participant_id: int, phone: str
) -> None:
    await conn.execute(
        insert(CallbackNumber).values(
            alert_id=alert_id, participant_id=participant_id,
            sealed=vault.seal(phone, participant_id=participant_id, purpose=CALLBACK),
        )
    )


def _summary(row: Any) -> AlertSummary:
    return AlertSummary(
        id=row.id, kind=row.kind, level=row.level, rules=tuple(row.rules or ()), channel=row.channel,
        pack_id=row.pack_id, place=row.place, created_at=row.created_at, status=row.status,
        notified=row.notice_due_at is None and row.notice_error is None,
    )


async def listing(
    conn: AsyncConnection, *, status: str | None, limit: int, offset: int = 0
) -> tuple[list[AlertSummary], int]:
    """Open and acknowledged alerts first (urgent first), then closed ones; newest first within each."""
    where = [] if status is None else [A.status == status]
    if status is not None and status not in ALERT_STATUSES:
        raise ValueError(f"status is one of {', '.join(ALERT_STATUSES)}")
    total = int(await conn.scalar(select(func.count()).select_from(A).where(*where)) or 0)
    closed_last = case((A.status == "closed", 1), else_=0)
    urgent_first = case((A.level == "urgent", 0), else_=1)
    rows = await conn.execute(
        select(A).where(*where).order_by(closed_last, urgent_first, A.created_at.desc(), A.id.desc())
        .limit(limit).offset(offset)
    )
    return [_summary(r) for r in rows], total


async def get(conn: AsyncConnection, alert_id: int, now: datetime) -> AlertRecord | None:
    row = (await conn.execute(select(A).where(A.id == alert_id))).one_or_none()
    if row is None:
        return None
    return AlertRecord(
        id=row.id, kind=row.kind, level=row.level, rules=tuple(row.rules or ()), text=row.text, place=row.place,
        channel=row.channel, language=row.language, pack_id=row.pack_id, submission_id=row.submission_id,
        question_id=row.question_id, feedback_id=row.feedback_id, created_at=row.created_at, status=row.status,
        acknowledged_by=row.acknowledged_by, acknowledged_at=row.acknowledged_at, closed_by=row.closed_by,
        closed_at=row.closed_at, outcome=row.outcome, emailed_at=row.emailed_at, messaged_at=row.messaged_at,
        notice_error=row.notice_error, reachable=await _contact_row(conn, row, now) is not None,
    )


async def is_lead(conn: AsyncConnection, staff_id: int) -> bool:
    role = await conn.scalar(
        select(StaffUser.role).where(StaffUser.id == staff_id, StaffUser.active.is_(True))
    )
    return role == LEAD_ROLE


async def exists(conn: AsyncConnection, alert_id: int) -> bool:
    return await conn.scalar(select(A.id).where(A.id == alert_id)) is not None


async def acknowledge(conn: AsyncConnection, alert_id: int, staff_id: int, now: datetime) -> bool:
    """Open → acknowledged. False when the alert is not open."""
    done = await conn.execute(
        update(A).where(A.id == alert_id, A.status == "open")
        .values(status="acknowledged", acknowledged_by=staff_id, acknowledged_at=now)
    )
    return bool(done.rowcount)


async def close(conn: AsyncConnection, alert_id: int, staff_id: int, outcome: str, now: datetime) -> bool:
    """Open or acknowledged → closed, with what was done. False when already closed or unknown."""
    outcome = scrub(outcome.strip(), LONGEST_OUTCOME)
    if not outcome:
        raise NotAllowed("Please write the outcome: what was done, or why nothing needed doing.")
    done = await conn.execute(
        update(A).where(A.id == alert_id, A.status != "closed")
        .values(
            status="closed", closed_by=staff_id, closed_at=now, outcome=outcome,
            acknowledged_by=func.coalesce(A.acknowledged_by, staff_id),
            acknowledged_at=func.coalesce(A.acknowledged_at, now),
        )
    )
    return bool(done.rowcount)


async def _contact_row(
    conn: AsyncConnection, alert: Any, now: datetime
) -> tuple[str, str, bytes, int, str] | None:
    """(channel, how, sealed, participant id, vault purpose) for the person behind an alert, or None when
    they cannot be reached."""
    number = (
        await conn.execute(
            select(CallbackNumber.sealed, CallbackNumber.participant_id).where(CallbackNumber.alert_id == alert.id)
        )
    ).one_or_none()
    if number is not None:
        return "sms", "a number they gave for a call back", number.sealed, number.participant_id, CALLBACK
    if alert.participant_id is None:
        return None
    row = (
        await conn.execute(
            select(Participant.channel, VaultEntry.sealed, VaultEntry.expires_at)
            .join(VaultEntry, VaultEntry.participant_id == Participant.id)
            .where(Participant.id == alert.participant_id)
        )
    ).one_or_none()
    if row is None or (row.expires_at is not None and row.expires_at <= now):
        return None
    if row.channel in PHONE_CHANNELS:
        return row.channel, "the number they wrote from", row.sealed, alert.participant_id, ADDRESS
    if row.channel == "telegram":
        return row.channel, "their Telegram chat id", row.sealed, alert.participant_id, ADDRESS
    return None  # a web chat session token is no way to reach anyone, and it must never be shown


async def reveal(
    conn: AsyncConnection,
    vault: Vault,
    *,
    alert_id: int,
    staff_id: int,
    actor: str,
    reason: str,
    now: datetime,
) -> RevealedContact:
    """Open the vault for the one person behind `alert_id`, for a safeguarding lead who gave a reason.

    The audit entry is written here, in the caller's transaction. Raises `NotAllowed` (after auditing the
    refusal, which the caller must commit) for anyone but an active safeguarding lead, for a missing or
    short reason, and when the person cannot be reached.
    """
    reason = reason.strip()
    subject = f"alert {alert_id}"

    async def refuse(why: str) -> NotAllowed:
        await audit(conn, actor=actor, staff_id=staff_id, action="safeguarding.reveal_refused",
                    subject=subject, detail=why, now=now)
        return NotAllowed(why)

    if not await is_lead(conn, staff_id):
        raise await refuse("Only a safeguarding lead can see contact details.")
    if len(reason) < SHORTEST_REASON:
        raise await refuse(f"Please write why you need the contact details (at least {SHORTEST_REASON} letters).")
    alert = (await conn.execute(select(A.id, A.participant_id).where(A.id == alert_id))).one_or_none()
    if alert is None:
        raise await refuse("There is no such alert.")
    found = await _contact_row(conn, alert, now)
    if found is None:
        raise await refuse("There are no contact details: the person asked us to forget them, wrote on the"
                           " web chat, or their details have passed the time we keep them.")
    channel, how, sealed, participant_id, purpose = found
    try:
        address = vault.open(sealed, participant_id=participant_id, purpose=purpose)
    except VaultError:
        raise await refuse("The contact details cannot be opened with this key.") from None
    await audit(conn, actor=actor, staff_id=staff_id, action="safeguarding.reveal", subject=subject,
                detail=reason[:LONGEST_REASON], now=now)
    return RevealedContact(channel=channel, how=how, address=address)


async def history(conn: AsyncConnection, alert_id: int) -> list[AuditEntry]:
    """What staff did with one alert, oldest first, from the audit log."""
    rows = await conn.execute(
        select(AuditEvent)
        .where(AuditEvent.subject == f"alert {alert_id}", AuditEvent.action.startswith("safeguarding."))
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    return [AuditEntry(id=r.id, at=r.at, actor=r.actor, action=r.action, subject=r.subject, detail=r.detail)
            for r in rows]


# Notices to the duty team


async def claim_notices(conn: AsyncConnection, *, now: datetime, lease: timedelta, limit: int) -> list[NoticeItem]:
    """Alerts whose notices are due and not held by another worker, now held until `now + lease`."""
    due = (
        select(A.id)
        .where(A.notice_due_at <= now, or_(A.notice_lease_until.is_(None), A.notice_lease_until < now))
        .order_by(A.level.desc(), A.notice_due_at, A.id)  # "urgent" sorts after "concern": desc puts it first
        .limit(limit)
    )
    if is_postgres(conn):
        due = due.with_for_update(skip_locked=True)
    ids = list((await conn.scalars(due)).all())
    if not ids:
        return []
    await conn.execute(
        update(A).where(A.id.in_(ids))
        .values(notice_lease_until=now + lease, notice_attempts=A.notice_attempts + 1)
    )
    rows = await conn.execute(
        select(A.id, A.kind, A.level, A.notice_attempts, A.emailed_at, A.messaged_at).where(A.id.in_(ids))
    )
    return [
        NoticeItem(r.id, r.kind, r.level, r.notice_attempts, r.emailed_at is not None, r.messaged_at is not None)
        for r in sorted(rows, key=lambda r: ids.index(r.id))
    ]


async def notices_sent(
    conn: AsyncConnection,
    alert_id: int,
    *,
    emailed: bool,
    messaged: bool,
    error: str | None,
    retry_at: datetime | None,
    now: datetime,
) -> None:
    """Record what went out. With `retry_at` the rest is tried again then; without it, the notice is over."""
    values: dict[str, Any] = {"notice_lease_until": None, "notice_due_at": retry_at, "notice_error": error}
    if emailed:
        values["emailed_at"] = func.coalesce(A.emailed_at, now)
    if messaged:
        values["messaged_at"] = func.coalesce(A.messaged_at, now)
    await conn.execute(update(A).where(A.id == alert_id).values(**values))


async def open_count(conn: AsyncConnection) -> dict[str, int]:
    """Alerts not yet closed, by level, for the console's menu badge."""
    rows = await conn.execute(
        select(A.level, func.count()).where(A.status != "closed").group_by(A.level)
    )
    counts = {level: 0 for level in ALERT_LEVELS}
    counts.update({level: int(n) for level, n in rows})
    return counts
