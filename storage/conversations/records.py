"""What the store hands out: plain frozen dataclasses, never ORM objects or rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class ParticipantRecord:
    id: int
    pseudonym: str
    channel: str  # the channel they last wrote on
    language: str | None
    stopped: bool
    conversation: dict[str, Any] | None
    consents: frozenset[str]  # purposes currently granted


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """A claimed outbox row, ready to send. `address` is decrypted from the vault; None once forgotten."""

    id: int
    participant_id: int
    channel: str
    kind: str
    payload: dict[str, Any]
    direct_reply: bool
    attempts: int  # including this attempt
    max_attempts: int
    created_at: datetime
    address: str | None = field(repr=False)  # never in a log line, not even by accident
    stopped: bool
    language: str | None


@dataclass(frozen=True, slots=True)
class WebSessionRecord:
    participant_id: int
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    transcript: tuple[dict[str, Any], ...]  # oldest turn first, at most the last 50
