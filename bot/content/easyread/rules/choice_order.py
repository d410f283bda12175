"""`choice-order` (error, every language): choices that appear in several questions keep one order.

    question 'listened': Yes, a lot / A little / No
    question 'informed': No / A little / Yes, a lot     -> in a different order from 'listened'

People learn where "Good" is on the first question; moving it later makes them press the wrong key.
Two choice lists are compared on what they share: the same values, or the same labels in a language.
"""

from __future__ import annotations

from bot.content.easyread.findings import ERROR, Located, Problem
from bot.content.packs.folding import fold
from bot.content.packs.model import Pack, Question


def check(pack: Pack) -> list[Located]:
    found: list[Located] = []
    with_choices = [(index, q) for index, q in enumerate(pack.questions) if q.choices]
    for position, (index, later) in enumerate(with_choices):
        for _, earlier in with_choices[:position]:
            clash = _clash(earlier, later, pack.languages)
            if clash is not None:
                found.append(
                    Located(
                        ("questions", index, "choices"),
                        f"question '{later.id}'",
                        Problem(
                            "choice-order",
                            ERROR,
                            f"lists {', '.join(clash)} in a different order from question '{earlier.id}'",
                            f"use the order of question '{earlier.id}'",
                        ),
                    )
                )
                break
    return found


def _clash(earlier: Question, later: Question, languages: list[str]) -> list[str] | None:
    """The shared choices (as the earlier question shows them) when the later one orders them differently."""
    for early, late in zip(_namings(earlier, languages), _namings(later, languages), strict=True):
        late_keys = [key for key, _ in late]
        shared = [(key, shown) for key, shown in early if key and key in late_keys]
        keys = [key for key, _ in shared]
        if len(keys) >= 2 and keys != [key for key in late_keys if key in keys]:
            return [shown for _, shown in shared]
    return None


def _namings(question: Question, languages: list[str]) -> list[list[tuple[str, str]]]:
    """Each way to recognise a choice (its value, its label in each language), with how to show it."""
    shown = [c.label.get(languages[0], c.value) for c in question.choices]
    ways = [[c.value for c in question.choices]]
    ways.extend([fold(c.label.get(language, "")) for c in question.choices] for language in languages)
    return [list(zip(way, shown, strict=True)) for way in ways]
