"""Participants, their sealed addresses and their consents.

Every function takes an open connection inside a transaction; `storage.conversations.unit.UnitOfWork` is the
public face.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.conversations.records import ParticipantRecord
from storage.models import (
    PURPOSES,
    Consent,
    Feedback,
    OutboxMessage,
    Participant,
    Submission,
    VaultEntry,
    WebSession,
)
from storage.privacy.vault import Vault, VaultError
from storage.sql import upsert_insert

_COLUMNS = (
    Participant.id,
    Participant.pseudonym,
    Participant.channel,
    Participant.language,
    Participant.stopped,
    Participant.conversation,
)


async def find(conn: AsyncConnection, pseudonym: str) -> ParticipantRecord | None:
    row = (await conn.execute(select(*_COLUMNS).where(Participant.pseudonym == pseudonym))).first()
    return None if row is None else await _record(conn, row)


async def by_id(conn: AsyncConnection, participant_id: int) -> ParticipantRecord | None:
    row = (await conn.execute(select(*_COLUMNS).where(Participant.id == participant_id))).first()
    return None if row is None else await _record(conn, row)


async def arrive(
    conn: AsyncConnection,
    *,
    pseudonym: str,
    channel: str,
    address: str,
    vault: Vault,
    retention: timedelta,
    now: datetime,
) -> ParticipantRecord:
    """The person behind `pseudonym` has just written on `channel` from `address` (normalised).

    Creates them when new. On PostgreSQL the UPDATE … RETURNING locks the row, so two messages from one
    person are handled one after the other and the second sees the conversation the first saved.
    """
    row = await _touch(conn, pseudonym, channel, now)
    if row is None:
        created = upsert_insert(conn, Participant).values(
            pseudonym=pseudonym, channel=channel, stopped=False, created_at=now, last_seen_at=now
        )
        created = created.on_conflict_do_nothing(index_elements=[Participant.pseudonym]).returning(*_COLUMNS)
        row = (await conn.execute(created)).first()
        if row is None:  # created by a concurrent request a moment ago
            row = await _touch(conn, pseudonym, channel, now)
            assert row is not None, "a participant row vanished between insert and update"
    record = await _record(conn, row)
    await _keep_address(conn, record.id, address, vault, _expiry(record.consents, retention, now), now)
    return record


async def _touch(conn: AsyncConnection, pseudonym: str, channel: str, now: datetime) -> Any:
    touched = (
        update(Participant)
        .where(Participant.pseudonym == pseudonym)
        .values(channel=channel, last_seen_at=now)
        .returning(*_COLUMNS)
    )
    return (await conn.execute(touched)).first()


async def _record(conn: AsyncConnection, row: Any) -> ParticipantRecord:
    return ParticipantRecord(
        id=row.id,
        pseudonym=row.pseudonym,
        channel=row.channel,
        language=row.language,
        stopped=row.stopped,
        conversation=row.conversation,
        consents=await granted_purposes(conn, row.id),
    )


async def granted_purposes(conn: AsyncConnection, participant_id: int) -> frozenset[str]:
    granted = select(Consent.purpose).where(
        Consent.participant_id == participant_id, Consent.granted.is_(True)
    )
    return frozenset((await conn.scalars(granted)).all())


def _expiry(consents: frozenset[str], retention: timedelta, now: datetime) -> datetime | None:
    # An address a consent needs is kept until the consent is withdrawn; otherwise only for a while.
    return None if consents else now + retention


async def _keep_address(
    conn: AsyncConnection,
    participant_id: int,
    address: str,
    vault: Vault,
    expires_at: datetime | None,
    now: datetime,
) -> None:
    # One statement in the usual case (this is on every message's path): extend the expiry and read
    # back what is sealed; only a missing or different entry needs a second statement.
    refreshed = (
        update(VaultEntry)
        .where(VaultEntry.participant_id == participant_id)
        .values(expires_at=expires_at)
        .returning(VaultEntry.sealed)
    )
    sealed = (await conn.execute(refreshed)).scalar()
    if sealed is not None and _opens_to(vault, sealed, address, participant_id):
        return
    # Missing (purged, or new), sealed under an old key, or the address changed form: seal it afresh.
    sealed = vault.seal(address, participant_id=participant_id)
    fresh = upsert_insert(conn, VaultEntry).values(
        participant_id=participant_id, sealed=sealed, created_at=now, expires_at=expires_at
    )
    fresh = fresh.on_conflict_do_update(
        index_elements=[VaultEntry.participant_id],
        set_={"sealed": fresh.excluded.sealed, "created_at": now, "expires_at": expires_at},
    )
    await conn.execute(fresh)


def _opens_to(vault: Vault, sealed: bytes, address: str, participant_id: int) -> bool:
    try:
        return vault.open(sealed, participant_id=participant_id) == address
    except VaultError:
        return False


async def save_conversation(
    conn: AsyncConnection, participant_id: int, conversation: dict[str, Any] | None, language: str | None
) -> None:
    values: dict[str, Any] = {"conversation": conversation}
    if language is not None:  # None means "not chosen in this conversation", not "forget the preference"
        values["language"] = language
    await conn.execute(update(Participant).where(Participant.id == participant_id).values(**values))


async def set_stopped(conn: AsyncConnection, participant_id: int, stopped: bool, now: datetime) -> None:
    await conn.execute(
        update(Participant)
        .where(Participant.id == participant_id)
        .values(stopped=stopped, stopped_at=now if stopped else None)
    )


async def set_consent(
    conn: AsyncConnection,
    participant_id: int,
    purpose: str,
    granted: bool,
    *,
    retention: timedelta,
    now: datetime,
) -> None:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown consent purpose {purpose!r}; expected one of {', '.join(PURPOSES)}")
    change = upsert_insert(conn, Consent).values(
        participant_id=participant_id, purpose=purpose, granted=granted, changed_at=now
    )
    change = change.on_conflict_do_update(
        index_elements=[Consent.participant_id, Consent.purpose], set_={"granted": granted, "changed_at": now}
    )
    await conn.execute(change)
    expires_at = _expiry(await granted_purposes(conn, participant_id), retention, now)
    await conn.execute(
        update(VaultEntry).where(VaultEntry.participant_id == participant_id).values(expires_at=expires_at)
    )


async def forget(conn: AsyncConnection, participant_id: int) -> None:
    """Remove the person and every way back to them; their anonymous answers and feedback stay."""
    for table, column in (
        (VaultEntry, VaultEntry.participant_id),
        (Consent, Consent.participant_id),
        (WebSession, WebSession.participant_id),
        (OutboxMessage, OutboxMessage.participant_id),
    ):
        await conn.execute(delete(table).where(column == participant_id))
    for linked in (Submission, Feedback):
        await conn.execute(
            update(linked).where(linked.participant_id == participant_id).values(participant_id=None)
        )
    await conn.execute(delete(Participant).where(Participant.id == participant_id))
