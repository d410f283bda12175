"""`negative` (warning; English and Welsh lists in negatives.yaml, any language can add one).

    Tell us what did not help.   -> uses "not": say it the positive way if you can

A negative makes the reader turn the sentence round ("Tell us what would help" is easier). It is a
warning: sometimes "not" is the plainest word. Choice labels ("No", "Not good") are not checked, and
neither is an intro's privacy promise ("We will not know who you are"), whose words consent.yaml sets.
"""

from __future__ import annotations

from bot.content.easyread.findings import WARNING, Problem
from bot.content.easyread.piece import Piece, for_language
from bot.content.easyread.wordlists import Wordlists
from bot.content.easyread.words import sentences, words
from bot.content.packs.folding import fold


def check(piece: Piece, lists: Wordlists) -> list[Problem]:
    entry = for_language(lists.negatives, piece.language)
    if entry is None or piece.role == "choice":
        return []
    negative_words, endings = entry
    promises = _consent_phrases(lists, piece.language) if piece.role == "intro" else ()
    checked = " ".join(s for s in sentences(piece.text) if not any(p in f" {fold(s)} " for p in promises))
    found = list(
        dict.fromkeys(
            word.text
            for word in words(checked)
            if word.lower in negative_words or any(word.lower.endswith(end) for end in endings)
        )
    )
    if not found:
        return []
    listed = ", ".join(f'"{w}"' for w in found)
    return [Problem("negative", WARNING, f"uses {listed}", "say it the positive way if you can")]


def _consent_phrases(lists: Wordlists, language: str) -> tuple[str, ...]:
    needs = for_language(lists.consent, language) or ()
    return tuple(f" {fold(phrase)} " for need in needs for phrase in need.phrases)
