"""Tables for the inbox: cases (a conversation between a person and the team), their messages and themes.

Declared on `storage.models.Base`; `migrations/versions/0004_inbox.py` matches them.

A case never holds an address. The person is reachable only through `participant_id` (the outbox and the
vault do the rest), and that link is cut (SET NULL) when they ask to be forgotten: the case and its
scrubbed words stay, anonymous, like general messages do. The safeguarding alert a case shares words with
is kept as a plain id: the alerts live in another migration branch (0003_safeguarding).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base
from storage.types import UTCDateTime

# new: nobody has answered yet; waiting_us: the person wrote after our last reply; waiting_them: we replied
# last; closed: handed back to the bot.
CASE_STATUSES = ("new", "waiting_us", "waiting_them", "closed")
DIRECTIONS = ("in", "out")  # in: the person wrote; out: staff replied through the bot


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint(_one_of("status", CASE_STATUSES), name="status"),
        Index("ix_cases_status_waiting_since", "status", "waiting_since"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), index=True
    )
    channel: Mapped[str] = mapped_column(String(16))
    language: Mapped[str | None] = mapped_column(String(16))
    pack_id: Mapped[str | None] = mapped_column(String(40))  # the pack the person was in, if any
    status: Mapped[str] = mapped_column(String(16))
    # While true the bot steps aside: what the person sends goes to this case (bot/engine/handover.py).
    handover: Mapped[bool] = mapped_column(Boolean, default=False)
    callback_wanted: Mapped[bool] = mapped_column(Boolean, default=False)  # the person sent CALL ME
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    alert_id: Mapped[int | None] = mapped_column(Integer)  # a safeguarding alert about the same words
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Since when the person has been waiting for us; NULL while we wait for them and once closed.
    waiting_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_inbound_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_reply_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    # Telling the duty team a case is new: due while not NULL (no words, no person, only a link).
    notice_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class CaseMessage(Base):
    __tablename__ = "case_messages"
    __table_args__ = (
        CheckConstraint(_one_of("direction", DIRECTIONS), name="direction"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    direction: Mapped[str] = mapped_column(String(8))
    text: Mapped[str | None] = mapped_column(Text)  # a person's words are scrubbed before they are kept
    media: Mapped[str | None] = mapped_column(String(40))  # "picture", "voice note": named, never kept
    # The general message this is, when it was also kept as one (the first message of a case usually is).
    feedback_id: Mapped[int | None] = mapped_column(ForeignKey("feedback.id", ondelete="SET NULL"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    author: Mapped[str | None] = mapped_column(String(254))  # the staff email as it was, for replies
    outbox_id: Mapped[int | None] = mapped_column(Integer)  # the reply's outbox row, for its delivery status
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class CaseTheme(Base):
    """A "you said, we did" theme a case is about: the person hears back when an action on it is published."""

    __tablename__ = "case_themes"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    theme: Mapped[str] = mapped_column(String(60), primary_key=True, index=True)
