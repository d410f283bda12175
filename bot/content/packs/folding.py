"""Turn what a person typed into a form that is easy to compare.

People type "Yes!", "  YES ", "yes 👍🏽" or "Yn ôl". Matching commands, keywords and answers works on a
folded form: accents, case, punctuation and emoji dressing (skin tones, variation selectors) removed,
emoji kept as their own words, spaces collapsed.
"""

from __future__ import annotations

import unicodedata

# Zero-width joiner, variation selectors and the keycap mark only dress an emoji ("1️⃣" folds to "1").
_EMOJI_DRESSING = frozenset({"\u200d", "\ufe0e", "\ufe0f", "\u20e3"})
_SKIN_TONES = range(0x1F3FB, 0x1F400)
# Bidi overrides and isolates can make a message display differently from what it says.
_KEEP_CONTROL = frozenset({"\n", "\t", "\u200d"})


def clean(text: str) -> str:
    """The text with control characters, bidi overrides and lone surrogates removed, ends trimmed.

    Line breaks and tabs stay, and so does the zero-width joiner that holds emoji sequences together.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept: list[str] = []
    for ch in text:
        if ch in _KEEP_CONTROL:
            kept.append(ch)
            continue
        category = unicodedata.category(ch)
        if category == "Cc":
            kept.append(" ")
        elif category not in ("Cf", "Cs", "Co"):
            kept.append(ch)
    return "".join(kept).strip()


def fold(text: str) -> str:
    """A comparison form: lower case, no accents or punctuation, emoji as separate words."""
    parts: list[str] = []
    for ch in unicodedata.normalize("NFKD", text):
        if ch in _EMOJI_DRESSING or ord(ch) in _SKIN_TONES:
            continue
        category = unicodedata.category(ch)
        if category[0] in "LN":
            parts.append(ch)
        elif category in ("Mn", "Me"):
            continue  # accents: "ôl" and "ol" are the same word to us
        elif category == "So":
            parts.append(f" {ch} ")
        else:
            parts.append(" ")
    return " ".join("".join(parts).casefold().split())
