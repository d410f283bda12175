"""One transaction's worth of work for one inbound message: `async with store.unit() as uow: ...`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from storage.conversations import inbound, participants, responses, web_sessions
from storage.conversations.nearby import Nearby
from storage.conversations.records import ParticipantRecord
from storage.delivery import outbox
from storage.errors import translating
from storage.loop import contacts as loop_contacts
from storage.loop.records import LoopQuestion
from storage.privacy.vault import Keys, Vault, normalise_address, pseudonym_of_normalised


class UnitOfWork:
    """Database calls inside one transaction. Obtain from `Store.unit()`; do not keep it past the block."""

    def __init__(
        self,
        conn: AsyncConnection,
        *,
        keys: Keys,
        vault: Vault,
        retention: timedelta,
        clock: Callable[[], datetime],
    ) -> None:
        self._connection: AsyncConnection | None = conn
        self._keys = keys
        self._vault = vault
        self._retention = retention
        self._clock = clock
        # What each arrival saw beside the person, so the reads it answered already are skipped (nearby.py).
        self._nearby: dict[int, Nearby] = {}

    @property
    def _conn(self) -> AsyncConnection:
        if self._connection is None:
            raise RuntimeError("this unit of work has ended; open a new one with store.unit()")
        return self._connection

    def _close(self) -> None:
        self._connection = None

    # Inbound message ids

    @translating
    async def seen_inbound(self, channel: str, provider_id: str | None) -> dict[str, Any] | None:
        """The reply stored for this provider message id, or None when it is new (or the id is empty)."""
        return await inbound.seen(self._conn, channel, provider_id)

    @translating
    async def record_inbound(self, channel: str, provider_id: str | None, reply: dict[str, Any]) -> None:
        """Remember the reply to this message id; raises `DuplicateInbound` if another request did first."""
        await inbound.record(self._conn, channel, provider_id, reply, self._clock())

    # Participants

    @translating
    async def participant(
        self, channel: str, address: str, *, create: bool = True
    ) -> ParticipantRecord | None:
        """The person writing from `address` on `channel`. Raises `AddressError` for an unreadable address.

        With `create` (the default) this is a contact: the person is created when new, their sealed
        address refreshed and its expiry extended, and last_seen_at updated. With `create=False` it is a
        pure lookup that changes nothing and returns None for a stranger.
        """
        normalised = normalise_address(channel, address)
        key = pseudonym_of_normalised(self._keys, channel, normalised)
        if not create:
            return await participants.find(self._conn, key)
        return await participants.arrive(
            self._conn,
            pseudonym=key,
            channel=channel,
            address=normalised,
            vault=self._vault,
            retention=self._retention,
            now=self._clock(),
        )

    @translating
    async def arrival(
        self, channel: str, address: str, provider_id: str | None, *, received_at: datetime | None = None
    ) -> tuple[ParticipantRecord, dict[str, Any] | None]:
        """`participant(channel, address)` for a message, and the reply already given to its provider id.

        One statement finds the person, their conversation, the de-duplication record, their sealed address,
        and whether a one-tap question (sent within the answer window before `received_at`) or a handover
        may be open, so `loop_question` and `may_have_handover` need no statement of their own when not. When
        the reply is not None the message was handled before (a retried webhook): answer with it again.
        Raises `AddressError` for an unreadable address.
        """
        normalised = normalise_address(channel, address)
        at = received_at or self._clock()
        record, reply, nearby = await participants.arrive_once(
            self._conn,
            pseudonym=pseudonym_of_normalised(self._keys, channel, normalised),
            channel=channel,
            address=normalised,
            vault=self._vault,
            retention=self._retention,
            now=self._clock(),
            provider_id=provider_id,
            question_since=at - loop_contacts.ANSWER_WINDOW,
        )
        self._nearby[record.id] = nearby
        return record, reply

    def may_have_handover(self, participant_id: int) -> bool:
        """False only when this person's arrival, in this unit, found no open handover. Asked once: a case
        opened later in the unit is not in what the arrival saw."""
        nearby = self._nearby.get(participant_id)
        if nearby is None:
            return True
        self._nearby[participant_id] = replace(nearby, handover_open=True)
        return nearby.handover_open

    @translating
    async def participant_by_id(self, participant_id: int) -> ParticipantRecord | None:
        return await participants.by_id(self._conn, participant_id)

    @translating
    async def save_conversation(
        self, participant_id: int, conversation: dict[str, Any] | None, language: str | None
    ) -> None:
        """Store the engine's state. `language=None` keeps the language already stored."""
        await participants.save_conversation(self._conn, participant_id, conversation, language)

    @translating
    async def save_and_record(
        self,
        participant_id: int,
        conversation: dict[str, Any] | None,
        language: str | None,
        *,
        channel: str,
        provider_id: str | None,
        reply: dict[str, Any],
    ) -> None:
        """`save_conversation` then `record_inbound`, in one statement where the database allows (PostgreSQL):
        the end of every message. Raises `DuplicateInbound` as `record_inbound` does."""
        await participants.save_and_record(
            self._conn, participant_id, conversation, language,
            channel=channel, provider_id=provider_id, reply=reply, now=self._clock(),
        )

    @translating
    async def set_stopped(self, participant_id: int, stopped: bool) -> None:
        await participants.set_stopped(self._conn, participant_id, stopped, self._clock())

    @translating
    async def set_consent(self, participant_id: int, purpose: str, granted: bool) -> None:
        """Record a yes/no for a purpose; while any purpose is granted the address is kept."""
        await participants.set_consent(
            self._conn, participant_id, purpose, granted, retention=self._retention, now=self._clock()
        )

    @translating
    async def forget(self, participant_id: int) -> None:
        """Delete the person, their address, consents, sessions and messages; keep anonymous answers."""
        await participants.forget(self._conn, participant_id)

    # Answers and feedback

    @translating
    async def start_submission(
        self,
        submission_id: str,
        participant_id: int | None,
        pack_id: str,
        pack_version: int,
        language: str,
        channel: str,
    ) -> None:
        await responses.start_submission(
            self._conn, submission_id, participant_id, pack_id, pack_version, language, channel, self._clock()
        )

    @translating
    async def record_answer(
        self,
        submission_id: str,
        question_id: str,
        *,
        value: str | None,
        number: float | None,
        text: str | None,
        skipped: bool,
    ) -> None:
        """Store (or replace) the answer to one question. `text` is scrubbed before it is stored."""
        await responses.record_answer(
            self._conn,
            submission_id,
            question_id,
            value=value,
            number=number,
            text=text,
            skipped=skipped,
            now=self._clock(),
        )

    @translating
    async def withdraw_answer(self, submission_id: str, question_id: str) -> None:
        """Remove an answer that no longer applies after the person changed an earlier one."""
        await responses.withdraw_answer(self._conn, submission_id, question_id)

    @translating
    async def finish_submission(self, submission_id: str, status: str) -> None:
        await responses.finish_submission(self._conn, submission_id, status, self._clock())

    @translating
    async def add_feedback(
        self,
        participant_id: int | None,
        channel: str,
        language: str,
        text: str | None,
        media: str | None,
        pack_id: str | None,
    ) -> int:
        """Store a general message (scrubbed) or a note that media was sent. Returns the feedback id."""
        return await responses.add_feedback(
            self._conn, participant_id, channel, language, text, media, pack_id, self._clock()
        )

    # "You said, we did": the one-tap questions we sent, and their answers

    @translating
    async def loop_question(self, participant_id: int, now: datetime) -> LoopQuestion | None:
        """The last "Was this helpful?" or invitation that reached this person lately, answered or not."""
        nearby = self._nearby.get(participant_id)
        if nearby is not None and nearby.rules_out_question(now - loop_contacts.ANSWER_WINDOW):
            # Asked once: a question queued later in this unit is not in what the arrival saw.
            self._nearby[participant_id] = replace(nearby, question_sent=True)
            return None
        return await loop_contacts.open_question(self._conn, participant_id, now)

    @translating
    async def answer_loop_question(
        self, contact_id: int, answer: str, words: str | None, *, channel: str, language: str
    ) -> None:
        """Store the answer; "tell us more" words are kept (scrubbed) as a general message."""
        await loop_contacts.answer(
            self._conn, contact_id, answer, words, channel=channel, language=language, now=self._clock()
        )

    # Outbox

    @translating
    async def enqueue(
        self,
        participant_id: int,
        channel: str,
        kind: str,
        payload: dict[str, Any],
        *,
        direct_reply: bool = False,
        not_before: datetime | None = None,
        max_attempts: int = 5,
    ) -> int:
        """Add a message to the outbox in this transaction. Returns the outbox id."""
        return await outbox.enqueue(
            self._conn,
            participant_id,
            channel,
            kind,
            payload,
            direct_reply=direct_reply,
            not_before=not_before,
            max_attempts=max_attempts,
            now=self._clock(),
        )

    # Web chat

    @translating
    async def add_web_turns(self, token: str, turns: list[dict[str, Any]]) -> bool | None:
        """The web chat's turns for this message, in the message's own transaction: True when added, None
        when the chat is no longer stored (it ended, or FORGET ME took it just now), False when a turn
        with the same side and number is stored already (the same form, sent twice)."""
        return await web_sessions.append_new(self._conn, token, turns, self._clock())
