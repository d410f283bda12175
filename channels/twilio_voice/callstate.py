"""What a call needs between two webhooks, carried in the action URL's query string.

The webhooks keep no memory of a call: each answer's URL says which call it was made for, which step
this is, what was asked and which keys mean what. Twilio signs the whole URL with the request, so none
of it can be changed on the way (a wrong signature is refused before this is read). The person's place
in the pack lives in the database like on every channel; this is only the call's own bookkeeping.

    c=CA5f…&n=3&m=ask&q=overall&k=choice&v=good.ok.poor&l=en&s=1
    -> CallState(call="CA5f…", step=3, mode=ASK, question="overall", values=("good", "ok", "poor"), silences=1)

`from_query` returns None for anything malformed; only a bug or an old deployment's URL could give one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from urllib.parse import urlencode

MAX_STEP = 100_000  # a call that long is not a person answering four questions
MAX_VALUES = 8  # keys 1..8 at most; 9 repeats and 0 skips
MAX_HELD = 4_000  # characters of a sealed transcript in the URL

CALL_SID = re.compile(r"[A-Za-z0-9\-]{8,64}")  # Twilio's CA + 32 hex; compatible APIs use UUIDs
_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]{0,39}")
_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-]{0,39}")
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z]{2,4})?")
_SEALED = re.compile(r"[A-Za-z0-9_\-]{1,4000}")
_KINDS = frozenset({"choice", "scale", "yesno", "text", "number"})


class Mode(StrEnum):
    ASK = "ask"  # a question from the conversation is waiting for an answer
    CONFIRM = "confirm"  # a transcript we were unsure of waits for "press 1 if that is right"
    RESUME = "resume"  # an unfinished pack: carry on (1) or start again (2)
    STOPPED = "stopped"  # the caller once said STOP: answer anyway (1) or end the call (2)


@dataclass(frozen=True)
class CallState:
    call: str
    step: int = 0
    mode: Mode = Mode.ASK
    question: str = ""  # the asked question's id; empty when no question is waiting
    kind: str = "choice"
    values: tuple[str, ...] = ()  # the choice value behind key 1, 2 … on this page
    page: int = 0  # questions with more than three choices are read three at a time
    pages: int = 1
    language: str = "en"
    silences: int = 0  # times in a row nothing was heard at this prompt
    quiet_moves: int = 0  # questions moved past in silence in a row
    held: str = ""  # a sealed transcript waiting for confirmation
    confidence: float | None = None  # the speech recogniser's confidence in `held`

    def next(self, **changes: object) -> CallState:
        """The state for the next step's URLs: one step on, with `changes`."""
        return replace(self, step=self.step + 1, **changes)  # type: ignore[arg-type]

    def to_query(self) -> str:
        fields: dict[str, str] = {"c": self.call, "n": str(self.step), "m": self.mode.value, "l": self.language}
        if self.question:
            fields |= {"q": self.question, "k": self.kind}
        if self.values:
            fields["v"] = ".".join(self.values)
        if self.pages > 1:
            fields |= {"p": str(self.page), "pp": str(self.pages)}
        if self.silences:
            fields["s"] = str(self.silences)
        if self.quiet_moves:
            fields["qm"] = str(self.quiet_moves)
        if self.held:
            fields["h"] = self.held
        if self.confidence is not None:
            fields["cf"] = f"{self.confidence:.3f}"
        return urlencode(fields)

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> CallState | None:
        try:
            return cls._read(query)
        except (ValueError, KeyError):
            return None

    @classmethod
    def _read(cls, query: Mapping[str, str]) -> CallState:
        call = _match(CALL_SID, query["c"])
        question = query.get("q", "")
        if question:
            _match(_IDENTIFIER, question)
        kind = query.get("k", "choice")
        if kind not in _KINDS:
            raise ValueError("kind")
        values = tuple(query["v"].split(".")) if query.get("v") else ()
        if len(values) > MAX_VALUES:
            raise ValueError("values")
        for value in values:
            _match(_VALUE, value)
        pages = _number(query.get("pp", "1"), 1, 10)
        page = _number(query.get("p", "0"), 0, pages - 1)
        held = query.get("h", "")
        if held:
            _match(_SEALED, held)
        confidence = _confidence(query.get("cf"))
        return cls(
            call=call,
            step=_number(query["n"], 0, MAX_STEP),
            mode=Mode(query.get("m", Mode.ASK.value)),
            question=question,
            kind=kind,
            values=values,
            page=page,
            pages=pages,
            language=_match(_LANGUAGE, query.get("l", "en")),
            silences=_number(query.get("s", "0"), 0, 10),
            quiet_moves=_number(query.get("qm", "0"), 0, 100),
            held=held,
            confidence=confidence,
        )


def _match(pattern: re.Pattern[str], text: str) -> str:
    if not pattern.fullmatch(text):
        raise ValueError("pattern")
    return text


def _number(text: str, low: int, high: int) -> int:
    if not text.isdigit() or len(text) > 6:
        raise ValueError("number")
    value = int(text)
    if not low <= value <= high:
        raise ValueError("range")
    return value


def _confidence(text: str | None) -> float | None:
    if text is None:
        return None
    value = float(text)
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise ValueError("confidence")
    return value
