"""One text to check, with what the rules need to know about it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeVar

Role = Literal["free", "title", "intro", "consent", "outro", "question", "choice"]

T = TypeVar("T")


@dataclass(frozen=True)
class Piece:
    text: str
    language: str
    audience: str
    role: Role = "free"
    allowed_caps: frozenset[str] = field(default_factory=frozenset)


def for_language(table: Mapping[str, T], language: str) -> T | None:
    """The entry for `language`, or for its base language ("en-GB" uses "en")."""
    if language in table:
        return table[language]
    return table.get(language.split("-")[0])
