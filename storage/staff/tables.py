"""Tables for the staff console: accounts, sessions, sign-in failures, the audit log, comment tags and
broadcasts. Declared on `storage.models.Base`; `migrations/versions/0003_staff.py` matches them.

Nothing here holds a participant's address: a broadcast reaches people through outbox rows, which carry
the broadcast's id in their payload.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, JSONValue
from storage.types import UTCDateTime

STAFF_ROLES = ("admin", "staff", "safeguarding_lead")
BROADCAST_STATUSES = ("scheduled", "planned", "cancelled")
AUDIENCES = ("updates", "pack", "channel", "checkins")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class StaffUser(Base):
    __tablename__ = "staff_users"
    __table_args__ = (
        CheckConstraint(_one_of("role", STAFF_ROLES), name="role"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A one-time password (from `said staff add` or demo mode) must be replaced at the first sign-in.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StaffSession(Base):
    """A signed-in browser. The key is the SHA-256 of the cookie's random token; the token is never stored."""

    __tablename__ = "staff_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class LoginFailure(Base):
    """One failed sign-in. Keys are keyed hashes of the typed email and of the client address, so the
    same lockout applies whether or not the account exists, and the table names nobody."""

    __tablename__ = "staff_login_failures"
    __table_args__ = (
        Index("ix_staff_login_failures_email_key_at", "email_key", "at"),
        Index("ix_staff_login_failures_ip_key_at", "ip_key", "at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email_key: Mapped[str] = mapped_column(String(64))
    ip_key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class UnlockLink(Base):
    """A one-time link that clears an account's failed sign-ins (`said staff unlock-link EMAIL`). The key is
    the SHA-256 of the link's random token; the token is never stored. Used once, then deleted."""

    __tablename__ = "staff_unlock_links"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AuditEvent(Base):
    """Who did what, when. `actor` keeps the email as it was, so the log outlives a removed account."""

    __tablename__ = "audit_log"
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012 - SQLAlchemy reads a plain dict

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"), index=True)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[str | None] = mapped_column(Text)


class CommentTag(Base):
    """A theme given to one free-text answer or one general message (exactly one of the two)."""

    __tablename__ = "comment_tags"
    __table_args__ = (
        CheckConstraint("(answer_id IS NULL) <> (feedback_id IS NULL)", name="one_target"),
        UniqueConstraint("answer_id", "theme"),
        UniqueConstraint("feedback_id", "theme"),
        Index("ix_comment_tags_theme", "theme"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"))
    feedback_id: Mapped[int | None] = mapped_column(ForeignKey("feedback.id", ondelete="CASCADE"))
    theme: Mapped[str] = mapped_column(String(60))
    tagged_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    tagged_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Broadcast(Base):
    """An update to send: its words per language, who it is for, when, and what happened."""

    __tablename__ = "broadcasts"
    __table_args__ = (
        CheckConstraint(_one_of("status", BROADCAST_STATUSES), name="status"),
        CheckConstraint(_one_of("audience", AUDIENCES), name="audience"),
        Index("ix_broadcasts_status_send_at", "status", "send_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    texts: Mapped[dict[str, Any]] = mapped_column(JSONValue)  # language -> words
    audience: Mapped[str] = mapped_column(String(16))
    audience_value: Mapped[str | None] = mapped_column(String(40))  # a pack id or a channel
    status: Mapped[str] = mapped_column(String(16))
    send_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    planned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Filled when planned: people queued, and people left out because they reached the daily cap.
    recipients: Mapped[int | None] = mapped_column(Integer)
    over_cap: Mapped[int | None] = mapped_column(Integer)
    # The outbox ids its rows got lie in this range; progress reads the rows in it whose payload names this
    # broadcast. A range costs nothing to write, where a link row per person made planning twice as slow.
    first_outbox_id: Mapped[int | None] = mapped_column(Integer)
    last_outbox_id: Mapped[int | None] = mapped_column(Integer)
