"""Participants, their sealed addresses and their consents.

Every function takes an open connection inside a transaction; `storage.conversations.unit.UnitOfWork` is the
public face.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, func, literal_column, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.conversations import inbound
from storage.conversations.inbound import SEEN_REPLY, seen_keys
from storage.conversations.nearby import HANDOVER_OPEN, PERSON_ID, QUESTION_SENT, Nearby
from storage.conversations.records import ParticipantRecord
from storage.loop.contacts import ANSWER_WINDOW
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

_COLUMNS = (
    Participant.id,
    Participant.pseudonym,
    Participant.channel,
    Participant.language,
    Participant.stopped,
    Participant.conversation,
)
# The purposes granted, comma-joined, read in the same statement as the person (one round trip, not two).
# The comma is written into the SQL: given as a string, SQLAlchemy renders it at each execution, re-building
# the statement's SQL once a message.
_GRANTED = (
    select(func.aggregate_strings(Consent.purpose, literal_column("','")))  # type: ignore[arg-type]
    .where(Consent.participant_id == PERSON_ID, Consent.granted.is_(True))
    .scalar_subquery()
    .label("granted")
)

# The sealed address and until when it is kept, read with the person: most messages need no vault statement.
_SEALED = select(VaultEntry.sealed).where(VaultEntry.participant_id == PERSON_ID).scalar_subquery().label("sealed")
_SEALED_UNTIL = (
    select(VaultEntry.expires_at).where(VaultEntry.participant_id == PERSON_ID).scalar_subquery().label("sealed_until")
)
# What a message's arrival reads beside the person (storage/conversations/nearby.py says why).
_ARRIVAL = (*_COLUMNS, _GRANTED, _SEALED, _SEALED_UNTIL, QUESTION_SENT, HANDOVER_OPEN)
# An expiry already this close to the one wanted is left alone: a conversation is a burst of messages, and
# rewriting the vault row for each would be a statement a message for nothing. Deletion can come at most
# this much earlier than `retention` after the last message, never later.
EXPIRY_SLACK = timedelta(hours=1)

_FIND = Prepared(lambda _: select(*_COLUMNS, _GRANTED).where(Participant.pseudonym == bindparam("b_pseudonym")))
_BY_ID = Prepared(lambda _: select(*_COLUMNS, _GRANTED).where(Participant.id == bindparam("b_participant_id")))
# On PostgreSQL the UPDATE … RETURNING locks the row, so two messages from one person are handled one
# after the other and the second sees the conversation the first saved.
_TOUCH = Prepared(
    lambda _: update(Participant)
    .where(Participant.pseudonym == bindparam("b_pseudonym"))
    .values(channel=bindparam("b_channel"), last_seen_at=bindparam("b_now"))
    .returning(*_ARRIVAL)
)
# The same, with the reply already given to this provider message id: the person, their conversation and
# the de-duplication record in one statement.
_TOUCH_SEEN = Prepared(
    lambda _: update(Participant)
    .where(Participant.pseudonym == bindparam("b_pseudonym"))
    .values(channel=bindparam("b_channel"), last_seen_at=bindparam("b_now"))
    .returning(*_ARRIVAL, SEEN_REPLY)
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
# The address kept as it is, until a new date: when its expiry has fallen behind (see EXPIRY_SLACK).
_REFRESH_ADDRESS = Prepared(
    lambda _: update(VaultEntry)
    .where(VaultEntry.participant_id == bindparam("b_participant_id"))
    .values(expires_at=bindparam("b_expires_at"))
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


def _build_set_consent(dialect: str) -> Any:
    change = upsert_for(dialect, Consent).values(
        participant_id=bindparam("b_participant_id"), purpose=bindparam("b_purpose"),
        granted=bindparam("b_granted"), changed_at=bindparam("b_now"),
    )
    return change.on_conflict_do_update(
        index_elements=[Consent.participant_id, Consent.purpose],
        set_={"granted": change.excluded.granted, "changed_at": change.excluded.changed_at},
    )


# A consent's yes or no, then what the address's expiry becomes: built once, like the arrival's statements
# (built afresh, the three cost more in SQLAlchemy than in the database).
_SET_CONSENT = Prepared(_build_set_consent)
_GRANTED_PURPOSES = Prepared(
    lambda _: select(Consent.purpose).where(
        Consent.participant_id == bindparam("b_participant_id"), Consent.granted.is_(True)
    )
)
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


def _save_and_record(with_language: bool) -> Prepared:
    """PostgreSQL: the conversation saved and the reply remembered in one statement (a data-modifying WITH,
    which PostgreSQL runs to completion whether or not the INSERT reads it), one round trip instead of two
    on every message. SQLite has no data-modifying WITH, and no round trip to save: it runs `_SAVE*` and
    `inbound.record` one after the other."""
    values: dict[str, Any] = {"conversation": bindparam("b_conversation")}
    if with_language:
        values["language"] = bindparam("b_language")

    def build(_: str) -> Any:
        saved = update(Participant).where(Participant.id == bindparam("b_participant_id")).values(**values)
        return inbound.record_insert().add_cte(saved.returning(Participant.id).cte("saved"))

    return Prepared(build)


_SAVE_AND_RECORD = {False: _save_and_record(False), True: _save_and_record(True)}


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

    Creates them when new. One statement for a person we know, as a rule (the person with their consents
    and their sealed address); the address is sealed afresh only when it is new, gone or unreadable, and its
    expiry moved only when it has fallen more than `EXPIRY_SLACK` behind.
    """
    record, _, _ = await arrive_once(
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
    question_since: datetime | None = None,
) -> tuple[ParticipantRecord, dict[str, Any] | None, Nearby]:
    """`arrive`, the reply stored for `provider_id` on `channel` (None when the message is new), and
    whether a one-tap question sent since `question_since` or a handover may be open (`Nearby`).

    All of it comes back in the statement that finds the person, with their sealed address; the vault is
    written only when the address is new or unreadable, or its expiry is due a move. A person created here
    cannot have had this message handled, except in a race the unique message id settles when the reply is
    recorded, and has neither a question nor a handover.
    """
    since = question_since if question_since is not None else now - ANSWER_WINDOW
    created = {"b_pseudonym": pseudonym, "b_channel": channel, "b_now": now}
    keys: dict[str, Any] = {**created, "b_loop_since": since}
    touch = _TOUCH
    if provider_id:
        keys = {**keys, **seen_keys(channel, provider_id)}
        touch = _TOUCH_SEEN
    row = (await conn.execute(touch(conn), keys)).first()
    if row is None:
        row = (await conn.execute(_CREATE(conn), created)).first()
        if row is None:  # created by a concurrent request a moment ago
            row = (await conn.execute(touch(conn), keys)).first()
            assert row is not None, "a participant row vanished between insert and update"
    record = _record(row)
    # Absent from a row just created: nothing is sealed yet, no question was sent, no case is open.
    nearby = Nearby(since, bool(getattr(row, "question_sent", False)), bool(getattr(row, "handover_open", False)))
    seen = getattr(row, "seen_reply", None)
    if seen is not None:
        return record, seen, nearby  # a retried message: answered as before, nothing else to do
    expires_at = _expiry(record.consents, retention, now)
    sealed, sealed_until = getattr(row, "sealed", None), getattr(row, "sealed_until", None)
    if sealed is None or not _opens_to(vault, sealed, address, record.id):
        # Missing (purged, or new), sealed under an old key, or the address changed form: seal it afresh.
        await _seal(conn, record.id, address, vault, expires_at, now)
    elif not _expiry_holds(sealed_until, expires_at):
        await conn.execute(_REFRESH_ADDRESS(conn), {"b_participant_id": record.id, "b_expires_at": expires_at})
    return record, None, nearby


