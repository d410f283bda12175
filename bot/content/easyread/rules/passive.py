"""`passive` (warning, English only: passive.yaml has no other language yet).

    You were seen by a nurse.   -> "were seen" is passive: say who did it ("A nurse saw you")

A form of "be" or "get", maybe one word such as "not", then a past participle. Feelings that end
in -ed ("I was worried") are not passive and are listed in passive.yaml.
"""

from __future__ import annotations

from bot.content.easyread.findings import WARNING, Problem
from bot.content.easyread.piece import Piece, for_language
from bot.content.easyread.wordlists import PassiveWords, Wordlists
from bot.content.easyread.words import words


def check(piece: Piece, lists: Wordlists) -> list[Problem]:
    table = for_language(lists.passive, piece.language)
    if table is None or piece.role == "choice":
        return []
    tokens = [w.lower for w in words(piece.text)]
    problems: list[Problem] = []
    for index, token in enumerate(tokens):
        if token not in table.be:
            continue
        phrase = [token]
        following = tokens[index + 1 : index + 3]
        if following and following[0] in table.between:
            phrase.append(following[0])
            following = following[1:]
        if following and _is_participle(following[0], table):
            problems.append(
                Problem(
                    "passive",
                    WARNING,
                    f'"{" ".join([*phrase, following[0]])}" is passive',
                    'say who did it, like "we helped you" instead of "you were helped"',
                )
            )
    return problems


def _is_participle(word: str, table: PassiveWords) -> bool:
    if word in table.not_passive:
        return False
    return word in table.irregular or (word.endswith("ed") and len(word) > 4)
