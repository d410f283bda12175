"""`hard-word` (error): words most readers do not know, with a plain swap when there is one.

    How was your appointment with the clinician?
    -> "appointment": say "visit"; "clinician": say "the person who helped you"
    We will triage your referral.   -> "triage" is not a common word

A word is easy when it is on an easy-word list (textstat's list for English, plus easy_words.yaml)
or common enough by word frequency (wordfreq, `min_zipf` in limits.yaml). Swaps in plain_swaps.yaml
are reported even for common words. Frequency works only for languages wordfreq has (not Welsh);
elsewhere only the swaps apply. A capitalised word inside a sentence is taken to be a name.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

import wordfreq

from bot.content.easyread.findings import ERROR, Problem
from bot.content.easyread.piece import Piece, for_language
from bot.content.easyread.wordlists import Wordlists
from bot.content.easyread.words import Word, is_all_caps, words

SHORTEST_CHECKED = 3  # "is", "go", "me": too short to be hard, and wordfreq is noisy about them
_ENDINGS = ("'s", "ies", "ied", "ing", "es", "ed", "er", "est", "ly", "s")


def check(piece: Piece, lists: Wordlists) -> list[Problem]:
    swaps: Mapping[str, str] = for_language(lists.swaps, piece.language) or {}
    easy = for_language(lists.easy_words, piece.language) or frozenset()
    frequency_language = wordfreq_language(piece.language)
    tokens = words(piece.text)
    problems: list[Problem] = []
    reported: set[str] = set()
    covered = _phrase_swaps(tokens, swaps, problems, reported)
    for index, word in enumerate(tokens):
        lower = word.lower
        if index in covered or lower in reported or is_all_caps(word.text):
            continue  # capitals (a keyword, an acronym) have their own rule
        swap = _swap(lower, swaps)
        if swap is not None:
            reported.add(lower)
            problems.append(_swap_problem(word.text, swap))
        elif frequency_language is not None and _is_hard(word, easy, frequency_language, lists.min_zipf):
            reported.add(lower)
            problems.append(
                Problem(
                    "hard-word",
                    ERROR,
                    f'"{word.text}" is not a common word',
                    "use a word most people know, or list it in wordlists/easy_words.yaml if readers know it",
                )
            )
    return problems


@cache
def _available() -> frozenset[str]:
    return frozenset(wordfreq.available_languages())


def wordfreq_language(language: str) -> str | None:
    """The wordfreq code for `language`, or None when wordfreq has no list for it.

    Asked for a language it lacks, wordfreq silently falls back to a neighbour (Welsh to English),
    which would judge Welsh words by English frequencies; this asks first.
    """
    for code in (language, language.split("-")[0]):
        if code in _available():
            return code
    return None


def _phrase_swaps(
    tokens: list[Word], swaps: Mapping[str, str], problems: list[Problem], reported: set[str]
) -> set[int]:
    covered: set[int] = set()
    lowered = [t.lower for t in tokens]
    for phrase, plain in swaps.items():
        parts = phrase.split()
        if len(parts) < 2:
            continue
        for start in range(len(lowered) - len(parts) + 1):
            if lowered[start : start + len(parts)] == parts and phrase not in reported:
                reported.add(phrase)
                covered.update(range(start, start + len(parts)))
                problems.append(_swap_problem(" ".join(t.text for t in tokens[start : start + len(parts)]), plain))
    return covered


def _swap(lower: str, swaps: Mapping[str, str]) -> str | None:
    """The plain words for `lower`; for a plural of a one-word swap, the plural of the swap."""
    for form in (lower, lower.removesuffix("'s")):
        if form in swaps:
            return swaps[form]
        for plural in ("es", "s"):
            singular = form.removesuffix(plural)
            if form.endswith(plural) and singular in swaps:
                plain = swaps[singular]
                return f"{plain}s" if " " not in plain else plain
    return None


def _swap_problem(text: str, plain: str) -> Problem:
    return Problem("hard-word", ERROR, f'"{text}" is a hard word', f'say "{plain}"')


def _is_hard(word: Word, easy: frozenset[str], language: str, min_zipf: float) -> bool:
    text = word.text
    if is_all_caps(text) or any(ch.isdigit() for ch in text):
        return False  # capitals have their own rule; numbers are easy
    if text[:1].isupper() and not word.sentence_start:
        return False  # a name: there is no plainer word for it
    parts = [part for part in word.lower.removesuffix("'s").replace("‐", "-").split("-") if part]
    return any(_part_is_hard(part, easy, language, min_zipf) for part in parts)


def _part_is_hard(part: str, easy: frozenset[str], language: str, min_zipf: float) -> bool:
    if len(part) < SHORTEST_CHECKED or part in easy or any(stem in easy for stem in _stems(part)):
        return False
    return _zipf(part, language) < min_zipf


@cache
def _zipf(word: str, language: str) -> float:
    return float(wordfreq.zipf_frequency(word, language))


def _stems(word: str) -> list[str]:
    """Plain guesses at the dictionary form ("helped" -> "help", "stopping" -> "stop", "tries" -> "try")."""
    stems: list[str] = []
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            stem = word[: -len(ending)]
            stems.append(stem)
            if ending in ("ies", "ied"):
                stems.append(stem + "y")
            if ending in ("ed", "ing", "er", "est", "es"):
                stems.append(stem + "e")
                if len(stem) > 2 and stem[-1] == stem[-2]:
                    stems.append(stem[:-1])
    return stems
