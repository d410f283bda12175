"""`choice-count` (error): no more choices than the pack's audience can hold in mind.

    audience: learning_disability, question 'visit' with 4 choices -> the most is 3

The most per audience is `max_choices` in prompts/wordlists/limits.yaml (5 unless it says otherwise;
the pack format itself allows 5, and 6 for a national standard such as the Friends and Family Test,
which is exempt from this rule).
"""

from __future__ import annotations

from bot.content.easyread.findings import ERROR, Located, Problem
from bot.content.easyread.wordlists import Wordlists
from bot.content.packs.model import Pack


def check(pack: Pack, lists: Wordlists) -> list[Located]:
    most = lists.audience(pack.audience).max_choices
    found: list[Located] = []
    for index, question in enumerate(pack.questions):
        if len(question.choices) > most:
            found.append(
                Located(
                    ("questions", index, "choices"),
                    f"question '{question.id}'",
                    Problem(
                        "choice-count",
                        ERROR,
                        f"has {len(question.choices)} choices, the most for {pack.audience.value} packs is {most}",
                        f"keep the {most} answers that matter most",
                    ),
                )
            )
    return found
