"""What the staff queries hand out: plain frozen dataclasses, never ORM objects or rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class StaffMember:
    id: int
    email: str
    role: str
    active: bool
    must_change_password: bool
    created_at: datetime
    last_sign_in_at: datetime | None
    password_hash: str = field(repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    subject: str | None
    detail: str | None


@dataclass(frozen=True, slots=True)
class AnswerCount:
    """How many answers one question got with one value (or number, or skip, or written answer).
    (Per channel, month or week: `GroupCount`; `month` is no longer set by any query.)"""

    question_id: str
    value: str
    count: int
    month: str | None = None


@dataclass(frozen=True, slots=True)
class GroupCount:
    """How many answers one question got with one value within one group: a channel ("sms"), a local
    month ("2026-11") or a local week, named by its Monday ("2026-11-23")."""

    question_id: str
    value: str
    group: str
    count: int


@dataclass(frozen=True, slots=True)
class SlotCount:
    """Submissions started in one local hour of the week, on one channel."""

    weekday: int  # Monday is 0
    hour: int  # 0 to 23, local time
    channel: str
    count: int


@dataclass(frozen=True, slots=True)
class TimeCounts:
    """When submissions started, in local time: per hour of the week and channel, and per week."""

    slots: tuple[SlotCount, ...]
    weeks: dict[date, int]  # the Monday a local week starts on -> submissions


@dataclass(frozen=True, slots=True)
class Comment:
    """A scrubbed free-text answer or general message, with what staff tagged it."""

    kind: str  # "answer" or "message"
    id: int
    pack_id: str | None
    question_id: str | None
    channel: str
    text: str
    day: str  # YYYY-MM-DD: the date only, so a comment is harder to match to a person
    themes: tuple[str, ...]
    media: str | None = None


@dataclass(frozen=True, slots=True)
class BroadcastRecord:
    id: int
    name: str
    texts: dict[str, str]
    audience: str
    audience_value: str | None
    status: str
    send_at: datetime
    created_by: str | None  # the email of who wrote it, while that account exists
    created_at: datetime
    updated_at: datetime
    planned_at: datetime | None
    recipients: int | None
    over_cap: int | None


@dataclass(frozen=True, slots=True)
class PlanResult:
    """What planning one broadcast did: rows queued per channel and language, and who was left out."""

    broadcast_id: int
    queued: dict[str, int]  # channel -> rows
    over_cap: int
    languages: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.queued.values())


@dataclass(frozen=True, slots=True)
class Actor:
    """Who an audit entry names: a staff account, or a tool such as the command line."""

    name: str  # the staff email, or "command line", "demo mode", "scheduler"
    staff_id: int | None = None
