"""`contraction` (error, English; any language with entries in contractions.yaml).

    We'll tell you what we did.   -> "We'll": write "We will"

Full words are easier to read, to translate and to hear from a screen reader. A standard question
(the NHS Friends and Family Test's "Don't know") is exempt: see standards.yaml.
"""

from __future__ import annotations

from bot.content.easyread.findings import ERROR, Problem
from bot.content.easyread.piece import Piece, for_language
from bot.content.easyread.wordlists import Wordlists
from bot.content.easyread.words import words


def check(piece: Piece, lists: Wordlists) -> list[Problem]:
    table = for_language(lists.contractions, piece.language)
    if table is None:
        return []
    problems: list[Problem] = []
    seen: set[str] = set()
    for word in words(piece.text):
        lower = word.lower
        if lower in seen or "'" not in lower:
            continue
        full = table.words.get(lower)
        if full is None and not any(lower.endswith(end) and len(lower) > len(end) for end in table.endings):
            continue
        seen.add(lower)
        advice = f'write "{_match_case(full, word.text)}"' if full is not None else "write the two words in full"
        problems.append(Problem("contraction", ERROR, f'"{word.text}" is a short form', advice))
    return problems


def _match_case(full: str, original: str) -> str:
    return full[0].upper() + full[1:] if original[:1].isupper() else full
