"""Tables for "You said, we did": themes, actions, the people told about them, invitations, check-ins.

Declared on `storage.models.Base`; `migrations/versions/0003_loop.py` matches them.

Which comments sit in a theme is kept where staff tag them, in `comment_tags` (a theme there is its name);
`loop_themes` adds what a theme needs beyond a name: a description, words for suggestions, and the
questions whose answers count as raising it.

`loop_contacts` is one row a person an action (or an invitation) reached. Its unique keys are the guard
that nobody hears about the same action twice, however often or in how many processes planning runs.
The person link is cut (SET NULL) when they ask to be forgotten; their 👍 / 👎 stays, anonymous.
Staff are named by email (like the audit log), so these tables need nothing from the staff tables.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
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

ACTION_STATUSES = ("planned", "in_progress", "done", "not_possible")
CONTACT_KINDS = ("followup", "invitation")
# followup: up (👍), down (👎), more (tell us more); invitation: yes, no
CONTACT_ANSWERS = ("up", "down", "more", "yes", "no")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class LoopTheme(Base):
    __tablename__ = "loop_themes"
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012 - SQLAlchemy reads a plain dict

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)  # the name in comment_tags.theme
    description: Mapped[str | None] = mapped_column(Text)
    keywords: Mapped[list[str]] = mapped_column(JSONValue)  # words that suggest the theme for a comment
    created_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LoopThemeQuestion(Base):
    """Answers to this question count as raising the theme (only these values, when `answer_values` is set)."""

    __tablename__ = "loop_theme_questions"

    theme_id: Mapped[int] = mapped_column(ForeignKey("loop_themes.id", ondelete="CASCADE"), primary_key=True)
    pack_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    answer_values: Mapped[list[str] | None] = mapped_column(JSONValue)


class LoopAction(Base):
    """"You said … We did …": words per language, a status, a symbol, a date, and when it was published."""

    __tablename__ = "loop_actions"
    __table_args__ = (
        CheckConstraint(_one_of("status", ACTION_STATUSES), name="status"),
        Index("ix_loop_actions_published_at", "published_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    you_said: Mapped[dict[str, Any]] = mapped_column(JSONValue)  # language -> words
    we_did: Mapped[dict[str, Any]] = mapped_column(JSONValue)  # language -> words
    status: Mapped[str] = mapped_column(String(16))
    symbol: Mapped[str] = mapped_column(String(40))
    happened_on: Mapped[date] = mapped_column(Date)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Counted when follow-ups are planned: how many people raised it, and how many were told.
    raised_by: Mapped[int | None] = mapped_column(Integer)
    told: Mapped[int | None] = mapped_column(Integer)


class LoopActionTheme(Base):
    __tablename__ = "loop_action_themes"

    action_id: Mapped[int] = mapped_column(ForeignKey("loop_actions.id", ondelete="CASCADE"), primary_key=True)
    theme_id: Mapped[int] = mapped_column(
        ForeignKey("loop_themes.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class LoopInvitation(Base):
    """An invitation to help shape the service, and the next step the bot gives a person who says yes."""

    __tablename__ = "loop_invitations"
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    texts: Mapped[dict[str, Any]] = mapped_column(JSONValue)  # language -> the invitation
    next_step: Mapped[dict[str, Any]] = mapped_column(JSONValue)  # language -> what to do after YES
    created_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    invited: Mapped[int] = mapped_column(Integer, default=0)


class LoopContact(Base):
    """One person told about one action (a follow-up) or asked by one invitation, and their answer."""

    __tablename__ = "loop_contacts"
    __table_args__ = (
        CheckConstraint(_one_of("kind", CONTACT_KINDS), name="kind"),
        CheckConstraint(_one_of("answer", CONTACT_ANSWERS), name="answer"),
        CheckConstraint("(action_id IS NULL) <> (invitation_id IS NULL)", name="one_subject"),
        UniqueConstraint("action_id", "participant_id"),
        UniqueConstraint("invitation_id", "participant_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    action_id: Mapped[int | None] = mapped_column(ForeignKey("loop_actions.id", ondelete="CASCADE"))
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("loop_invitations.id", ondelete="CASCADE"))
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), index=True
    )
    # The planning run that added it: the run queues a message for its own contacts and nobody else.
    batch: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(16))
    planned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answer: Mapped[str | None] = mapped_column(String(8))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # "Tell us more": the words, kept as a general message so staff read and tag them like any other.
    feedback_id: Mapped[int | None] = mapped_column(ForeignKey("feedback.id", ondelete="SET NULL"))


class CheckinSchedule(Base):
    """A recurring check-in: when (a cron expression), which pack, and the reminder's words.

    `next_run_at` is claimed with a compare-and-set, so each firing is planned once by one process, and
    a firing missed while nothing ran is planned at the next tick.
    """

    __tablename__ = "loop_checkin_schedules"
    __table_args__ = (
        Index("ix_loop_checkin_schedules_active_next_run_at", "active", "next_run_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    pack_id: Mapped[str] = mapped_column(String(40))
    cron: Mapped[str] = mapped_column(String(120))
    texts: Mapped[dict[str, Any]] = mapped_column(JSONValue)  # language -> reminder words
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    next_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_count: Mapped[int | None] = mapped_column(Integer)
    updated_by: Mapped[str] = mapped_column(String(254))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
