"""Themes suggested for untagged comments by simple keyword matching. Staff decide; nothing is tagged here.

    theme "waiting times", words ["wait", "waiting list", "too long"]
    "We waited 9 months, far too long"  → suggested: waiting times   ("too long" matched)

A keyword matches as whole words after folding (case, accents and punctuation ignored), so "wait"
does not match "waitress". The theme's own name counts as one of its words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.content.packs.folding import fold
from storage.loop.records import Comment, Theme


@dataclass(frozen=True, slots=True)
class Suggestion:
    comment: Comment
    themes: tuple[str, ...]  # theme names, best first
    matched: tuple[str, ...]  # the words that matched, for staff to judge


def _phrases(theme: Theme) -> list[str]:
    return [p for p in dict.fromkeys(fold(w) for w in (theme.name, *theme.keywords)) if p]


def suggest(comments: Sequence[Comment], themes: Sequence[Theme]) -> list[Suggestion]:
    """Comments that match at least one theme's words, with those themes (most words matched first)."""
    phrases = [(theme.name, _phrases(theme)) for theme in themes]
    found: list[Suggestion] = []
    for comment in comments:
        padded = f" {fold(comment.text)} "
        scored: list[tuple[int, str, list[str]]] = []
        for name, words in phrases:
            hits = [w for w in words if f" {w} " in padded]
            if hits:
                scored.append((len(hits), name, hits))
        if scored:
            scored.sort(key=lambda item: (-item[0], item[1]))
            matched = tuple(dict.fromkeys(w for _, _, hits in scored for w in hits))
            found.append(Suggestion(comment, tuple(name for _, name, _ in scored), matched))
    return found
