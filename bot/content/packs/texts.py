"""The bot's own words (`prompts/system.yaml`): replies, command words, yes/no words and number words.

A deployment's `system.yaml` only needs what it changes: it is laid over the shipped file. Every text
has English, which is what a person sees when their language lacks a text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.content.packs.folding import fold
from bot.content.packs.yamlfile import SHIPPED_PROMPTS, merged, read_yaml
from bot.content.words import FALLBACK_LANGUAGE, text_table

COMMANDS = ("stop", "start", "start_if_not_asked", "help", "skip", "back", "repeat", "restart", "menu",
            "forget", "language")


class _KeepMissing(dict[str, Any]):
    """Formatting values where a missing name stays visible as {name} instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True)
class SystemTexts:
    texts: Mapping[str, Mapping[str, str]]
    language_names: Mapping[str, str]
    needs_review: tuple[str, ...]
    commands: Mapping[str, str]  # folded phrase -> command name
    language_switches: Mapping[str, str]  # folded word -> language code
    yes_words: frozenset[str]  # folded
    no_words: frozenset[str]
    negations: frozenset[str]
    numbers: Mapping[str, int]  # folded number word -> its value

    @classmethod
    def load(cls, directory: Path) -> SystemTexts:
        shipped = SHIPPED_PROMPTS / "system.yaml"
        data = read_yaml(shipped)
        local = Path(directory) / "system.yaml"
        if local.exists() and local.resolve() != shipped:
            data = merged(data, read_yaml(local))
            return cls.from_data(data, str(local))
        return cls.from_data(data, str(shipped))

    @classmethod
    def from_data(cls, data: Any, source: str = "system.yaml") -> SystemTexts:
        problems: list[str] = []
        if not isinstance(data, dict):
            raise ValueError(f"{source}: should be a mapping with texts, commands and words")
        texts = text_table(data.get("texts"), problems)
        names = _string_map(data.get("language_names"), "language_names", problems)
        commands: dict[str, str] = {}
        for command, by_language in _word_table(data.get("commands"), "commands", problems).items():
            if command not in COMMANDS:
                problems.append(f"commands: '{command}' is not a command; use one of {', '.join(COMMANDS)}")
            for word in by_language:
                commands[fold(word)] = command
        missing = [c for c in COMMANDS if c not in set(commands.values())]
        if missing:
            problems.append(f"commands: no words for {', '.join(missing)}")
        switch_table = _word_table(data.get("switch_language"), "switch_language", problems)
        switches = {fold(word): language for language, words in switch_table.items() for word in words}
        words = _word_table(data.get("words"), "words", problems)
        numbers: dict[str, int] = {}
        for language, table in (data.get("numbers") or {}).items():
            if not isinstance(table, dict) or not all(isinstance(v, int) for v in table.values()):
                problems.append(f"numbers: {language} should map number words to whole numbers")
                continue
            numbers.update({fold(str(word)): value for word, value in table.items()})
        if problems:
            raise ValueError(f"{source}: " + f"\n{source}: ".join(problems))
        return cls(
            texts=texts,
            language_names=names,
            needs_review=tuple(data.get("needs_review") or ()),
            commands=commands,
            language_switches=switches,
            yes_words=frozenset(fold(w) for w in words.get("yes", ())),
            no_words=frozenset(fold(w) for w in words.get("no", ())),
            negations=frozenset(fold(w) for w in words.get("negations", ())),
            numbers=numbers,
        )

    @property
    def languages(self) -> list[str]:
        return list(self.language_names)

    def has(self, key: str) -> bool:
        return key in self.texts

    def get(self, key: str, language: str | None, **values: Any) -> str:
        """The text in `language`, or in English when it has no translation, with {names} filled in."""
        by_language = self.texts[key]
        template = by_language.get(language or FALLBACK_LANGUAGE) or by_language[FALLBACK_LANGUAGE]
        return template.format_map(_KeepMissing(values))

    def command(self, text: str) -> str | None:
        """The command a whole message asks for ("stop", "forget" …), or None."""
        return self.commands.get(fold(text))

    def language_switch(self, text: str) -> str | None:
        """The language a whole message switches to ("CYMRAEG" gives "cy"), or None."""
        return self.language_switches.get(fold(text))

    def language_name(self, code: str) -> str:
        return self.language_names.get(code, code)


def _string_map(raw: Any, where: str, problems: list[str]) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        problems.append(f"{where}: should map language codes to names")
        return {}
    return {str(k): v for k, v in raw.items()}


def _word_table(raw: Any, where: str, problems: list[str]) -> dict[str, list[str]]:
    """{name: {language: [words]}} or {name: [words]}, flattened to {name: [words in every language]}."""
    if not isinstance(raw, dict):
        problems.append(f"{where}: missing")
        return {}
    table: dict[str, list[str]] = {}
    for name, value in raw.items():
        lists = value.values() if isinstance(value, dict) else [value]
        words: list[str] = []
        for item in lists:
            if not isinstance(item, list):
                problems.append(f"{where}: {name} should list words")
                continue
            words.extend(str(word) for word in item)
        table[str(name)] = words
    return table
