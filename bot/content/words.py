"""Words people read, kept as data: one loader for every table of texts in every language.

A table maps a text's name to its words in each language. English (`en`) is required and is the
fallback; a name in {braces} is filled in and must appear in every language of that text.

    words = loop_words()
    words.get("you_said", "cy", words="Roedd yr aros yn rhy hir.")
    words.everywhere("helpful_up")   # ["Yes", "Oedd"]: every way to say it, for reading answers

`prompts/system.yaml` (the bot's own replies, read by `SystemTexts`) and `prompts/loop.yaml` ("You said,
we did") are both read through `text_table`, so a translator meets one set of rules and one set of errors.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from bot.content.packs.yamlfile import SHIPPED_PROMPTS, read_yaml

FALLBACK_LANGUAGE = "en"
LOOP_WORDS_FILE = SHIPPED_PROMPTS / "loop.yaml"


def fields_of(template: str) -> set[str]:
    """The {names} a template fills in. Raises ValueError on a stray brace."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def text_table(raw: Any, problems: list[str]) -> dict[str, dict[str, str]]:
    """Read `{name: {language: words}}`, adding a readable line to `problems` for each mistake."""
    if not isinstance(raw, dict):
        problems.append("texts: missing; it maps each text name to its words in each language")
        return {}
    table: dict[str, dict[str, str]] = {}
    for key, by_language in raw.items():
        if not isinstance(by_language, dict) or not all(
            isinstance(v, str) and v.strip() for v in by_language.values()
        ):
            problems.append(f"texts: {key} should map language codes to words")
            continue
        if FALLBACK_LANGUAGE not in by_language:
            problems.append(f"texts: {key} has no English; every text needs 'en'")
            continue
        try:
            expected = fields_of(by_language[FALLBACK_LANGUAGE])
        except ValueError:
            problems.append(f"texts: {key} (en) has a stray {{ or }}; write names in braces like {{count}}")
            continue
        for language, template in by_language.items():
            try:
                found = fields_of(template)
            except ValueError:
                problems.append(f"texts: {key} ({language}) has a stray {{ or }}")
                continue
            if found != expected:
                problems.append(f"texts: {key} ({language}) uses {sorted(found)} but English uses {sorted(expected)}")
        table[str(key)] = {str(lang): text for lang, text in by_language.items()}
    return table


@dataclass(frozen=True)
class Words:
    texts: Mapping[str, Mapping[str, str]]
    needs_review: tuple[str, ...] = ()

    @classmethod
    def from_data(cls, data: Any, source: str = "words") -> Words:
        if not isinstance(data, dict):
            raise ValueError(f"{source}: should be a mapping with a 'texts' mapping")
        problems: list[str] = []
        texts = text_table(data.get("texts"), problems)
        if problems:
            raise ValueError(f"{source}: " + f"\n{source}: ".join(problems))
        return cls(texts, tuple(data.get("needs_review") or ()))

    def get(self, key: str, language: str | None, **values: Any) -> str:
        by_language = self.texts[key]
        template = by_language.get(language or FALLBACK_LANGUAGE) or by_language[FALLBACK_LANGUAGE]
        return template.format(**values)

    def language_of(self, key: str, language: str | None) -> str:
        """The language `get` answers in: `language` when the text has it, otherwise English."""
        return language if language and language in self.texts[key] else FALLBACK_LANGUAGE

    def everywhere(self, key: str) -> list[str]:
        return list(dict.fromkeys(self.texts[key].values()))

    @property
    def languages(self) -> list[str]:
        return list(dict.fromkeys(lang for by_language in self.texts.values() for lang in by_language))


@cache
def loop_words() -> Words:
    """The shipped "You said, we did" words (`prompts/loop.yaml`), read once by the wiring."""
    return Words.from_data(read_yaml(LOOP_WORDS_FILE), str(LOOP_WORDS_FILE))
