"""What the "You said, we did" queries hand out: plain frozen dataclasses, never ORM objects or rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class QuestionLink:
    """Answers to `question_id` in `pack_id` raise the theme; only `values` of them when given."""

    pack_id: str
    question_id: str
    values: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class Theme:
    id: int
    name: str
    description: str | None
    keywords: tuple[str, ...]
    questions: tuple[QuestionLink, ...]
    comments: int  # comments (written answers and messages) tagged with it


@dataclass(frozen=True, slots=True)
class Action:
    id: int
    you_said: dict[str, str]  # language -> words
    we_did: dict[str, str]
    status: str  # planned | in_progress | done | not_possible
    symbol: str
    happened_on: date
    published_at: datetime | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    raised_by: int | None  # people who raised it, counted when follow-ups were planned
    told: int | None  # people queued a follow-up
    themes: tuple[tuple[int, str], ...] = ()  # (id, name)

    @property
    def languages(self) -> list[str]:
        return [lang for lang in self.you_said if self.we_did.get(lang)]


@dataclass(frozen=True, slots=True)
class SendRun:
    """Sending times for a run of rows on one channel: `count` rows from `start`, one every `every` seconds.

    The last run of a plan takes every row left, whatever its count says.
    """

    start: datetime
    count: int
    every: float


@dataclass(frozen=True, slots=True)
class ContactPlan:
    """What one planning run queued: people per channel and per language, and who could not be reached."""

    per_channel: dict[str, int]
    per_language: dict[str, int]
    unreachable: int  # said yes, not stopped, but on a channel we cannot send on now (or no address left)
    raised_by: int = 0  # for an action: people who raised it (contributions with no person count once each)

    @property
    def total(self) -> int:
        return sum(self.per_channel.values())


@dataclass(frozen=True, slots=True)
class LoopQuestion:
    """The one-tap question we last sent a person ("Was this helpful?", an invitation), for the engine.

    `asked_at` is when it reached them; when they chose 👎 or "tell us more" it is when they did, and
    `wants_words` says their next message is the words.
    """

    contact_id: int
    kind: str  # followup | invitation
    language: str
    asked_at: datetime
    answer: str | None
    wants_words: bool = False
    next_step: str | None = field(default=None, repr=False)  # invitation: what the bot says after YES

    @property
    def closed(self) -> bool:
        return self.answer is not None and not self.wants_words


@dataclass(frozen=True, slots=True)
class FollowupProgress:
    statuses: dict[str, int]  # outbox status -> people
    answers: dict[str, int]  # up | down | more -> people
    words: int  # "tell us more" messages received


@dataclass(frozen=True, slots=True)
class Involved:
    """A person who would like to help shape the service, as staff may see them: no address, ever."""

    participant_id: int
    pseudonym: str  # the first characters of the keyed hash, enough to tell people apart
    pack_id: str | None
    since: date
    channel: str
    invited: int  # invitations sent to them so far


@dataclass(frozen=True, slots=True)
class Invitation:
    id: int
    texts: dict[str, str]
    next_step: dict[str, str]
    created_by: str
    created_at: datetime
    invited: int
    answers: dict[str, int] = field(default_factory=dict)  # yes | no -> people


@dataclass(frozen=True, slots=True)
class CheckinSchedule:
    id: int
    name: str
    pack_id: str
    cron: str
    texts: dict[str, str]
    active: bool
    next_run_at: datetime | None
    last_run_at: datetime | None
    last_count: int | None
    updated_by: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Comment:
    """An untagged comment, for theme suggestions."""

    kind: str  # answer | message
    id: int
    text: str
