"""`acronym` and `all-caps` (errors; the logic works in every language, the allow-list is per language).

    Talk to CAMHS.          -> acronym: "CAMHS" needs explaining in the same message
    Ask your GP.            -> fine: GP is on the allow-list and widely known
    We met the SALT team.   -> acronym: "SALT" is not on the acronym allow-list
    PLEASE ANSWER TODAY     -> all-caps: capital letters read as shouting

Allowed everywhere: the command words in acronyms.yaml (`allowed_caps`, like STOP) and a pack's own
start keywords. A run of capitals longer than 5 letters, or two in a row, is shouting, not an acronym.
"""

from __future__ import annotations

from bot.content.easyread.findings import ERROR, Problem
from bot.content.easyread.piece import Piece, for_language
from bot.content.easyread.wordlists import Wordlists
from bot.content.easyread.words import Word, is_all_caps, words

LONGEST_ACRONYM = 5


def check(piece: Piece, lists: Wordlists) -> list[Problem]:
    allowed = lists.allowed_caps | piece.allowed_caps
    known = for_language(lists.acronyms, piece.language) or {}
    lower_text = piece.text.lower()
    problems: list[Problem] = []
    seen: set[str] = set()
    tokens = words(piece.text)
    for index, word in enumerate(tokens):
        letters = word.text
        if not is_all_caps(letters) or letters in allowed or letters in seen:
            continue
        seen.add(letters)
        acronym = known.get(letters)
        if acronym is not None:
            if acronym.explain and not any(phrase in lower_text for phrase in acronym.look_for):
                problems.append(
                    Problem(
                        "acronym",
                        ERROR,
                        f'"{letters}" needs explaining in the same message',
                        f'add a sentence like "{letters} is {acronym.means}."',
                    )
                )
            continue
        if len(letters) > LONGEST_ACRONYM or _next_is_caps(tokens, index, allowed):
            problems.append(
                Problem(
                    "all-caps",
                    ERROR,
                    f'"{letters}" is in capital letters, which reads as shouting',
                    f'write "{letters.capitalize() if word.sentence_start else letters.lower()}"',
                )
            )
        else:
            problems.append(
                Problem(
                    "acronym",
                    ERROR,
                    f'"{letters}" is not on the acronym allow-list',
                    "say it in plain words, or add it with a plain explanation to wordlists/acronyms.yaml",
                )
            )
    return problems


def _next_is_caps(tokens: list[Word], index: int, allowed: frozenset[str]) -> bool:
    neighbours = tokens[max(0, index - 1) : index] + tokens[index + 1 : index + 2]
    return any(is_all_caps(t.text) and t.text not in allowed for t in neighbours)
