"""`standard-wording` (error): a question marked `standard: nhs_fft` uses that standard's exact
English wording and answers, or it cannot have the standard's exemptions.

    standard: nhs_fft
    text: {en: How was our service?}   -> is not the NHS Friends and Family Test wording

The standards, their wording and the rules they are exempt from are in prompts/wordlists/standards.yaml.
Exempt rules are still reported for that question, as warnings naming the standard.
"""

from __future__ import annotations

from bot.content.easyread.findings import ERROR, Located, Problem
from bot.content.easyread.wordlists import Standard, Wordlists
from bot.content.packs.model import Pack, Question

WORDING_LANGUAGE = "en"


def standard_of(question: Question, lists: Wordlists) -> Standard | None:
    """The standard a question claims, when it exists and the question keeps its wording."""
    key = question.standard
    standard = lists.standards.get(key) if key else None
    if standard is None or _differences(question, standard):
        return None
    return standard


def check(pack: Pack, lists: Wordlists) -> list[Located]:
    found: list[Located] = []
    for index, question in enumerate(pack.questions):
        key = question.standard
        if not key:
            continue
        place = f"question '{question.id}'"
        standard = lists.standards.get(key)
        if standard is None:
            found.append(
                Located(
                    ("questions", index, "standard"),
                    place,
                    Problem(
                        "standard-wording",
                        ERROR,
                        f"'{key}' is not a standard we know",
                        f"use one of {', '.join(lists.standards) or 'none'} (wordlists/standards.yaml)",
                    ),
                )
            )
            continue
        for location, difference in _differences(question, standard):
            found.append(
                Located(
                    ("questions", index, *location),
                    place,
                    Problem(
                        "standard-wording",
                        ERROR,
                        f"{difference}, so it is not the {standard.name} wording",
                        "use the standard words exactly, or remove 'standard' and follow every rule",
                    ),
                )
            )
    return found


def _differences(question: Question, standard: Standard) -> list[tuple[tuple[str | int, ...], str]]:
    if WORDING_LANGUAGE not in question.text:
        return []  # a pack without English cannot be compared; its translation is the service's word
    out: list[tuple[tuple[str | int, ...], str]] = []
    if question.text[WORDING_LANGUAGE].strip() != standard.text:
        out.append((("text", WORDING_LANGUAGE), f'the question should read "{standard.text}"'))
    labels = tuple(c.label.get(WORDING_LANGUAGE, "").strip() for c in question.choices)
    if labels != standard.choices:
        out.append((("choices",), f"the answers should be {' / '.join(standard.choices)}"))
    return out
