"""Participants, their sealed addresses and their consents.

Every function takes an open connection inside a transaction; `storage.conversations.unit.UnitOfWork` is the
public face.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.conversations.inbound import SEEN_REPLY, seen_keys
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
from storage.prepared import Prepared, upsert_for
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
# The purposes granted, comma-joined, read in the same statement as the person (one round trip, not two).
_GRANTED = (
    select(func.aggregate_strings(Consent.purpose, ","))
    .where(Consent.participant_id == Participant.id, Consent.granted.is_(True))
    .scalar_subquery()
    .label("granted")
)

_FIND = Prepared(lambda _: select(*_COLUMNS, _GRANTED).where(Participant.pseudonym == bindparam("b_pseudonym")))
_BY_ID = Prepared(lambda _: select(*_COLUMNS, _GRANTED).where(Participant.id == bindparam("b_participant_id")))
# On PostgreSQL the UPDATE … RETURNING locks the row, so two messages from one person are handled one
# after the other and the second sees the conversation the first saved.
_TOUCH = Prepared(
    lambda _: update(Participant)
    .where(Participant.pseudonym == bindparam("b_pseudonym"))
    .values(channel=bindparam("b_channel"), last_seen_at=bindparam("b_now"))
    .returning(*_COLUMNS, _GRANTED)
)
# The same, with the reply already given to this provider message id: the person, their conversation and
# the de-duplication record in one statement.
_TOUCH_SEEN = Prepared(
    lambda _: update(Participant)
    .where(Participant.pseudonym == bindparam("b_pseudonym"))
    .values(channel=bindparam("b_channel"), last_seen_at=bindparam("b_now"))
    .returning(*_COLUMNS, _GRANTED, SEEN_REPLY)
)
_CREATE = Prepared(
    lambda dialect: upsert_for(dialect, Participant)
    .values(
        pseudonym=bindparam("b_pseudonym"), channel=bindparam("b_channel"), stopped=False,
        created_at=bindparam("b_now"), last_seen_at=bindparam("b_now"),
    )
    .on_conflict_do_nothing(index_elements=[Participant.pseudonym])
    .returning(*_COLUMNS)
)
# One statement in the usual case: extend the expiry and read back what is sealed; only a missing or
# different entry needs a second statement.
_REFRESH_ADDRESS = Prepared(
    lambda _: update(VaultEntry)
    .where(VaultEntry.participant_id == bindparam("b_participant_id"))
    .values(expires_at=bindparam("b_expires_at"))
    .returning(VaultEntry.sealed)
)


def _build_seal(dialect: str) -> Any:
    fresh = upsert_for(dialect, VaultEntry).values(
        participant_id=bindparam("b_participant_id"), sealed=bindparam("b_sealed"), created_at=bindparam("b_now"),
        expires_at=bindparam("b_expires_at"),
    )
    return fresh.on_conflict_do_update(
        index_elements=[VaultEntry.participant_id],
        set_={"sealed": fresh.excluded.sealed, "created_at": fresh.excluded.created_at,
              "expires_at": fresh.excluded.expires_at},
    )


_SEAL = Prepared(_build_seal)
_SAVE = Prepared(
    lambda _: update(Participant)
    .where(Participant.id == bindparam("b_participant_id"))
    .values(conversation=bindparam("b_conversation"))
)
_SAVE_WITH_LANGUAGE = Prepared(
    lambda _: update(Participant)
    .where(Participant.id == bindparam("b_participant_id"))
    .values(conversation=bindparam("b_conversation"), language=bindparam("b_language"))
)


async def find(conn: AsyncConnection, pseudonym: str) -> ParticipantRecord | None:
    row = (await conn.execute(_FIND(conn), {"b_pseudonym": pseudonym})).first()
    return None if row is None else _record(row)


async def by_id(conn: AsyncConnection, participant_id: int) -> ParticipantRecord | None:
    row = (await conn.execute(_BY_ID(conn), {"b_participant_id": participant_id})).first()
    return None if row is None else _record(row)


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

    Creates them when new. Two statements for a person we know (the person with their consents, then
    their sealed address); the address is sealed afresh only when it is new, gone or unreadable.
    """
    record, _ = await arrive_once(
        conn, pseudonym=pseudonym, channel=channel, address=address, vault=vault, retention=retention, now=now
    )
    return record


async def arrive_once(
    conn: AsyncConnection,
    *,
    pseudonym: str,
    channel: str,
    address: str,
    vault: Vault,
    retention: timedelta,
    now: datetime,
    provider_id: str | None = None,
) -> tuple[ParticipantRecord, dict[str, Any] | None]:
    """`arrive`, and the reply stored for `provider_id` on `channel` (None when the message is new).

    The reply comes back in the statement that finds the person. A person created here cannot have had
    this message handled, except in a race the unique message id settles when the reply is recorded.
    """
    created = {"b_pseudonym": pseudonym, "b_channel": channel, "b_now": now}
    keys: dict[str, Any] = created
    touch = _TOUCH
    if provider_id:
        keys = {**created, **seen_keys(channel, provider_id)}
        touch = _TOUCH_SEEN
    row = (await conn.execute(touch(conn), keys)).first()
    if row is None:
        row = (await conn.execute(_CREATE(conn), created)).first()
        if row is None:  # created by a concurrent request a moment ago
            row = (await conn.execute(touch(conn), keys)).first()
            assert row is not None, "a participant row vanished between insert and update"
    record = _record(row)
    seen = getattr(row, "seen_reply", None)
    if seen is not None:
        return record, seen  # a retried message: answered as before, nothing else to do
    await _keep_address(conn, record.id, address, vault, _expiry(record.consents, retention, now), now)
    return record, None


def _record(row: Any) -> ParticipantRecord:
    granted = getattr(row, "granted", None)  # absent on a row just created: nobody has consented yet
    return ParticipantRecord(
        id=row.id,
        pseudonym=row.pseudonym,
        channel=row.channel,
        language=row.language,
        stopped=row.stopped,
        conversation=row.conversation,
        consents=frozenset(granted.split(",")) if granted else frozenset(),
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
    keys = {"b_participant_id": participant_id, "b_expires_at": expires_at}
    sealed = (await conn.execute(_REFRESH_ADDRESS(conn), keys)).scalar()
    if sealed is not None and _opens_to(vault, sealed, address, participant_id):
        return
    # Missing (purged, or new), sealed under an old key, or the address changed form: seal it afresh.
    sealed = vault.seal(address, participant_id=participant_id)
    await conn.execute(_SEAL(conn), {**keys, "b_sealed": sealed, "b_now": now})


def _opens_to(vault: Vault, sealed: bytes, address: str, participant_id: int) -> bool:
    try:
        return vault.open(sealed, participant_id=participant_id) == address
    except VaultError:
        return False


async def save_conversation(
    conn: AsyncConnection, participant_id: int, conversation: dict[str, Any] | None, language: str | None
) -> None:
    keys = {"b_participant_id": participant_id, "b_conversation": conversation}
    if language is None:  # None means "not chosen in this conversation", not "forget the preference"
        await conn.execute(_SAVE(conn), keys)
    else:
        await conn.execute(_SAVE_WITH_LANGUAGE(conn), {**keys, "b_language": language})


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
