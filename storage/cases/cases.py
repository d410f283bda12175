"""Cases: opened by a person's message, answered by staff through the outbox, closed by staff.

Every function takes an open connection inside a transaction; `storage.cases.store` is the public face.
A person has at most one open case: a new message joins it, a message after it closed opens another.

    take_message(...)   a general message, a CALL ME, or an answer during a handover joins or opens a case
    queue_reply(...)    a staff reply: checked (forgotten, stopped, no way to reach), queued, audited
    close(...)          closed and handed back to the bot, with an optional closing line
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, case, delete, exists, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.cases.records import CaseLine, CaseRecord, CaseSummary, Handover, Queued, RevealedNumber
from storage.cases.tables import CASE_STATUSES, Case, CaseMessage, CaseTheme
from storage.delivery import outbox
from storage.models import OutboxMessage, Participant, VaultEntry, WebSession
from storage.prepared import Prepared
from storage.privacy.scrub import scrub
from storage.privacy.vault import ADDRESS, CALLBACK, Vault, VaultError
from storage.sql import upsert_insert
from storage.staff.audit import audit
from storage.staff.comments import tidy_theme
from storage.staff.tables import StaffUser

LONGEST_MESSAGE = 4000
LONGEST_REPLY = 1600  # ten SMS segments; the console asks for much less
LONGEST_REASON = 1000
SHORTEST_REASON = 10
PREVIEW = 120
OPEN = ("new", "waiting_us", "waiting_them")
DIRECT_WINDOW = timedelta(hours=1)  # a reply to a message this recent may go now, quiet hours or not
PHONE_CHANNELS = ("sms", "whatsapp", "voice")
NO_MESSAGES = ("voice",)  # a phone call cannot be started by a message


class CaseRefused(Exception):
    """The action cannot be done; the message says why in words fit for the staff member who asked."""


# The person's side: called by the host inside the conversation's transaction.


# Asked on every message (storage/prepared.py says why it is built once).
_HANDOVER = Prepared(
    lambda _: select(Case.id, Case.status, Case.language)
    .where(Case.participant_id == bindparam("b_participant_id"), Case.handover.is_(True), Case.status != "closed")
    .order_by(Case.id.desc())
    .limit(1)
)


async def handover_of(conn: AsyncConnection, participant_id: int) -> Handover | None:
    """The open case the bot has stepped aside for, if any."""
    row = (await conn.execute(_HANDOVER(conn), {"b_participant_id": participant_id})).one_or_none()
    return None if row is None else Handover(row.id, row.status == "waiting_them", row.language)


async def take_message(
    conn: AsyncConnection,
    *,
    participant_id: int,
    channel: str,
    language: str | None,
    pack_id: str | None,
    text: str | None,
    media: str | None,
    feedback_id: int | None,
    callback: bool,
    now: datetime,
) -> int:
    """Add what the person sent to their open case, or open one. Returns the case id.

    The words are scrubbed here. A case the person writes to waits for us from the first unanswered
    message: `waiting_since` keeps its first moment however many follow.
    """
    case_id = await conn.scalar(
        select(Case.id)
        .where(Case.participant_id == participant_id, Case.status != "closed")
        .order_by(Case.id.desc())
        .limit(1)
    )
    if case_id is None:
        added = await conn.execute(
            insert(Case)
            .values(
                participant_id=participant_id, channel=channel, language=language, pack_id=pack_id, status="new",
                handover=False, callback_wanted=callback, opened_at=now, waiting_since=now, last_inbound_at=now,
                notice_due_at=now,
            )
            .returning(Case.id)
        )
        case_id = int(added.scalar_one())
    else:
        values: dict[str, Any] = {
            "channel": channel,
            "last_inbound_at": now,
            "waiting_since": func.coalesce(Case.waiting_since, now),
            "status": case((Case.status == "waiting_them", "waiting_us"), else_=Case.status),
        }
        if language:
            values["language"] = language
        if pack_id:
            values["pack_id"] = pack_id
        if callback:
            values["callback_wanted"] = True
        await conn.execute(update(Case).where(Case.id == case_id).values(**values))
    words = scrub(text, LONGEST_MESSAGE) if text else None
    if words or media:
        await conn.execute(
            insert(CaseMessage).values(
                case_id=case_id, direction="in", text=words, media=media, feedback_id=feedback_id, at=now
            )
        )
    return int(case_id)


async def link_alert(conn: AsyncConnection, case_id: int, alert_id: int) -> None:
    await conn.execute(update(Case).where(Case.id == case_id).values(alert_id=alert_id))


async def end_handover(conn: AsyncConnection, case_id: int) -> None:
    """The person went back to the bot (MENU or a pack keyword); the case stays open for staff."""
    await conn.execute(update(Case).where(Case.id == case_id).values(handover=False))


# The console's side.


def _owner() -> Any:
    return select(StaffUser.email).where(StaffUser.id == Case.owner_id).correlate(Case).scalar_subquery()


def _latest_words() -> Any:
    return (
        select(CaseMessage.text)
        .where(CaseMessage.case_id == Case.id, CaseMessage.direction == "in", CaseMessage.text.is_not(None))
        .order_by(CaseMessage.id.desc())
        .limit(1)
        .correlate(Case)
        .scalar_subquery()
    )


def _message_count() -> Any:
    return select(func.count()).where(CaseMessage.case_id == Case.id).correlate(Case).scalar_subquery()


def _summary_columns() -> list[Any]:
    return [
        *Case.__table__.c,
        _owner().label("owner"),
        _latest_words().label("preview"),
        _message_count().label("n"),
    ]


def _summary(row: Any, themes: tuple[str, ...]) -> CaseSummary:
    preview = (row.preview or "").strip()
    if len(preview) > PREVIEW:
        preview = preview[: PREVIEW - 1].rstrip() + "…"
    return CaseSummary(
        id=row.id, channel=row.channel, language=row.language, pack_id=row.pack_id, status=row.status,
        handover=bool(row.handover), callback_wanted=bool(row.callback_wanted), owner=row.owner,
        owner_id=row.owner_id, alert_id=row.alert_id, opened_at=row.opened_at, waiting_since=row.waiting_since,
        last_inbound_at=row.last_inbound_at, last_reply_at=row.last_reply_at, closed_at=row.closed_at,
        preview=preview, messages=int(row.n or 0), themes=themes,
    )


async def _themes_of(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    if not ids:
        return {}
    found: dict[int, list[str]] = {}
    for case_id, theme in await conn.execute(
        select(CaseTheme.case_id, CaseTheme.theme).where(CaseTheme.case_id.in_(list(ids))).order_by(CaseTheme.theme)
    ):
        found.setdefault(case_id, []).append(theme)
    return {key: tuple(value) for key, value in found.items()}


async def listing(
    conn: AsyncConnection,
    *,
    statuses: Collection[str],
    channel: str | None = None,
    pack_id: str | None = None,
    theme: str | None = None,
    owner_id: int | None = None,
    limit: int,
    offset: int = 0,
) -> tuple[list[CaseSummary], int]:
    """Cases with these statuses, the longest-waiting first: those waiting for us by how long, then those
    waiting for them by our last reply, then closed ones, the latest closed first."""
    unknown = set(statuses) - set(CASE_STATUSES)
    if unknown or not statuses:
        raise ValueError(f"statuses are some of {', '.join(CASE_STATUSES)}")
    where: list[Any] = [Case.status.in_(list(statuses))]
    if channel:
        where.append(Case.channel == channel)
    if pack_id:
        where.append(Case.pack_id == pack_id)
    if theme:
        where.append(exists().where(and_(CaseTheme.case_id == Case.id, CaseTheme.theme == theme)))
    if owner_id is not None:
        where.append(Case.owner_id == owner_id)
    total = int(await conn.scalar(select(func.count()).select_from(Case).where(*where)) or 0)
    group = case((Case.status.in_(("new", "waiting_us")), 0), (Case.status == "waiting_them", 1), else_=2)
    rows = (
        await conn.execute(
            select(*_summary_columns())
            .where(*where)
            .order_by(
                group,
                Case.waiting_since.asc(),
                Case.last_reply_at.asc(),
                Case.closed_at.desc(),
                Case.id.asc(),
            )
            .limit(limit)
            .offset(offset)
        )
    ).all()
    themes = await _themes_of(conn, [r.id for r in rows])
    return [_summary(r, themes.get(r.id, ())) for r in rows], total


async def for_alert(conn: AsyncConnection, alert_id: int) -> int | None:
    """The case that shares its words with a safeguarding alert, if there is one."""
    return await conn.scalar(select(Case.id).where(Case.alert_id == alert_id).order_by(Case.id.desc()).limit(1))


async def waiting_count(conn: AsyncConnection) -> int:
    """Cases waiting for us, for the console's menu."""
    waiting = select(func.count()).select_from(Case).where(Case.status.in_(("new", "waiting_us")))
    return int(await conn.scalar(waiting) or 0)


