"""The words of "You said, we did" (`bot/loop/words.yaml`), in every language with an English fallback.

    words = loop_words()
    words.get("you_said", "cy", words="Roedd yr aros yn rhy hir.")
    words.everywhere("helpful_up")   # ["Yes", "Oedd"]: every way to say it, for reading answers
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from bot.content.packs.yamlfile import read_yaml

WORDS_FILE = Path(__file__).resolve().parent / "words.yaml"
FALLBACK = "en"


@dataclass(frozen=True)
class LoopWords:
    texts: Mapping[str, Mapping[str, str]]
    needs_review: tuple[str, ...] = ()

    @classmethod
    def from_data(cls, data: Any, source: str = "words.yaml") -> LoopWords:
        if not isinstance(data, dict) or not isinstance(data.get("texts"), dict):
            raise ValueError(f"{source}: should have a 'texts' mapping")
        problems: list[str] = []
        texts: dict[str, dict[str, str]] = {}
        for key, by_language in data["texts"].items():
            if not isinstance(by_language, dict) or not all(
                isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in by_language.items()
            ):
                problems.append(f"{key}: should map language codes to words")
                continue
            if FALLBACK not in by_language:
                problems.append(f"{key}: needs English ({FALLBACK})")
                continue
            fields = _fields(by_language[FALLBACK])
            for language, text in by_language.items():
                if _fields(text) != fields:
                    problems.append(f"{key}: the {language} words must use {sorted(fields)} like the English")
            texts[str(key)] = dict(by_language)
        if problems:
            raise ValueError(f"{source}: " + f"\n{source}: ".join(problems))
        return cls(texts, tuple(data.get("needs_review") or ()))

    def get(self, key: str, language: str | None, **values: Any) -> str:
        by_language = self.texts[key]
        template = by_language.get(language or FALLBACK) or by_language[FALLBACK]
        return template.format(**values)

    def language_of(self, key: str, language: str | None) -> str:
        """The language `get` answers in: `language` when the text has it, otherwise English."""
        return language if language and language in self.texts[key] else FALLBACK

    def everywhere(self, key: str) -> list[str]:
        return list(dict.fromkeys(self.texts[key].values()))

    @property
    def languages(self) -> list[str]:
        return list(dict.fromkeys(lang for by_language in self.texts.values() for lang in by_language))


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@cache
def loop_words() -> LoopWords:
    """The shipped words, read once."""
    return LoopWords.from_data(read_yaml(WORDS_FILE), str(WORDS_FILE))
