"""`answer-order` (error, every language): the best answer comes first in every question.

    question 'listened': Not at all / A little / A lot     -> puts "A lot" after worse answers

People learn where "Good" is; a pack that lists 1 = Good … 3 = Poor and then 1 = Not at all … 3 = A lot
makes them press the wrong key, and keypad answers on the phone follow the same order. How good an
answer is comes from its symbol (`answer_order` in prompts/wordlists/limits.yaml: happy before unsure
before unhappy); choices whose symbol is not rated ("Do not know") may go anywhere. A question kept in
a national standard's wording whose order differs is exempt when its standard lists `answer-order`.
"""

from __future__ import annotations

import itertools

from bot.content.easyread.findings import ERROR, Located, Problem
from bot.content.easyread.wordlists import Wordlists
from bot.content.packs.model import Pack


def check(pack: Pack, lists: Wordlists) -> list[Located]:
    found: list[Located] = []
    ranks = lists.answer_ranks
    first = pack.languages[0]
    for index, question in enumerate(pack.questions):
        rated = [(ranks[c.symbol], c.label.get(first, c.value)) for c in question.choices if c.symbol in ranks]
        for (rank, label), (later_rank, later_label) in itertools.pairwise(rated):
            if later_rank > rank:
                found.append(
                    Located(
                        ("questions", index, "choices"),
                        f"question '{question.id}'",
                        Problem(
                            "answer-order",
                            ERROR,
                            f'puts "{later_label}" after "{label}": the best answer comes first',
                            "list the answers from best to worst, as every other question does",
                        ),
                    )
                )
                break
    return found
