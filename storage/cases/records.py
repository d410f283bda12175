"""What the inbox queries hand out: plain frozen dataclasses, never ORM objects or rows. No addresses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Handover:
    """The case the bot has stepped aside for, for one person: what the host tells the engine."""

    case_id: int
    waiting_for_them: bool  # staff replied last: the person's next message is their answer
    language: str | None = None


@dataclass(frozen=True, slots=True)
class CaseLine:
    """One message in a case: the person's (scrubbed) words, or a staff reply and how its delivery went."""

    id: int
    direction: str  # in | out
    text: str | None
    media: str | None
    at: datetime
    author: str | None = None
    delivery: str | None = None  # the reply's outbox status: pending, sending, sent, delivered, failed, …
    due_at: datetime | None = None  # when a pending reply will go (after quiet hours)


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """One line of the inbox: enough to choose what to open."""

    id: int
    channel: str
    language: str | None
    pack_id: str | None
    status: str  # new | waiting_us | waiting_them | closed
    handover: bool
    callback_wanted: bool
    owner: str | None  # the owner's email, while that account exists
    owner_id: int | None
    alert_id: int | None
    opened_at: datetime
    waiting_since: datetime | None
    last_inbound_at: datetime | None
    last_reply_at: datetime | None
    closed_at: datetime | None
    preview: str  # the start of the person's latest words ("" for a CALL ME with no words)
    messages: int
    themes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """One case opened in the console: its summary, every message, and whether a reply can reach the person."""

    summary: CaseSummary
    lines: tuple[CaseLine, ...]
    # None when a reply can go; otherwise why not, in words for staff (never naming the address).
    unreachable: str | None
    # Whether a number to call can be revealed (a call-back number they typed, or the number they wrote from).
    has_number: bool
    stopped: bool = False
    closed_by: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> int:
        return self.summary.id


@dataclass(frozen=True, slots=True)
class Queued:
    """A staff reply or closing line put in the outbox."""

    outbox_id: int
    direct: bool  # may go now, quiet hours or not: the person wrote within the last hour
    channel: str


@dataclass(frozen=True, slots=True)
class RevealedNumber:
    """A number to call for a CALL ME case, shown once to a staff member who gave a reason."""

    how: str
    number: str = field(repr=False)
