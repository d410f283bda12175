"""`sentence-length` (error, every language): at most 15 words a sentence, 12 in children's packs.

    Thank you for coming to see us at the clinic last week and for talking to us today.
    -> 17 words in one sentence, the most is 15

The limits per audience are in prompts/wordlists/limits.yaml.
"""

from __future__ import annotations

from bot.content.easyread.excerpt import excerpt
from bot.content.easyread.findings import ERROR, Problem
from bot.content.easyread.piece import Piece
from bot.content.easyread.wordlists import Wordlists
from bot.content.easyread.words import sentences, word_count


def check(piece: Piece, lists: Wordlists) -> list[Problem]:
    most = lists.audience(piece.audience).sentence_words
    problems: list[Problem] = []
    for sentence in sentences(piece.text):
        count = word_count(sentence)
        if count > most:
            problems.append(
                Problem(
                    "sentence-length",
                    ERROR,
                    f"{count} words in one sentence, the most is {most}: {excerpt(sentence)}",
                    "split it into two short sentences, or leave out words that do not help",
                )
            )
    return problems
