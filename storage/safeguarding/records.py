"""What the safeguarding queries hand out: plain frozen dataclasses, never ORM objects or rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class AlertSummary:
    """One line of the alert list: no words, no person."""

    id: int
    kind: str  # risk | callback
    level: str  # urgent | concern
    rules: tuple[str, ...]
    channel: str
    pack_id: str | None
    place: str | None
    created_at: datetime
    status: str  # open | acknowledged | closed
    notified: bool  # every notice sent (or nothing to send)


@dataclass(frozen=True, slots=True)
class AlertRecord:
    """One alert opened by a safeguarding lead: the scrubbed words and what happened since."""

    id: int
    kind: str
    level: str
    rules: tuple[str, ...]
    text: str | None
    place: str | None
    channel: str
    language: str | None
    pack_id: str | None
    submission_id: str | None
    question_id: str | None
    feedback_id: int | None
    created_at: datetime
    status: str
    acknowledged_by: int | None
    acknowledged_at: datetime | None
    closed_by: int | None
    closed_at: datetime | None
    outcome: str | None
    emailed_at: datetime | None
    messaged_at: datetime | None
    notice_error: str | None
    reachable: bool  # the person (or a number they gave) can still be reached; False once forgotten


@dataclass(frozen=True, slots=True)
class RevealedContact:
    """Contact details revealed by break-glass. Never logged; shown once to the lead who asked."""

    channel: str
    how: str  # "a number they gave for a call back", "the number they wrote from", "Telegram chat id"
    address: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class NoticeItem:
    """An alert whose duty-team notices are due, claimed by one worker."""

    alert_id: int
    kind: str
    level: str
    attempts: int  # including this one
    emailed: bool
    messaged: bool
