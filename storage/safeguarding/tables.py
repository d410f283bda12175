"""Tables for safeguarding: alerts for the duty team, and numbers people gave for a call back.

Declared on `storage.models.Base`; `migrations/versions/0003_safeguarding.py` matches them.

An alert holds the scrubbed words, the rule ids that matched and links to where the words are kept
(an answer in a submission, or a general message); never an address. The person behind it is reachable
only through `participant_id` and the vault, by the break-glass reveal (`safeguarding_alerts.reveal`).
A number typed for a call back is sealed like a vault entry, in its own table that goes with the person
when they ask to be forgotten.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, JSONValue
from storage.types import UTCDateTime

ALERT_KINDS = ("risk", "callback")
ALERT_LEVELS = ("urgent", "concern")
ALERT_STATUSES = ("open", "acknowledged", "closed")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class SafeguardingAlert(Base):
    __tablename__ = "safeguarding_alerts"
    __table_args__ = (
        CheckConstraint(_one_of("kind", ALERT_KINDS), name="kind"),
        CheckConstraint(_one_of("level", ALERT_LEVELS), name="level"),
        CheckConstraint(_one_of("status", ALERT_STATUSES), name="status"),
        Index("ix_safeguarding_alerts_status_created_at", "status", "created_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    level: Mapped[str] = mapped_column(String(16))
    rules: Mapped[list[Any]] = mapped_column(JSONValue)  # rule ids such as "en.suicide_intent"
    text: Mapped[str | None] = mapped_column(Text)  # scrubbed before it is stored
    place: Mapped[str | None] = mapped_column(String(40))  # question id, "consent" or "feedback"
    channel: Mapped[str] = mapped_column(String(16))
    language: Mapped[str | None] = mapped_column(String(16))
    pack_id: Mapped[str | None] = mapped_column(String(40))
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), index=True
    )
    submission_id: Mapped[str | None] = mapped_column(ForeignKey("submissions.id", ondelete="SET NULL"))
    question_id: Mapped[str | None] = mapped_column(String(40))
    feedback_id: Mapped[int | None] = mapped_column(ForeignKey("feedback.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16))
    # Staff ids without a foreign key, so this table does not depend on the staff migration branch;
    # the audit log keeps who acted by name, even after an account is removed.
    acknowledged_by: Mapped[int | None] = mapped_column(Integer)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[int | None] = mapped_column(Integer)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(Text)
    # Telling the duty team: due while not NULL; claimed with a lease so one worker sends each notice.
    notice_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    notice_lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notice_attempts: Mapped[int] = mapped_column(Integer, default=0)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    messaged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notice_error: Mapped[str | None] = mapped_column(Text)


class CallbackNumber(Base):
    """A phone number a person typed for a call back (web chat, Telegram), sealed with the vault key."""

    __tablename__ = "safeguarding_callback_numbers"

    alert_id: Mapped[int] = mapped_column(
        ForeignKey("safeguarding_alerts.id", ondelete="CASCADE"), primary_key=True
    )
    # Cascades: "forget me" deletes the participant, and so the number they gave.
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
