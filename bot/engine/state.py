"""One person's place in the conversation, saved by the host between messages as JSON.

The state holds no address and no free text: only which pack and question a person is on, their
language, and the choice values given so far (needed for `when` conditions and BACK).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

FORMAT = 1
_LIMIT = 500  # more answers than any pack has; a longer list is a broken record, not a conversation


class Stage(StrEnum):
    IDLE = "idle"  # not in a pack: messages are general feedback
    CONSENT = "consent"  # the pack's intro was sent; waiting for yes or no
    QUESTION = "question"  # waiting for the answer to `question_id`


class Awaiting(StrEnum):
    """A side question asked on top of the stage; the stage carries on after it."""

    MENU = "menu"
    LANGUAGE = "language"
    FORGET = "forget"
    CARRY_ON = "carry_on"  # after signposting inside a pack: carry on with the questions?
    CALLBACK = "callback"  # "Do you want a person from our team to phone you on this number?"
    CALLBACK_NUMBER = "callback_number"  # "Which number should we phone?"
    CONFIRM = "confirm"  # "Did you mean 3 Not good?": `pending` is stored on YES
    HELD = "held"  # "Is that a message for our team?": `pending` is the short message, filed on YES


@dataclass
class Conversation:
    language: str | None = None
    stopped: bool = False
    pack_id: str | None = None
    pack_version: int | None = None
    submission_id: str | None = None
    stage: Stage = Stage.IDLE
    question_id: str | None = None
    tries: int = 0  # unclear answers to the current question so far
    history: list[str] = field(default_factory=list)  # answered question ids in order, for BACK
    answers: dict[str, str] = field(default_factory=dict)  # choice, yes/no and number values only
    answered: list[str] = field(default_factory=list)  # questions with a stored answer, skips included
    awaiting: Awaiting | None = None
    last_seen: datetime | None = None
    # The question id of the last question we asked, so a tap on an older question's button (Telegram
    # keeps old keyboards on screen) is recognised instead of answering the current question.
    last_asked: str | None = None
    # The answer we asked back about ("Did you mean 3 Not good?"), stored only once the person says YES.
    pending: str | None = None

    @property
    def in_pack(self) -> bool:
        return self.stage is not Stage.IDLE

    def copy(self) -> Conversation:
        return replace(
            self, history=list(self.history), answers=dict(self.answers), answered=list(self.answered)
        )

    def leave_pack(self) -> None:
        """Back to idle; language, stop status and last_seen stay."""
        self.pack_id = self.pack_version = self.submission_id = self.question_id = None
        self.stage = Stage.IDLE
        self.tries = 0
        self.history, self.answers, self.answered = [], {}, []
        self.awaiting = None
        self.pending = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "language": self.language,
            "stopped": self.stopped,
            "pack_id": self.pack_id,
            "pack_version": self.pack_version,
            "submission_id": self.submission_id,
            "stage": self.stage.value,
            "question_id": self.question_id,
            "tries": self.tries,
            "history": list(self.history),
            "answers": dict(self.answers),
            "answered": list(self.answered),
            "awaiting": self.awaiting.value if self.awaiting else None,
            "last_seen": self.last_seen.isoformat() if self.last_seen else None,
            "last_asked": self.last_asked,
            "pending": self.pending,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Conversation:
        """The saved state, or a fresh idle one for anything old or broken. Never raises."""
        conversation = cls._read(d)
        if conversation.awaiting is Awaiting.CONFIRM:
            pending = _text(d.get("pending")) if isinstance(d, dict) else None
            if conversation.stage is Stage.QUESTION and pending is not None:
                conversation.pending = pending
            else:
                conversation.awaiting = None  # nothing to confirm: the question is simply asked again
        elif conversation.awaiting is Awaiting.HELD:
            held = _text(d.get("pending")) if isinstance(d, dict) else None
            if held is None or conversation.in_pack:
                conversation.awaiting = None  # nothing held: the next message is read afresh
            else:
                conversation.pending = held
        return conversation

    @classmethod
    def _read(cls, d: dict[str, Any] | None) -> Conversation:
        """The saved state, or a fresh idle one for anything old or broken. Never raises.

        A stop is kept whenever it can be read at all: losing it would message someone who said STOP.
        """
        if not isinstance(d, dict):
            return cls()
        conversation = cls(
            language=_text(d.get("language")),
            stopped=d.get("stopped") is True,
            last_seen=_moment(d.get("last_seen")),
            last_asked=_text(d.get("last_asked")),
        )
        try:
            conversation.awaiting = Awaiting(d["awaiting"]) if d.get("awaiting") else None
            stage = Stage(str(d.get("stage")))
        except (ValueError, TypeError):
            return conversation
        pack_id, question_id = _text(d.get("pack_id")), _text(d.get("question_id"))
        submission_id = _text(d.get("submission_id"))
        version = d.get("pack_version")
        history, answered = _texts(d.get("history")), _texts(d.get("answered"))
        answers = d.get("answers")
        if not isinstance(answers, dict) or len(answers) > _LIMIT or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in answers.items()
        ):
            answers = None
        tries = d.get("tries")
        whole = (
            isinstance(version, int) and not isinstance(version, bool)
            and isinstance(tries, int) and not isinstance(tries, bool) and tries >= 0
            and history is not None and answered is not None and answers is not None
        )
        if stage is Stage.IDLE or pack_id is None or not whole or not isinstance(tries, int):
            return conversation
        if stage is Stage.QUESTION and (question_id is None or submission_id is None):
            return conversation
        conversation.stage = stage
        conversation.pack_id, conversation.pack_version = pack_id, version
        conversation.submission_id = submission_id if stage is Stage.QUESTION else None
        conversation.question_id = question_id if stage is Stage.QUESTION else None
        conversation.tries = min(tries, 99)
        conversation.history, conversation.answered = history or [], answered or []
        conversation.answers = dict(answers or {})
        return conversation


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and 0 < len(value) <= 200 else None


def _texts(value: Any) -> list[str] | None:
    if not isinstance(value, list) or len(value) > _LIMIT or not all(isinstance(v, str) for v in value):
        return None
    return list(value)


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
