"""The easy-read rules, one module each. Text rules take a `Piece` and the word lists and return
`Problem`s; pack rules take a whole pack. The module doc of each rule shows what it catches."""

from __future__ import annotations

from collections.abc import Callable

from bot.content.easyread.findings import Problem
from bot.content.easyread.piece import Piece
from bot.content.easyread.rules import (
    capitals,
    contractions,
    hard_words,
    negatives,
    one_question,
    passive,
    punctuation,
    sentence_length,
)
from bot.content.easyread.wordlists import Wordlists

TextRule = Callable[[Piece, Wordlists], list[Problem]]

TEXT_RULES: tuple[TextRule, ...] = (
    sentence_length.check,
    one_question.check,
    contractions.check,
    punctuation.check,
    capitals.check,
    hard_words.check,
    negatives.check,
    passive.check,
)
