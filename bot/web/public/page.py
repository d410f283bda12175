"""What the public page shows for each published action, in one language: easy-read words, its symbol,
its date, its themes, and how many people raised it, with small numbers suppressed.

Nothing here can point at a person: the only figure is a count of people, and a count below the
small-number threshold is shown as "Fewer than 5 people told us this" (the threshold is a setting).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.content.packs.library import Symbols
from bot.content.words import Words as LoopWords
from storage.loop.records import Action


@dataclass(frozen=True, slots=True)
class Shown:
    """Words and the language they are in (an action may lack the reader's language)."""

    text: str
    lang: str


@dataclass(frozen=True, slots=True)
class PublicAction:
    id: int
    emoji: str
    symbol_label: str  # what the symbol shows, for screen readers
    you_said: Shown
    we_did: Shown
    status: Shown
    status_name: str  # done | in_progress | planned | not_possible, for styling
    date: Shown
    people: Shown | None  # None when nobody was counted
    themes: tuple[tuple[int, str], ...]


def date_words(day: date, language: str, words: LoopWords) -> str:
    months = words.get("page_months", language).split(",")
    return f"{day.day} {months[day.month - 1]} {day.year}"


def people_words(raised_by: int | None, threshold: int, language: str, words: LoopWords) -> Shown | None:
    if not raised_by:
        return None
    if raised_by < threshold:
        key, count = "page_few_people", f"{threshold}"
    else:
        key, count = "page_people", f"{raised_by:,}"
    return Shown(words.get(key, language, count=count), words.language_of(key, language))


def public_action(action: Action, language: str, *, words: LoopWords, symbols: Symbols, threshold: int) -> PublicAction:
    lang = language if language in action.languages else (action.languages or ["en"])[0]
    status_key = f"page_status_{action.status}"
    symbol = symbols.get(action.symbol)
    return PublicAction(
        id=action.id,
        emoji=symbol.emoji if symbol else "",
        symbol_label=action.symbol.replace("_", " "),
        you_said=Shown(action.you_said[lang], lang),
        we_did=Shown(action.we_did[lang], lang),
        status=Shown(words.get(status_key, language), words.language_of(status_key, language)),
        status_name=action.status,
        date=Shown(
            words.get("page_date", language, date=date_words(action.happened_on, language, words)),
            words.language_of("page_months", language),
        ),
        people=people_words(action.raised_by, threshold, language, words),
        themes=action.themes,
    )


def public_actions(
    actions: Sequence[Action], language: str, *, words: LoopWords, symbols: Symbols, threshold: int
) -> list[PublicAction]:
    return [public_action(a, language, words=words, symbols=symbols, threshold=threshold) for a in actions]
