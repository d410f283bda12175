"""`one-question` (error, every language): a message asks one question.

    How was your visit? Did we listen to you?   -> asks 2 questions in one message

Two questions at once are hard to hold in mind, and an answer cannot say which one it is for.
"""

from __future__ import annotations

from bot.content.easyread.findings import ERROR, Problem
from bot.content.easyread.piece import Piece
from bot.content.easyread.wordlists import Wordlists
from bot.content.easyread.words import without_urls

QUESTION_MARKS = ("?", "؟", "？")  # Latin, Arabic and full-width question marks


def check(piece: Piece, lists: Wordlists) -> list[Problem]:
    text = without_urls(piece.text)
    count = sum(text.count(mark) for mark in QUESTION_MARKS)
    if count <= 1:
        return []
    return [
        Problem(
            "one-question",
            ERROR,
            f"asks {count} questions in one message",
            "ask one question, and put the next one in its own message or question",
        )
    ]
