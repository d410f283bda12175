"""The bot's own words (`prompts/system.yaml`): replies, command words, yes/no words and number words,
and the words that change with the channel (`prompts/channels.yaml`): how to answer, what we keep.

A deployment's `system.yaml` and `channels.yaml` only need what they change: each is laid over the
shipped file. Every text has English, which is what a person sees when their language lacks a text.

    texts.hint("choice", "en", channel="sms", count=3)       -> "Reply 1, 2 or 3."
    texts.hint("choice", "cy", channel="web", informal=True) -> "Tapia ateb neu teipia fo."
    texts.get("menu_more", "en", channel="voice")            -> "… Say menu to hear them."
    texts.privacy("en", channel="sms")                       -> "We keep your number locked away, …"
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from bot.content.packs.folding import fold
from bot.content.packs.yamlfile import SHIPPED_PROMPTS, merged, read_yaml
from bot.content.words import FALLBACK_LANGUAGE, text_table

HINT_KINDS = ("choice", "yesno", "text", "number", "skip")
FAMILIES = ("tap", "sms", "voice")
DEFAULT_FAMILY = "sms"  # words for a channel we do not know: numbers shown, replies typed
INFORMAL = "_ti"  # "cy_ti": the informal Welsh of packs for children and young people
COMMANDS = ("stop", "start", "start_if_not_asked", "help", "skip", "back", "repeat", "restart", "menu",
            "forget", "language")


class _KeepMissing(dict[str, Any]):
    """Formatting values where a missing name stays visible as {name} instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True)
class ChannelWords:
    """`prompts/channels.yaml`: hints per channel family, the privacy sentence, texts worded per channel.

    Every table is keyed by a channel name ("sms", "web") or a family name ("tap", "sms", "voice"); a
    channel's own entry wins over its family's.
    """

    families: Mapping[str, str]  # channel -> family
    or_word: Mapping[str, str]  # language -> "or"
    hints: Mapping[str, Mapping[str, Mapping[str, str]]]  # kind -> channel or family -> language -> words
    privacy_words: Mapping[str, Mapping[str, str]]  # channel or family -> language -> words
    texts: Mapping[str, Mapping[str, Mapping[str, str]]]  # text name -> channel or family -> language -> words
    needs_review: tuple[str, ...] = ()

    @classmethod
    def load(cls, directory: Path) -> ChannelWords:
        shipped = SHIPPED_PROMPTS / "channels.yaml"
        data = read_yaml(shipped)
        local = Path(directory) / "channels.yaml"
        if local.exists() and local.resolve() != shipped:
            return cls.from_data(merged(data, read_yaml(local)), str(local))
        return cls.from_data(data, str(shipped))

    @classmethod
    def from_data(cls, data: Any, source: str = "channels.yaml") -> ChannelWords:
        problems: list[str] = []
        if not isinstance(data, dict):
            raise ValueError(f"{source}: should be a mapping with families, hints, privacy and texts")
        families = _string_map(data.get("families"), "families", problems)
        for channel, family in families.items():
            if family not in FAMILIES:
                problems.append(f"families: {channel} is in '{family}'; use one of {', '.join(FAMILIES)}")
        or_word = _string_map(data.get("or_word"), "or_word", problems)
        hints = _channel_table(data.get("hints"), "hints", problems)
        for kind in HINT_KINDS:
            for family in FAMILIES:
                if family not in hints.get(kind, {}):
                    problems.append(f"hints: {kind} has no words for the {family} family")
        privacy = _channel_table({"privacy": data.get("privacy")}, "", problems).get("privacy", {})
        if FAMILIES[1] not in privacy:
            problems.append("privacy: needs at least the sms family's sentence")
        texts = _channel_table(data.get("texts") or {}, "texts", problems)
        if problems:
            raise ValueError(f"{source}: " + f"\n{source}: ".join(problems))
        return cls(families, or_word, hints, privacy, texts, tuple(data.get("needs_review") or ()))

    def family(self, channel: str | None) -> str:
        return self.families.get(str(channel), DEFAULT_FAMILY) if channel else DEFAULT_FAMILY

    def _pick(
        self, table: Mapping[str, Mapping[str, str]], channel: str | None, language: str, informal: bool
    ) -> str | None:
        by_language = table.get(str(channel)) if channel else None
        by_language = by_language or table.get(self.family(channel))
        if by_language is None:
            return None
        if informal and by_language.get(language + INFORMAL):
            return by_language[language + INFORMAL]
        return by_language.get(language) or by_language.get(FALLBACK_LANGUAGE)

    def text(self, key: str, channel: str | None, language: str, informal: bool = False) -> str | None:
        """The channel's own wording of system text `key`, or None when it reads the same everywhere."""
        table = self.texts.get(key)
        if table is None or channel is None:
            return None
        return self._pick(table, channel, language, informal)

    def keys(self, count: int, language: str) -> str:
        """ "1, 2 or 3": the numbers of `count` choices, as a person would say them."""
        numbers = [str(n) for n in range(1, count + 1)]
        if len(numbers) <= 1:
            return "".join(numbers)
        joiner = self.or_word.get(language) or self.or_word.get(FALLBACK_LANGUAGE, "or")
        return f"{', '.join(numbers[:-1])} {joiner} {numbers[-1]}"


