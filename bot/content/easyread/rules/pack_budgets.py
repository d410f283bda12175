"""The channel budgets (see `budgets`) applied to every message a pack sends, in every language, on
the channels the pack is offered on.

    question 'fft' (en): as an SMS it costs 2 segments, the most is 1 (170 characters in GSM-7)

By SMS the intro, the privacy sentence and the consent question go out together, as the engine sends
them (at most two segments), each question alone (one segment), and the outro with its line of help
after sensitive questions (a warning past two). On the phone each is its own prompt. A pack not
offered by SMS or WhatsApp is not priced as an SMS, one not on the phone line not counted as speech.
"""

from __future__ import annotations

from bot.content.easyread.findings import ERROR, WARNING, Located, Location, Problem
from bot.content.easyread.rules import budgets
from bot.content.easyread.sent import PackMessages
from bot.content.easyread.wordlists import Wordlists
from bot.content.packs.model import Pack, PackChannel
from bot.messages import Outbound

TEXT_CHANNELS = frozenset({PackChannel.SMS, PackChannel.WHATSAPP})


def check(pack: Pack, lists: Wordlists, sent: PackMessages) -> list[Located]:
    limits = lists.channels
    channels = set(pack.channels)
    by_text, by_voice, by_telegram = bool(channels & TEXT_CHANNELS), PackChannel.VOICE in channels, (
        PackChannel.TELEGRAM in channels
    )
    found: list[Located] = []

    def add(location: Location, place: str, problem: Problem | None) -> None:
        if problem is not None:
            found.append(Located(location, place, problem))

    for language in pack.languages:
        by_sms: list[tuple[Location, str, tuple[Outbound, ...], int, bool]] = [
            (
                ("intro", language),
                f"intro and consent ({language})",
                (sent.intro(language), sent.consent(language)),
                limits.sms_opening_segments,
                True,
            ),
            (("outro", language), f"outro ({language})", sent.closing(language), limits.sms_closing_segments, False),
        ]
        spoken: list[tuple[Location, str, Outbound, bool]] = [
            (("intro", language), f"intro ({language})", sent.intro(language, "voice"), False),
            (("consent", language), f"consent ({language})", sent.consent(language, "voice"), True),
            (("outro", language), f"outro ({language})", sent.outro(language), False),
        ]
        for index, question in enumerate(pack.questions):
            location: Location = ("questions", index, "text", language)
            place = f"question '{question.id}' ({language})"
            by_sms.append((location, place, (sent.question(question, language),), limits.sms_segments, True))
            spoken.append((location, place, sent.question(question, language, "voice"), True))
        if by_text:
            for location, place, messages, most, asking in by_sms:
                add(location, place, budgets.sms(messages, most, ERROR if asking else WARNING))
        if by_voice:
            for location, place, message, asking in spoken:
                add(location, place, budgets.ivr(message, limits.ivr_words, ERROR if asking else WARNING))
        if not by_telegram:
            continue
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