async def channels_and_packs(conn: AsyncConnection) -> tuple[list[str], list[str]]:
    """The channels and packs cases came from, for the inbox filters."""
    channels = sorted(set((await conn.scalars(select(Case.channel).distinct())).all()))
    packs = sorted({p for p in (await conn.scalars(select(Case.pack_id).distinct())).all() if p})
    return channels, packs


async def get(conn: AsyncConnection, case_id: int, now: datetime) -> CaseRecord | None:
    row = (await conn.execute(select(*_summary_columns()).where(Case.id == case_id))).one_or_none()
    if row is None:
        return None
    themes = await _themes_of(conn, [case_id])
    lines = (
        await conn.execute(
            select(
                CaseMessage.id, CaseMessage.direction, CaseMessage.text, CaseMessage.media, CaseMessage.at,
                CaseMessage.author, OutboxMessage.status.label("delivery"),
                OutboxMessage.next_attempt_at.label("due_at"),
            )
            .outerjoin(OutboxMessage, OutboxMessage.id == CaseMessage.outbox_id)
            .where(CaseMessage.case_id == case_id)
            .order_by(CaseMessage.at, CaseMessage.id)
        )
    ).all()
    closed_by = None
    if row.closed_by is not None:
        closed_by = await conn.scalar(select(StaffUser.email).where(StaffUser.id == row.closed_by))
    stopped = False
    if row.participant_id is not None:
        stopped = bool(await conn.scalar(select(Participant.stopped).where(Participant.id == row.participant_id)))
    return CaseRecord(
        summary=_summary(row, themes.get(case_id, ())),
        lines=tuple(
            CaseLine(
                id=line.id, direction=line.direction, text=line.text, media=line.media, at=line.at,
                author=line.author, delivery=line.delivery,
                due_at=line.due_at if line.delivery == "pending" else None,
            )
            for line in lines
        ),
        unreachable=await _unreachable(conn, row, now),
        has_number=await _number_row(conn, row, now) is not None,
        stopped=stopped,
        closed_by=closed_by,
    )


