"""Readings built once per set of long-lived objects.

What a reply is read against (a question's labels, the menu's titles, yes and no) depends only on objects the
host loads once and never changes: the pack library and its frozen packs, the meaning lists, the symbols and
the system texts. Building it means normalising every label and author's word again, which was a fifth of
the engine's time a message; so the engine keeps what it built, keyed by those objects themselves. A host
that reloads its packs passes new objects and gets new readings. Still pure: no I/O, nothing but memory.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")
KEEP = 1024  # readings kept; a deployment has tens of questions, so this is only a bound


class Memo(Generic[T]):
    def __init__(self) -> None:
        # The owners are held with the value so their ids cannot be reused by other objects while kept.
        self._kept: dict[tuple[tuple[int, ...], Hashable], tuple[tuple[object, ...], T]] = {}

    def get(self, owners: tuple[object, ...], extra: Hashable, build: Callable[[], T]) -> T:
        key = (tuple(id(owner) for owner in owners), extra)
        kept = self._kept.get(key)
        if kept is not None and all(a is b for a, b in zip(kept[0], owners, strict=True)):
            return kept[1]
        value = build()
        if len(self._kept) >= KEEP:
            self._kept.clear()
        self._kept[key] = (owners, value)
        return value