def _expiry_holds(stored: datetime | None, wanted: datetime | None) -> bool:
    """True when the stored expiry may stay: the same "kept while consented", or within `EXPIRY_SLACK`."""
    if stored is None or wanted is None:
        return stored is None and wanted is None
    return wanted - EXPIRY_SLACK <= stored <= wanted


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
    return frozenset((await conn.scalars(_GRANTED_PURPOSES(conn), {"b_participant_id": participant_id})).all())


def _expiry(consents: frozenset[str], retention: timedelta, now: datetime) -> datetime | None:
    # An address a consent needs is kept until the consent is withdrawn; otherwise only for a while.
    return None if consents else now + retention


async def _seal(
    conn: AsyncConnection, participant_id: int, address: str, vault: Vault, expires_at: datetime | None, now: datetime
) -> None:
    sealed = vault.seal(address, participant_id=participant_id)
    keys = {"b_participant_id": participant_id, "b_expires_at": expires_at, "b_sealed": sealed, "b_now": now}
    await conn.execute(_SEAL(conn), keys)


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


async def save_and_record(
    conn: AsyncConnection,
    participant_id: int,
    conversation: dict[str, Any] | None,
    language: str | None,
    *,
    channel: str,
    provider_id: str | None,
    reply: dict[str, Any],
    now: datetime,
) -> None:
    """`save_conversation` and `inbound.record` together: one statement on PostgreSQL. Raises
    `DuplicateInbound` when another request recorded this message id first."""
    if not provider_id or conn.dialect.name != "postgresql":
        await save_conversation(conn, participant_id, conversation, language)
        await inbound.record(conn, channel, provider_id, reply, now)
        return
    keys = {
        **inbound.record_keys(channel, provider_id, reply, now),
        "b_participant_id": participant_id, "b_conversation": conversation,
    }
    if language is not None:  # as in save_conversation: None keeps the language already stored
        keys["b_language"] = language
    await inbound.run_record(conn, _SAVE_AND_RECORD[language is not None](conn), keys)


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
    keys = {"b_participant_id": participant_id, "b_purpose": purpose, "b_granted": granted, "b_now": now}
    await conn.execute(_SET_CONSENT(conn), keys)
    expires_at = _expiry(await granted_purposes(conn, participant_id), retention, now)
    await conn.execute(_REFRESH_ADDRESS(conn), {"b_participant_id": participant_id, "b_expires_at": expires_at})


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