async def _unreachable(conn: AsyncConnection, row: Any, now: datetime) -> str | None:
    """Why a message cannot reach the person behind a case now, or None when it can."""
    if row.participant_id is None:
        return "The person asked us to forget them, so there is no way to reply."
    person = (
        await conn.execute(select(Participant.stopped, Participant.channel).where(Participant.id == row.participant_id))
    ).one_or_none()
    if person is None:
        return "The person asked us to forget them, so there is no way to reply."
    if person.stopped:
        return "The person sent STOP, so we send them nothing. If they send START, you can reply again."
    if row.channel in NO_MESSAGES:
        return ("The person called the phone line, which cannot take a message. If they asked for a call, "
                "reveal the number to call.")
    expires = (
        await conn.execute(select(VaultEntry.expires_at).where(VaultEntry.participant_id == row.participant_id))
    ).one_or_none()
    if expires is None or (expires.expires_at is not None and expires.expires_at <= now):
        return "Their contact details have passed the time we keep them, so a reply cannot reach them."
    if row.channel == "web":
        open_session = await conn.scalar(
            select(func.count()).select_from(WebSession)
            .where(WebSession.participant_id == row.participant_id, WebSession.expires_at > now)
        )
        if not open_session:
            return "The person's web chat has ended, so a reply cannot reach them."
    return None


async def _open_case(conn: AsyncConnection, case_id: int, *, for_update: bool = True) -> Any:
    query = select(Case).where(Case.id == case_id)
    if for_update and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = (await conn.execute(query)).one_or_none()
    if row is None:
        raise CaseRefused("There is no such case.")
    return row


