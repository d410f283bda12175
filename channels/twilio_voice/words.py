"""The phone line's own words (`words.yaml` beside this file) and how spoken answers are compared.

    words = VoiceWords.shipped()
    words.get("choice_key", "en", label="Good", key="1")   -> "For Good, press 1."
    words.means("confirm_yes", "That's right.")              -> True
    words.means("confirm_yes", "Right, but no")              -> False (the whole of it must be a phrase)
    words.mentions_stop("Please, no more calls")             -> True

Spoken answers arrive as a speech-to-text transcript ("Yes.", "That's right!"), so they are compared in
a plain form: lower case, accents and punctuation gone, apostrophes dropped ("that's" is "thats").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

WORDS_FILE = Path(__file__).with_name("words.yaml")
FALLBACK = "en"
_APOSTROPHES = re.compile(r"['’‘`]")
_NOT_WORD = re.compile(r"[^\w]+")


def plain(text: str) -> str:
    """The comparison form of something said: "That's right!" gives "thats right"."""
    bare = _bare(_bare(text).casefold())  # again: case folding can leave accents ("İ" gives "i̇")
    bare = _APOSTROPHES.sub("", bare)
    return " ".join(_NOT_WORD.sub(" ", bare).replace("_", " ").split())


def _bare(text: str) -> str:
    """Compatibility forms spelled out ("㎒" is "MHz") and accents gone ("â" is "a")."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


class _KeepMissing(dict[str, Any]):
    # A text whose translation lacks a {field} still reads; the field name shows instead of failing.
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True)
class VoiceWords:
    texts: Mapping[str, Mapping[str, str]]  # key -> language -> words
    phrases: Mapping[str, frozenset[str]]  # list name -> plain phrases, every language together

    @classmethod
    def shipped(cls) -> VoiceWords:
        return _shipped()

    @classmethod
    def from_data(cls, data: Any) -> VoiceWords:
        if not isinstance(data, dict) or not isinstance(data.get("texts"), dict):
            raise ValueError(f"{WORDS_FILE.name}: needs a 'texts' mapping")
        texts: dict[str, dict[str, str]] = {}
        for key, by_language in data["texts"].items():
            if not isinstance(by_language, dict) or not isinstance(by_language.get(FALLBACK), str):
                raise ValueError(f"{WORDS_FILE.name}: text '{key}' needs English words ({FALLBACK})")
            texts[str(key)] = {str(lang): str(words) for lang, words in by_language.items()}
        phrases: dict[str, frozenset[str]] = {}
        for name, by_language in (data.get("words") or {}).items():
            if not isinstance(by_language, dict):
                raise ValueError(f"{WORDS_FILE.name}: word list '{name}' should map languages to lists")
            phrases[str(name)] = frozenset(
                plain(str(phrase)) for words in by_language.values() for phrase in (words or [])
            )
        return cls(texts, phrases)

    @property
    def languages(self) -> list[str]:
        return sorted({lang for by_language in self.texts.values() for lang in by_language})

    def get(self, name: str, language: str | None, /, **values: Any) -> str:
        by_language = self.texts[name]
        template = by_language.get(language or FALLBACK) or by_language[FALLBACK]
        return template.format_map(_KeepMissing(values))

    def means(self, name: str, said: str) -> bool:
        """Whether the whole of `said` is one of the phrases in word list `name`."""
        return plain(said) in self.phrases.get(name, frozenset())

    def mentions_stop(self, said: str) -> bool:
        """A stop-like phrase anywhere in what was said, on word boundaries ("stop calling me please")."""
        padded = f" {plain(said)} "
        return any(f" {phrase} " in padded for phrase in self.phrases.get("stop_phrases", ()))


@cache
def _shipped() -> VoiceWords:
    return VoiceWords.from_data(YAML(typ="safe", pure=True).load(WORDS_FILE.read_text(encoding="utf-8")))
