"""The channel budgets (see `budgets`) applied to every message a pack sends, in every language.

    question 'fft' (en): as an SMS it costs 3 segments, the most is 2 (…, forced by ⭐, 😄, 😀 …)

By SMS the intro and the consent question go out together, as the engine sends them, and the outro
goes with the support words after sensitive questions. On the phone each is its own prompt. Anything
but a question is a warning: its length comes mostly from wording every pack must have.
"""

from __future__ import annotations

from bot.content.easyread.findings import ERROR, WARNING, Located, Location, Problem
from bot.content.easyread.rules import budgets
from bot.content.easyread.sent import PackMessages
from bot.content.easyread.wordlists import Wordlists
from bot.content.packs.model import Pack
from bot.messages import Outbound


def check(pack: Pack, lists: Wordlists, sent: PackMessages) -> list[Located]:
    limits = lists.channels
    found: list[Located] = []

    def add(location: Location, place: str, problem: Problem | None) -> None:
        if problem is not None:
            found.append(Located(location, place, problem))

    for language in pack.languages:
        by_sms: list[tuple[Location, str, tuple[Outbound, ...], bool]] = [
            (
                ("intro", language),
                f"intro and consent ({language})",
                (sent.intro(language), sent.consent(language)),
                False,
            ),
            (("outro", language), f"outro ({language})", sent.closing(language), False),
        ]
        spoken: list[tuple[Location, str, Outbound, bool]] = [
            (("intro", language), f"intro ({language})", sent.intro(language), False),
            (("consent", language), f"consent ({language})", sent.consent(language), True),
            (("outro", language), f"outro ({language})", sent.outro(language), False),
        ]
        for index, question in enumerate(pack.questions):
            location: Location
            location, place, ask = (
                ("questions", index, "text", language),
                f"question '{question.id}' ({language})",
                sent.question(question, language),
            )
            by_sms.append((location, place, (ask,), True))
            spoken.append((location, place, ask, True))
        for location, place, messages, asking in by_sms:
            add(location, place, budgets.sms(messages, limits.sms_segments, ERROR if asking else WARNING))
        for location, place, message, asking in spoken:
            add(location, place, budgets.ivr(message, limits.ivr_words, ERROR if asking else WARNING))
        for q_index, question in enumerate(pack.questions):
            for c_index, choice in enumerate(question.choices):
                add(
                    ("questions", q_index, "choices", c_index, "label", language),
                    f"question '{question.id}' choice '{choice.value}' ({language})",
                    budgets.telegram_button(
                        choice.label[language], sent.symbols.emoji(choice.symbol), limits.telegram_label
                    ),
                )
    return found
