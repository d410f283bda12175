"""Reading an answer the way a kind person would.

For a choice, any of these picks "Good" (key 1):  1 · "1." · one · Good · good! · GOOD · goood · 😀 ·
"it was good" · Da (the Welsh label) · 1️⃣. Things that could mean two choices ("good and poor", "1 or 2")
or that negate a label ("not good") are unclear, and the person is asked again.

Typos are forgiven by a similarity ratio of at least `FUZZY_RATIO` that clearly beats every other
choice; with it "gud" is unclear, "goood" is Good, and "good" can never read as "poor".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.content.packs.folding import clean, fold

FUZZY_RATIO = 80  # out of 100
FUZZY_MARGIN = 10  # the best choice must beat the next best by this much
FUZZY_MIN_LENGTH = 4  # labels like "ok" and "da" are too short to guess at
FUZZY_MIN_SAID = 3  # "god" may be "good"; "go" is too little to go on
LONGEST_ANSWER = 60  # folded characters; a longer message is a story, not a pick
MOST_WORDS = 8

# Digits anywhere ("5stars", "q2"); a minus only where it cannot be a dash between numbers ("6-8").
_NUMBER = re.compile(r"(?<![\w.])-?\d{1,12}(?:\.\d{1,6})?|\d{1,12}(?:\.\d{1,6})?")


@dataclass(frozen=True)
class Option:
    """One answer a question accepts, with every way to say it, already folded."""

    value: str
    key: str  # "1", "2" …
    phrases: tuple[str, ...]  # labels in every language, plus extra words such as "yeah"
    emoji: str = ""


@dataclass(frozen=True)
class Vocabulary:
    numbers: Mapping[str, int]  # folded number word -> value
    negations: frozenset[str]
    yes: frozenset[str]
    no: frozenset[str]


def numbers_in(text: str, vocabulary: Vocabulary) -> list[float]:
    """Every number written in `text`, as digits ("5 stars", "2.5") or as a word ("two", "dau")."""
    found: list[float] = []
    for match in _NUMBER.finditer(clean(text)):
        found.append(float(match.group()))
    for token in fold(text).split():
        if token in vocabulary.numbers:
            found.append(float(vocabulary.numbers[token]))
    return found


def pick(text: str, options: Sequence[Option], vocabulary: Vocabulary) -> str | None:
    """The value of the one option `text` points to, or None when it is unclear."""
    folded = fold(text)
    if not folded:
        return None
    for option in options:
        if folded == option.key or folded in option.phrases or (option.emoji and folded == option.emoji):
            return option.value
    if len(folded) > LONGEST_ANSWER:
        return None
    tokens = folded.split()
    if len(tokens) > MOST_WORDS:
        return None
    evidence: set[str] = set()
    keys = {option.key: option.value for option in options}
    numbers = {n for n in numbers_in(text, vocabulary)}
    for number in numbers:
        key = f"{number:g}"
        if key in keys:
            evidence.add(keys[key])
    leftover = f" {folded} "
    for option in options:
        if option.emoji and option.emoji in tokens:
            evidence.add(option.value)
        for phrase in option.phrases:
            if phrase and f" {phrase} " in f" {folded} ":
                evidence.add(option.value)
                leftover = leftover.replace(f" {phrase} ", " ")
    if evidence:
        # "not good" must not count as good; a negation inside a matched label ("not sure") is fine.
        negated = any(token in vocabulary.negations for token in leftover.split())
        return evidence.pop() if len(evidence) == 1 and not negated else None
    return _guess(folded, options, vocabulary)


def _guess(folded: str, options: Sequence[Option], vocabulary: Vocabulary) -> str | None:
    """Forgive a small typo ("goood", "it was gud"), but only when one option is clearly meant.

    Each phrase is compared with the whole message and with every run of as many words in it.
    """
    tokens = folded.split()
    if any(token in vocabulary.negations for token in tokens):
        return None
    scores: list[tuple[float, str]] = []
    for option in options:
        best = 0.0
        for phrase in option.phrases:
            if len(phrase) < FUZZY_MIN_LENGTH:
                continue
            size = len(phrase.split())
            windows = {folded} | {" ".join(tokens[i:i + size]) for i in range(len(tokens) - size + 1)}
            for window in windows:
                if len(window) >= FUZZY_MIN_SAID:
                    best = max(best, fuzz.ratio(window, phrase))
        scores.append((best, option.value))
    scores.sort(reverse=True)
    if not scores or scores[0][0] < FUZZY_RATIO:
        return None
    if len(scores) > 1 and scores[0][0] - scores[1][0] < FUZZY_MARGIN:
        return None
    return scores[0][1]


def yes_or_no(text: str, options: Sequence[Option], vocabulary: Vocabulary) -> str | None:
    """"yes" or "no" for a yes/no question, from the Yes/No choices or words like yeah, nope, ie, naddo."""
    folded = fold(text)
    if folded in vocabulary.yes:
        return "yes"
    if folded in vocabulary.no:
        return "no"
    picked = pick(text, options, vocabulary)
    if picked is not None:
        return picked
    tokens = folded.split()
    if not tokens or len(tokens) > MOST_WORDS:
        return None
    # Single letters ("y", "n") only count on their own: in a sentence they are other words.
    said_yes = any(t in vocabulary.yes for t in tokens if len(t) > 1)
    said_no = any(t in vocabulary.no for t in tokens if len(t) > 1)
    negated = any(t in vocabulary.negations for t in tokens)
    if said_no and not said_yes:
        return "no"
    if said_yes and not said_no and not negated:
        return "yes"
    return None


def number(text: str, low: float, high: float, vocabulary: Vocabulary) -> float | None:
    """The one number in `text` if it is between `low` and `high`; None when there is none or several."""
    found = set(numbers_in(text, vocabulary))
    if len(found) != 1:
        return None
    value = found.pop()
    return value if low <= value <= high else None


def number_words(value: float) -> str:
    """How a number answer is stored as a value: "3", "2.5"."""
    return str(int(value)) if value.is_integer() else f"{value:.6f}".rstrip("0")
