"""The database tables. `migrations/versions` must match these exactly (a test compares them).

Addresses never appear here: a participant is a pseudonym, the address is sealed in `vault_entries`, and
answers hang off a submission whose link to the participant is cut when the person asks to be forgotten.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.types import UTCDateTime

PURPOSES = ("hear_back", "updates", "involvement", "checkins")
SUBMISSION_STATUSES = ("open", "completed", "abandoned")
OUTBOX_KINDS = ("reply", "broadcast", "followup", "reminder", "alert")
OUTBOX_STATUSES = ("pending", "sending", "sent", "delivered", "failed", "cancelled")

# Named constraints let later migrations (batch mode on SQLite) find and alter them.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# JSON columns keep Python None as SQL NULL, so "no conversation" and "empty" are distinguishable.
JSONValue = JSON(none_as_null=True)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Participant(Base):
    __tablename__ = "participants"
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012 - SQLAlchemy reads a plain dict

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(16))  # the channel they last wrote on
    language: Mapped[str | None] = mapped_column(String(16))
    stopped: Mapped[bool] = mapped_column(Boolean, default=False)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    conversation: Mapped[dict[str, Any] | None] = mapped_column(JSONValue)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)


class VaultEntry(Base):
    __tablename__ = "vault_entries"

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # NULL: kept because a consent needs it.
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class Consent(Base):
    __tablename__ = "consents"
    __table_args__ = (CheckConstraint(_one_of("purpose", PURPOSES), name="purpose"),)

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    purpose: Mapped[str] = mapped_column(String(32), primary_key=True)
    granted: Mapped[bool] = mapped_column(Boolean)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Submission(Base):
    __tablename__ = "submissions"
    __table_args__ = (CheckConstraint(_one_of("status", SUBMISSION_STATUSES), name="status"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), index=True
    )
    pack_id: Mapped[str] = mapped_column(String(40), index=True)
    pack_version: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Answer(Base):
    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("submission_id", "question_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[str] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(40))
    value: Mapped[str | None] = mapped_column(String(100))
    number: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str | None] = mapped_column(Text)
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Feedback(Base):
    """A general message outside a question pack, or a note that a picture or voice note was sent."""

    __tablename__ = "feedback"
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), index=True
    )
    channel: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(16))
    text: Mapped[str | None] = mapped_column(Text)
    media: Mapped[str | None] = mapped_column(String(40))
    pack_id: Mapped[str | None] = mapped_column(String(40))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class InboundMessage(Base):
    """Provider message ids already handled, with the reply we gave. Deliberately not linked to a person."""

    __tablename__ = "inbound_messages"
    __table_args__ = (
        UniqueConstraint("channel", "provider_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    provider_id: Mapped[str] = mapped_column(String(128))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    reply: Mapped[dict[str, Any] | None] = mapped_column(JSONValue)


class OutboxMessage(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),
        CheckConstraint(_one_of("kind", OUTBOX_KINDS), name="kind"),
        CheckConstraint(_one_of("status", OUTBOX_STATUSES), name="status"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONValue)
    direct_reply: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=5)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(128))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    provider_id: Mapped[str | None] = mapped_column(String(128), index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    segments: Mapped[int | None] = mapped_column(Integer)
    encoding: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WebSession(Base):
    """A web chat session. The key is the SHA-256 of the browser's random token; the token is never stored."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class WebTurn(Base):
    """One turn of a web chat (one side speaking once), a row each so an answer adds rows instead of
    rewriting the whole conversation. Goes with its session (FORGET ME, expiry)."""

    __tablename__ = "web_turns"
    __table_args__ = (
        # A turn numbered `n` is stored once per side: a form sent twice (to two processes) adds one turn.
        # Turns without a number (a message the outbox added) never clash: NULLs are distinct.
        UniqueConstraint("token_hash", "who", "n"),
        # A chat's newest turns first: how every read and the trimming walk it.
        Index("ix_web_turns_token_hash_id", "token_hash", "id"),
        CheckConstraint(_one_of("who", ("bot", "person")), name="who"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # the order the turns were said in
    token_hash: Mapped[str] = mapped_column(ForeignKey("web_sessions.token_hash", ondelete="CASCADE"))
    who: Mapped[str] = mapped_column(String(8))
    n: Mapped[int | None] = mapped_column(Integer)
    # The whole turn as the web chat gave it ({"who", "n", "messages", ...}), so nothing of it is lost.
    turn: Mapped[dict[str, Any]] = mapped_column(JSONValue)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RateSlot(Base):
    """The next free sending moment for one rate-limited key (a channel, or a channel and one person).

    Kept as epoch seconds so one atomic upsert can do the arithmetic on SQLite and PostgreSQL alike;
    that single statement is what makes a rate limit hold across processes.
    """

    __tablename__ = "rate_slots"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    next_at: Mapped[float] = mapped_column(Float)


def _load_feature_tables() -> None:
    """Each feature keeps its tables in `storage/<feature>/tables.py` on this same Base; importing them here
    puts them in `Base.metadata`, which Alembic and the drift test compare against the migrations.

    Found by file name beside this module (not through `storage.__path__`, which a test folder named
    `storage` on sys.path could extend)."""
    import importlib
    from pathlib import Path

    for path in sorted(Path(__file__).resolve().parent.glob("*/tables.py")):
        importlib.import_module(f"storage.{path.parent.name}.tables")


_load_feature_tables()