@cache
def shipped_channels() -> ChannelWords:
    """The shipped prompts/channels.yaml, read once."""
    return ChannelWords.load(SHIPPED_PROMPTS)


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
    channels: ChannelWords = field(default_factory=lambda: shipped_channels())

    @classmethod
    def load(cls, directory: Path) -> SystemTexts:
        shipped = SHIPPED_PROMPTS / "system.yaml"
        data = read_yaml(shipped)
        local = Path(directory) / "system.yaml"
        channels = ChannelWords.load(directory)
        if local.exists() and local.resolve() != shipped:
            data = merged(data, read_yaml(local))
            return cls.from_data(data, str(local), channels)
        return cls.from_data(data, str(shipped), channels)

    @classmethod
    def from_data(
        cls, data: Any, source: str = "system.yaml", channels: ChannelWords | None = None
    ) -> SystemTexts:
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
            channels=channels or shipped_channels(),
        )

    @property
    def languages(self) -> list[str]:
        return list(self.language_names)

    def has(self, key: str) -> bool:
        return key in self.texts

    def get(self, key: str, language: str | None, /, channel: str | None = None, **values: Any) -> str:
        """The text in `language`, or in English when it has no translation, with {names} filled in.

        With `channel`, the channel's own wording from channels.yaml when it has one ("Type MENU" on
        the web, "Say menu" on the phone).
        """
        lang = language or FALLBACK_LANGUAGE
        template = self.channels.text(key, channel, lang)
        if template is None:
            by_language = self.texts[key]
            template = by_language.get(lang) or by_language[FALLBACK_LANGUAGE]
        return template.format_map(_KeepMissing(values))

    def hint(
        self, kind: str, language: str | None, /, channel: str | None = None, *, count: int = 0,
        informal: bool = False, **values: Any,
    ) -> str:
        """How to answer a question of `kind` on `channel`: the one place every hint comes from.

        `kind` is choice (with `count` numbered answers), yesno, text, number (with `min` and `max`)
        or skip. `informal` picks the ti form of Welsh, for packs for children and young people.
        On the web and Telegram: "Tap an answer or type it."; by SMS: "Reply 1, 2 or 3." and, for a
        yes or no question shown without numbers, "Reply YES or NO."; on the phone nothing says send,
        type or tap.
        """
        lang = language or FALLBACK_LANGUAGE
        table = self.channels.hints.get(kind if kind in HINT_KINDS else "choice", {})
        template = self.channels._pick(table, channel, lang, informal) or ""
        return template.format_map(_KeepMissing({"keys": self.channels.keys(count, lang), **values}))

    def privacy(self, language: str | None, /, channel: str | None = None, *, informal: bool = False) -> str:
        """The one true sentence about what we keep, for `channel` (channels.yaml `privacy`); `informal`
        gives the ti form of Welsh, as a pack for children and young people speaks."""
        lang = language or FALLBACK_LANGUAGE
        return self.channels._pick(self.channels.privacy_words, channel, lang, informal) or ""

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


def _channel_table(raw: Any, where: str, problems: list[str]) -> dict[str, dict[str, dict[str, str]]]:
    """{name: {channel or family: {language: words}}}, checked to have English everywhere."""
    if not isinstance(raw, dict):
        problems.append(f"{where}: should map names to channels to languages")
        return {}
    table: dict[str, dict[str, dict[str, str]]] = {}
    for name, by_channel in raw.items():
        if not isinstance(by_channel, dict):
            problems.append(f"{where} {name}: should map channels or families to words")
            continue
        table[str(name)] = {}
        for channel, by_language in by_channel.items():
            if not isinstance(by_language, dict) or not all(isinstance(v, str) for v in by_language.values()):
                problems.append(f"{where} {name}: {channel} should map language codes to words")
                continue
            if FALLBACK_LANGUAGE not in by_language:
                problems.append(f"{where} {name}: {channel} has no English; every text needs 'en'")
                continue
            table[str(name)][str(channel)] = {str(lang): text for lang, text in by_language.items()}
    return table
