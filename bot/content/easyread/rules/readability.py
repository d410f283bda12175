"""`readability` (error, English only): the Flesch-Kincaid grade of a whole pack suits its audience.

The grade is worked out over the intro, consent, questions and outro together (choice labels are
fragments, not sentences, and would flatter the score). The most per audience is in limits.yaml:
grade 3 for children, 4 for young people, 5 for parents and carers. The formula is made for English;
other languages are not scored.

    grade 6.8 for English, the most for parent_carer is 5
"""

from __future__ import annotations

from functools import cache

from textstat.textstat import textstatistics

from bot.content.easyread.findings import ERROR, Located, Problem
from bot.content.easyread.wordlists import Wordlists
from bot.content.packs.model import Pack

SCORED_LANGUAGES = ("en",)


@cache
def _english() -> textstatistics:
    # An instance of our own: textstat's module-level one keeps a global language setting.
    stats = textstatistics()
    stats.set_lang("en_GB")
    return stats


def pack_prose(pack: Pack, language: str) -> str:
    texts = [pack.intro.get(language, ""), pack.consent.get(language, "")]
    texts.extend(q.text.get(language, "") for q in pack.questions)
    texts.append(pack.outro.get(language, ""))
    # Every text is its own sentence at least, even one written without a full stop.
    return " ".join(t if t.rstrip().endswith((".", "?", "!")) else f"{t}." for t in texts if t.strip())


def grade(text: str, language: str) -> float | None:
    """The Flesch-Kincaid grade of `text`, or None for a language the formula does not fit."""
    if language.split("-")[0] not in SCORED_LANGUAGES or not text.strip():
        return None
    return float(_english().flesch_kincaid_grade(text))


def grades(pack: Pack) -> dict[str, float | None]:
    return {language: grade(pack_prose(pack, language), language) for language in pack.languages}


def check(pack: Pack, lists: Wordlists) -> list[Located]:
    most = lists.audience(pack.audience).max_grade
    found: list[Located] = []
    for language, score in grades(pack).items():
        if score is not None and score > most:
            found.append(
                Located(
                    ("audience",),
                    f"pack ({language})",
                    Problem(
                        "readability",
                        ERROR,
                        f"Flesch-Kincaid reading grade {score:.1f}, the most for {pack.audience} is {most:g}",
                        "use shorter sentences and words with fewer syllables",
                    ),
                )
            )
    return found
