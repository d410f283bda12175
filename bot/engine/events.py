"""What happened in one step, for the host to store in one transaction.

Events carry no address (except `CallbackRequested.phone`, given by the person for that purpose).
`AnswerGiven` for a question that already has an answer in the submission
replaces it (BACK lets a person change an answer). `AnswerWithdrawn` removes an answer whose question
no longer applies after such a change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True, slots=True)
class SubmissionStarted:
    submission_id: str
    pack_id: str
    pack_version: int
    language: str


@dataclass(frozen=True, slots=True)
class AnswerGiven:
    submission_id: str
    question_id: str
    value: str | None  # a choice value, "yes"/"no", or a number written as words would read it ("3")
    number: float | None
    text: str | None  # free text, not yet scrubbed: the host scrubs it before storing
    skipped: bool


@dataclass(frozen=True, slots=True)
class AnswerWithdrawn:
    """An earlier answer no longer applies: the person went BACK and changed what made it relevant."""

    submission_id: str
    question_id: str


@dataclass(frozen=True, slots=True)
class SubmissionFinished:
    submission_id: str
    status: Literal["completed", "abandoned"]


@dataclass(frozen=True, slots=True)
class FeedbackGiven:
    text: str
    media: str | None
    pack_id: str | None


@dataclass(frozen=True, slots=True)
class ConsentGiven:
    purpose: str
    granted: bool


@dataclass(frozen=True, slots=True)
class Stopped:
    pass


@dataclass(frozen=True, slots=True)
class Started:
    pass


@dataclass(frozen=True, slots=True)
class ForgetConfirmed:
    pass


@dataclass(frozen=True, slots=True)
class LanguageChosen:
    language: str


@dataclass(frozen=True, slots=True)
class RiskDetected:
    """A message showed risk. Comes after the event that kept the words (an answer or feedback), so the
    host can link the alert to that row. `rules` are rule ids, never the matched words."""

    level: Literal["urgent", "concern"]
    rules: tuple[str, ...]
    where: str  # the question id, "consent", or "feedback" outside a pack
    kept_as: Literal["answer", "feedback"]
    text: str  # not yet scrubbed: the host scrubs it before storing
    submission_id: str | None
    pack_id: str | None


@dataclass(frozen=True, slots=True)
class CallbackRequested:
    """The person said yes to a call back from the duty team.

    `phone` is a number they typed (web chat, Telegram), already in E.164; None means the number they are
    writing from. The one event that may carry an address: the host seals it at once and never logs it.
    """

    phone: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class LoopAnswered:
    """An answer to a "You said, we did" question (bot/engine/loop_reply.py): up, down or more to "Was this
    helpful?", yes or no to an invitation. `words` is "tell us more", not yet scrubbed."""

    contact_id: int
    answer: str
    words: str | None = None


@dataclass(frozen=True, slots=True)
class CaseMessage:
    """Words (or a picture) for the open case a person from the team is answering (bot/engine/handover.py).
    `text` is not yet scrubbed: the host scrubs it before storing."""

    case_id: int
    text: str
    media: str | None


@dataclass(frozen=True, slots=True)
class HandoverEnded:
    """The person went back to the bot (MENU or a pack keyword); the case stays open for staff."""

    case_id: int


Event = (
    SubmissionStarted | AnswerGiven | AnswerWithdrawn | SubmissionFinished | FeedbackGiven | ConsentGiven
    | Stopped | Started | ForgetConfirmed | LanguageChosen | RiskDetected | CallbackRequested | LoopAnswered
    | CaseMessage | HandoverEnded
)