async def queue_reply(
    conn: AsyncConnection,
    *,
    case_id: int,
    text: str,
    payload: dict[str, Any],
    staff_id: int | None,
    actor: str,
    now: datetime,
) -> Queued:
    """Put a staff reply in the outbox for the person behind the case, record it and audit it.

    Refused (nothing queued, nothing changed) when the case is closed, the person was forgotten, sent
    STOP, or cannot be reached on their channel. A reply to a message from the last hour may go at once;
    any other waits for the end of quiet hours (the dispatcher decides, as it does for every row).
    """
    row = await _open_case(conn, case_id)
    if row.status == "closed":
        raise CaseRefused("This case is closed. The person is talking to the bot again.")
    why = await _unreachable(conn, row, now)
    if why is not None:
        raise CaseRefused(why)
    words = text.strip()[:LONGEST_REPLY]
    direct = row.last_inbound_at is not None and now - row.last_inbound_at <= DIRECT_WINDOW
    outbox_id = await outbox.enqueue(
        conn, row.participant_id, row.channel, "reply", {**payload, "case_id": case_id},
        direct_reply=direct, not_before=None, max_attempts=5, now=now,
    )
    await conn.execute(
        insert(CaseMessage).values(
            case_id=case_id, direction="out", text=words, staff_id=staff_id, author=actor[:254], outbox_id=outbox_id,
            at=now,
        )
    )
    await conn.execute(
        update(Case)
        .where(Case.id == case_id)
        .values(status="waiting_them", handover=True, waiting_since=None, last_reply_at=now, notice_due_at=None)
    )
    await audit(conn, actor=actor, staff_id=staff_id, action="case.reply", subject=f"case {case_id}",
                detail=f"{len(words)} characters on {row.channel}" + ("" if direct else ", after quiet hours if quiet"),
                now=now)
    return Queued(outbox_id, direct, row.channel)


async def close(
    conn: AsyncConnection,
    *,
    case_id: int,
    closing: dict[str, Any] | None,
    closing_text: str | None,
    staff_id: int | None,
    actor: str,
    now: datetime,
) -> Queued | None:
    """Close the case and hand the person back to the bot. With `closing` (a payload) the person is told
    in a kind line, when a message can reach them. Returns the queued closing line, if one was."""
    row = await _open_case(conn, case_id)
    if row.status == "closed":
        raise CaseRefused("This case is already closed.")
    queued = None
    if closing is not None and await _unreachable(conn, row, now) is None:
        direct = row.last_inbound_at is not None and now - row.last_inbound_at <= DIRECT_WINDOW
        outbox_id = await outbox.enqueue(
            conn, row.participant_id, row.channel, "reply", {**closing, "case_id": case_id},
            direct_reply=direct, not_before=None, max_attempts=5, now=now,
        )
        await conn.execute(
            insert(CaseMessage).values(
                case_id=case_id, direction="out", text=closing_text, staff_id=staff_id, author=actor[:254],
                outbox_id=outbox_id, at=now,
            )
        )
        queued = Queued(outbox_id, direct, row.channel)
    await conn.execute(
        update(Case)
        .where(Case.id == case_id)
        .values(status="closed", handover=False, waiting_since=None, closed_at=now, closed_by=staff_id,
                notice_due_at=None)
    )
    await audit(conn, actor=actor, staff_id=staff_id, action="case.close", subject=f"case {case_id}",
                detail="the person was told" if queued else "closed without a message", now=now)
    return queued


async def set_owner(
    conn: AsyncConnection, *, case_id: int, owner_id: int | None, staff_id: int | None, actor: str, now: datetime
) -> None:
    """Give the case to one staff member (or back to the team, with None)."""
    await _open_case(conn, case_id)
    detail = None
    if owner_id is not None:
        detail = await conn.scalar(select(StaffUser.email).where(StaffUser.id == owner_id, StaffUser.active.is_(True)))
        if detail is None:
            raise CaseRefused("That staff account does not exist or is switched off.")
    await conn.execute(update(Case).where(Case.id == case_id).values(owner_id=owner_id))
    await audit(conn, actor=actor, staff_id=staff_id, action="case.owner", subject=f"case {case_id}",
                detail=f"owner {detail}" if detail else "the team", now=now)


async def tag(
    conn: AsyncConnection, *, case_id: int, theme: str, add: bool, staff_id: int | None, actor: str, now: datetime
) -> bool:
    """Tie a case to a theme (or untie it). True when something changed."""
    await _open_case(conn, case_id, for_update=False)
    try:
        theme = tidy_theme(theme)
    except ValueError as problem:
        raise CaseRefused(f"Theme: {problem}.") from None
    if add:
        done = await conn.execute(
            upsert_insert(conn, CaseTheme).values(case_id=case_id, theme=theme).on_conflict_do_nothing(
                index_elements=[CaseTheme.case_id, CaseTheme.theme]
            )
        )
    else:
        done = await conn.execute(delete(CaseTheme).where(CaseTheme.case_id == case_id, CaseTheme.theme == theme))
    changed = bool(done.rowcount)
    if changed:
        await audit(conn, actor=actor, staff_id=staff_id, action="case.tag" if add else "case.untag",
                    subject=f"case {case_id}", detail=theme, now=now)
    return changed


