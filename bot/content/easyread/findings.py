"""What the easy-read checker reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Location = tuple[str | int, ...]  # a place in a pack file, like ("questions", 2, "text", "en")

Severity = Literal["error", "warning"]
ERROR: Severity = "error"
WARNING: Severity = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one place. Printed the way editors and CI logs link to a line:

    prompts/packs/children.yaml:31: sentence-length: question 'school' (en): 14 words in one sentence,
    the most is 12 (split it into two sentences)
    """

    path: str | None
    line: int | None
    rule: str
    severity: Severity
    message: str
    suggestion: str

    def __str__(self) -> str:
        where = self.path or "<text>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        advice = f" ({self.suggestion})" if self.suggestion else ""
        return f"{where}: {self.rule}: {self.message}{advice}"


@dataclass(frozen=True, slots=True)
class Problem:
    """A finding before it knows its file and line: what a rule returns."""

    rule: str
    severity: Severity
    message: str
    suggestion: str

    def at(self, path: str | None, line: int | None, place: str = "") -> Finding:
        message = f"{place}: {self.message}" if place else self.message
        return Finding(path, line, self.rule, self.severity, message, self.suggestion)


@dataclass(frozen=True, slots=True)
class Located:
    """A pack rule's problem with where it is: the key in the file and a readable place name."""

    location: Location
    place: str
    problem: Problem
