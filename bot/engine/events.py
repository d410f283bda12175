"""What happened in one step, for the host to store in one transaction.

Events carry no address. `AnswerGiven` for a question that already has an answer in the submission
replaces it (BACK lets a person change an answer). `AnswerWithdrawn` removes an answer whose question
no longer applies after such a change.
"""

from __future__ import annotations

from dataclasses import dataclass
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


Event = (
    SubmissionStarted | AnswerGiven | AnswerWithdrawn | SubmissionFinished | FeedbackGiven | ConsentGiven
    | Stopped | Started | ForgetConfirmed | LanguageChosen
)