async def theme_names(conn: AsyncConnection) -> list[str]:
    return sorted(set((await conn.scalars(select(CaseTheme.theme).distinct())).all()))


async def _number_row(conn: AsyncConnection, row: Any, now: datetime) -> tuple[str, bytes, str] | None:
    """(how, sealed, the purpose it was sealed for) for a number to call the person behind a case, or None."""
    if row.participant_id is None:
        return None
    if row.alert_id is not None:
        # A number typed for a call back (web chat, Telegram) is kept sealed with the safeguarding alert.
        from storage.safeguarding.tables import CallbackNumber

        sealed = await conn.scalar(select(CallbackNumber.sealed).where(CallbackNumber.alert_id == row.alert_id))
        if sealed is not None:
            return "a number they gave for a call back", sealed, CALLBACK
    if row.channel not in PHONE_CHANNELS:
        return None
    found = (
        await conn.execute(
            select(VaultEntry.sealed, VaultEntry.expires_at, Participant.channel)
            .join(Participant, Participant.id == VaultEntry.participant_id)
            .where(VaultEntry.participant_id == row.participant_id)
        )
    ).one_or_none()
    if found is None or found.channel not in PHONE_CHANNELS:
        return None
    if found.expires_at is not None and found.expires_at <= now:
        return None
    return "the number they wrote or called from", found.sealed, ADDRESS


async def reveal(
    conn: AsyncConnection,
    vault: Vault,
    *,
    case_id: int,
    staff_id: int | None,
    actor: str,
    role_ok: bool,
    reason: str,
    now: datetime,
) -> RevealedNumber:
    """The number to call for a case, for a staff member with the right role who gave a reason.

    Audited here, in the caller's transaction; a refusal is audited too and raised as `CaseRefused` (the
    caller must commit before raising it, as `CaseStore` does)."""
    reason = reason.strip()
    subject = f"case {case_id}"

    async def refuse(why: str) -> CaseRefused:
        await audit(conn, actor=actor, staff_id=staff_id, action="case.reveal_refused", subject=subject,
                    detail=why, now=now)
        return CaseRefused(why)

    if not role_ok:
        raise await refuse("Your role cannot see a number to call. Ask a safeguarding lead, or reply by message.")
    if len(reason) < SHORTEST_REASON:
        raise await refuse(f"Please write why you need the number (at least {SHORTEST_REASON} letters).")
    row = (await conn.execute(select(Case).where(Case.id == case_id))).one_or_none()
    if row is None:
        raise await refuse("There is no such case.")
    found = await _number_row(conn, row, now)
    if found is None:
        raise await refuse("There is no number to call: the person asked us to forget them, wrote without a"
                           " phone number, or their details have passed the time we keep them.")
    how, sealed, purpose = found
    try:
        number = vault.open(sealed, participant_id=row.participant_id, purpose=purpose)
    except VaultError:
        raise await refuse("The number cannot be opened with this key.") from None
    await audit(conn, actor=actor, staff_id=staff_id, action="case.reveal", subject=subject,
                detail=reason[:LONGEST_REASON], now=now)
    return RevealedNumber(how, number)


async def history(conn: AsyncConnection, case_id: int) -> list[Any]:
    from storage.staff.records import AuditEntry
    from storage.staff.tables import AuditEvent

    rows = await conn.execute(
        select(AuditEvent)
        .where(AuditEvent.subject == f"case {case_id}", AuditEvent.action.startswith("case."))
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    return [AuditEntry(id=r.id, at=r.at, actor=r.actor, action=r.action, subject=r.subject, detail=r.detail)
            for r in rows]


# Telling the duty team: no words and no person, only that a case is new and where to find it.


async def claim_notices(conn: AsyncConnection, *, now: datetime, fresh: timedelta) -> list[int]:
    """New cases whose notice is due, all marked done in the same transaction (a notice is a nudge, not an
    alert: at most once). Only those due within `fresh` are returned: switching notices on must not tell
    the duty team about every case of the months they were off."""
    due = list((await conn.scalars(select(Case.id).where(Case.notice_due_at <= now).order_by(Case.id))).all())
    if not due:
        return []
    fresh_ids = set(
        (await conn.scalars(select(Case.id).where(Case.id.in_(due), Case.notice_due_at > now - fresh))).all()
    )
    await conn.execute(update(Case).where(Case.id.in_(due)).values(notice_due_at=None))
    return [case_id for case_id in due if case_id in fresh_ids]
