"""Splitting text into sentences and words the way the easy-read rules count them.

    >>> sentences("How was it? Tell us.\\nThank you")
    ['How was it?', 'Tell us.', 'Thank you']
    >>> [w.text for w in words("We'll call you at 10.")]
    ["We'll", 'call', 'you', 'at', '10']

A word is a run of letters or digits, with apostrophes and hyphens inside it ("don't", "e-mail").
Emoji and punctuation are not words: a reader does not count them.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

# A space after ".", "?" or "!" (and any closing quote or bracket) ends a sentence, as does a new line.
_SENTENCE_END = regex.compile(r"(?<=[.!?…؟。][\"'”’)\]]{0,2})\s+|\n+")
# A word starts with a letter or digit; combining marks only ever follow one (a lone accent is no word).
_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}\p{M}]*(?:['’\-‐][\p{L}\p{N}\p{M}]+)*")
_URL = regex.compile(r"(?:https?://|www\.)\S+", regex.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    start: int  # offset in the text it came from
    sentence_start: bool  # the first word of its sentence (so a capital letter is expected)

    @property
    def lower(self) -> str:
        return self.text.replace("’", "'").lower()


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]


def without_urls(text: str) -> str:
    """Web addresses replaced by spaces of the same length, so offsets still line up."""
    return _URL.sub(lambda match: " " * len(match.group()), text)


def words(text: str) -> list[Word]:
    out: list[Word] = []
    starts = {0} | {match.end() for match in _SENTENCE_END.finditer(text)}
    next_is_start = True
    last_end = 0
    for match in _WORD.finditer(without_urls(text)):
        # Any sentence break between the previous word and this one makes this word a sentence start.
        if any(last_end <= s <= match.start() for s in starts):
            next_is_start = True
        out.append(Word(match.group(), match.start(), next_is_start))
        next_is_start = False
        last_end = match.end()
    return out


def word_count(text: str) -> int:
    return len(words(text))


def is_all_caps(word: str) -> bool:
    """Two or more letters, every one a capital ("NHS", "PLEASE"); "I" and "A" are ordinary words."""
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)
