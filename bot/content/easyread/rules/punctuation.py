"""`punctuation` (error, every language): no `& / % ;` and no brackets.

    Parents & carers (and young people)   -> uses "&": write "and"; uses "(": put the words in …

The characters and what to write instead are in prompts/wordlists/punctuation.yaml. A web address
may keep its "/".
"""

from __future__ import annotations

from bot.content.easyread.findings import ERROR, Problem
from bot.content.easyread.piece import Piece
from bot.content.easyread.wordlists import Wordlists
from bot.content.easyread.words import without_urls


def check(piece: Piece, lists: Wordlists) -> list[Problem]:
    text = without_urls(piece.text)
    problems: list[Problem] = []
    advised: set[str] = set()
    for character, advice in lists.punctuation.items():
        # "(" and ")" share their advice: one finding for a pair of brackets is enough.
        if character in text and advice not in advised:
            advised.add(advice)
            problems.append(Problem("punctuation", ERROR, f'uses "{character}"', advice))
    return problems
