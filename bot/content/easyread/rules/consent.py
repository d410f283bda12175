"""`consent-wording` (error): each intro says, in easy words, that answers are anonymous, unless
someone seems to be in danger, when the service may need to act.

    intro: Tell us how we did. We will not know who you are.
    -> does not say: the exception when someone seems to be in danger

The phrases per language are in prompts/wordlists/consent.yaml; each need is met by any one of its
phrases. A language with no phrases there gets a warning: the check cannot read it.
"""

from __future__ import annotations

from bot.content.easyread.findings import ERROR, WARNING, Located, Problem
from bot.content.easyread.piece import for_language
from bot.content.easyread.wordlists import Wordlists
from bot.content.packs.folding import fold
from bot.content.packs.model import Pack


def check(pack: Pack, lists: Wordlists) -> list[Located]:
    found: list[Located] = []
    for language in pack.languages:
        intro = pack.intro.get(language, "")
        needs = for_language(lists.consent, language)
        location = ("intro", language)
        if needs is None:
            found.append(
                Located(
                    location,
                    f"intro ({language})",
                    Problem(
                        "consent-wording",
                        WARNING,
                        f"cannot check the privacy words: no phrases for '{language}'",
                        "add this language's phrases to prompts/wordlists/consent.yaml",
                    ),
                )
            )
            continue
        folded = f" {fold(intro)} "
        for need in needs:
            if not any(f" {fold(phrase)} " in folded for phrase in need.phrases):
                found.append(
                    Located(
                        location,
                        f"intro ({language})",
                        Problem(
                            "consent-wording",
                            ERROR,
                            f"does not say: {need.need}",
                            f'add words like "{need.example}"'
                            if need.example
                            else "see prompts/wordlists/consent.yaml",
                        ),
                    )
                )
    return found
