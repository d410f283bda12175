"""What an SMS costs: encoding and segments, following GSM 03.38 (3GPP TS 23.038).

A text made only of characters in the GSM-7 basic table is sent 7 bits a character: 160 characters fit
one message, and a longer text is split into segments of 153 (the rest of each segment carries the
header that joins them back together). The extension table's characters (`€ [ ] { } ^ ~ | \\` and
form feed) need an escape first, so each costs two. Any other character (an emoji, a curly quote, the
Welsh `ŵ`) switches the whole text to UCS-2: 70 UTF-16 code units in one message, 67 a segment after
that, and an emoji outside the Basic Multilingual Plane takes two code units.

Segments are filled the way carriers fill them: an escape pair or a surrogate pair is never split
across two segments, so a long text can need one segment more than a plain division says.

    >>> sms_cost("How was your visit?").segments
    1
    >>> sms_cost("How was your visit? 😊").encoding
    'UCS-2'
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import regex

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")
GSM7 = GSM7_BASIC | GSM7_EXTENSION
# Replies repeat (every question of every pack, in each language): a cost or a plain form is worked out once
# per text, which takes it off every message's path. Bounded, so free text cannot grow it without end.
_CACHED_TEXTS = 4096

GSM7_SINGLE, GSM7_SEGMENT = 160, 153
UCS2_SINGLE, UCS2_SEGMENT = 70, 67

Encoding = Literal["GSM-7", "UCS-2"]


@dataclass(frozen=True, slots=True)
class SmsCost:
    """`characters` counts what the limits count: septets for GSM-7, UTF-16 code units for UCS-2.

    `ucs2_characters` lists, once each and in the order they first appear, the characters that stop the
    text being GSM-7 (an emoji with a skin tone or a joined family counts as one character here).
    """

    encoding: Encoding
    segments: int
    characters: int
    ucs2_characters: list[str]


def sms_cost(text: str) -> SmsCost:
    encoding, segments, characters, forcing = _cost(text)
    return SmsCost(encoding, segments, characters, list(forcing))


@lru_cache(maxsize=_CACHED_TEXTS)
def _cost(text: str) -> tuple[Encoding, int, int, tuple[str, ...]]:
    # Almost every text is GSM-7 throughout: a set test says so without splitting it into graphemes.
    forcing = () if GSM7.issuperset(text) else tuple(_ucs2_characters(text))
    if not forcing:
        units = [2 if ch in GSM7_EXTENSION else 1 for ch in text]
        return "GSM-7", _segments(units, GSM7_SINGLE, GSM7_SEGMENT), sum(units), ()
    units = [2 if ord(ch) > 0xFFFF else 1 for ch in text]
    return "UCS-2", _segments(units, UCS2_SINGLE, UCS2_SEGMENT), sum(units), forcing


def _segments(units: list[int], single: int, per_segment: int) -> int:
    total = sum(units)
    if total <= single:
        return 1 if total else 0
    segments, used = 1, 0
    for cost in units:
        # A two-unit character that does not fit whole starts the next segment.
        if used + cost > per_segment:
            segments += 1
            used = 0
        used += cost
    return segments


def _ucs2_characters(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for cluster in regex.findall(r"\X", text):
        if any(ch not in GSM7_BASIC and ch not in GSM7_EXTENSION for ch in cluster):
            seen.setdefault(cluster, None)
    return list(seen)


# Typography that has a plain GSM-7 twin. Letters with accents GSM-7 lacks lose the accent instead
# (see `_plain_letter`), so Welsh "ŵ" becomes "w", as people type it on phones without the accent.
_TYPOGRAPHY: Mapping[str, str] = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "`": "'",
    "´": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "«": '"',
    "»": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u2026": "...",
    "\u2022": "-",
    "·": "-",
    "\u00a0": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\t": " ",
    "\u00d7": "x",
    "\u00f7": "/",
}


def to_gsm7(text: str, words: Mapping[str, str] | None = None) -> str:
    """A plain variant of `text` that costs as little as it can.

    Smart quotes become straight, dashes become "-", an ellipsis becomes "...", accents GSM-7 lacks are
    dropped from their letter. An emoji (or other symbol) is replaced by its word from `words` when it
    has one (`{"😊": "happy"}`) and dropped otherwise, with the space beside it. A letter with no GSM-7
    form at all (Polish "ł", any Arabic letter) is kept: losing words would cost more than the
    segments, so such a text stays UCS-2 and `sms_cost` says so.
    """
    if not words:
        return _plain(text)
    return _to_gsm7(text, words)


@lru_cache(maxsize=_CACHED_TEXTS)
def _plain(text: str) -> str:
    """`to_gsm7` without words for symbols: what every SMS reply is rendered with, so cached."""
    if GSM7.issuperset(text):
        return _tidy_spaces(text)  # nothing to replace; only the spaces to fold
    return _to_gsm7(text, {})


def _to_gsm7(text: str, words: Mapping[str, str]) -> str:
    out: list[str] = []
    for cluster in regex.findall(r"\X", text):
        if cluster in words:
            out.append(words[cluster])
            continue
        base = _strip_emoji_dressing(cluster)
        if base in words:
            out.append(words[base])
        elif all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in cluster):
            out.append(cluster)
        elif cluster in _TYPOGRAPHY:
            out.append(_TYPOGRAPHY[cluster])
        else:
            out.append(_plain_letter(cluster))
    return _tidy_spaces("".join(out))


def _strip_emoji_dressing(cluster: str) -> str:
    return "".join(ch for ch in cluster if ch not in "\ufe0e\ufe0f" and not 0x1F3FB <= ord(ch) <= 0x1F3FF)


def _plain_letter(cluster: str) -> str:
    first = cluster[0]
    if unicodedata.category(first)[0] in "LN":
        decomposed = unicodedata.normalize("NFKD", cluster)
        # Only letters and digits stay: accents go, and so do the variation selector, keycap frame and
        # skin tone that can dress a digit ("1️⃣").
        stripped = "".join(ch for ch in decomposed if unicodedata.category(ch)[0] in "LN" or ch in GSM7_BASIC)
        if stripped and all(ch in GSM7_BASIC for ch in stripped):
            return stripped
        # Keep the letter when a GSM-7 form would lose it ("é" is in the table, "ł" has no twin).
        composed = unicodedata.normalize("NFC", cluster)
        return composed if all(ch in GSM7_BASIC for ch in composed) else cluster
    if unicodedata.category(first) in ("Zs", "Zl", "Zp"):
        return " "
    return ""  # emoji, pictographs and other symbols with no word given


def _tidy_spaces(text: str) -> str:
    """Dropping "Good 😊" leaves "Good "; fold the spaces a dropped symbol leaves behind."""
    return "\n".join(regex.sub(r" {2,}", " ", line).strip(" ") for line in text.split("\n"))
