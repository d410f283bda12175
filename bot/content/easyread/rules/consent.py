"""`consent-wording` (error): each intro says, in easy words, that answers are anonymous, unless
someone seems to be in danger, when the service may need to act.

    intro: Tell us how we did. We will not know who you are.
    -> does not say: the exception when someone seems to be in danger

The phrases per language are in prompts/wordlists/consent.yaml; each need is met by any one of its
phrases. A language with no phrases there gets a warning: the check cannot read it.

The intro is read as people get it: followed by the channel's one sentence about what we keep
(prompts/channels.yaml `privacy`), on every channel the pack is offered on, so that sentence can say
what we keep and the pack need not repeat it.
"""

from __future__ import annotations

from bot.content.easyread.findings import ERROR, WARNING, Located, Problem
from bot.content.easyread.piece import for_language
from bot.content.easyread.wordlists import Wordlists
from bot.content.packs.folding import fold
from bot.content.packs.model import Pack
from bot.content.packs.texts import SystemTexts
from bot.engine.asks import informal


def check(pack: Pack, lists: Wordlists, texts: SystemTexts | None = None) -> list[Located]:
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
        casual = informal(pack)
        privacy = [texts.privacy(language, c.value, informal=casual) for c in pack.channels] if texts else [""]
        for need in needs:
            said = [f" {fold(f'{intro} {sentence}')} " for sentence in privacy]
            if not all(any(f" {fold(phrase)} " in folded for phrase in need.phrases) for folded in said):
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
