"""The bot's own words and symbols: complete, in easy read, and checked when loaded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.content.packs.library import SHIPPED_PROMPTS, PackLibrary, Symbols, SystemTexts
from bot.content.packs.yamlfile import read_yaml

ENGINE = Path(__file__).parents[2] / "bot" / "engine"
_KEY_USE = re.compile(r"""(?:\bsay|\bwords|texts\.get)\(\s*f?["']([a-z_]+)(?:\{[^}]*\})?["']""")


def _engine_keys() -> set[str]:
    keys: set[str] = set()
    for source in ENGINE.glob("*.py"):
        keys.update(_KEY_USE.findall(source.read_text(encoding="utf-8")))
    # Keys built from parts in the code.
    keys.discard("day_")
    keys.discard("label_")
    keys.update({f"day_{n}" for n in range(7)} | {"label_yes", "label_no"})
    return keys


def test_every_text_the_engine_uses_exists_in_english_and_welsh(texts: SystemTexts) -> None:
    used = _engine_keys()
    assert len(used) > 40
    for key in sorted(used):
        assert texts.has(key), f"prompts/system.yaml has no text '{key}'"
        assert set(texts.texts[key]) >= {"en", "cy"}, f"'{key}' needs English and Welsh"
    assert "cy" in texts.needs_review


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+", text.strip()) if s]


def test_english_texts_are_easy_read(texts: SystemTexts) -> None:
    for key, by_language in texts.texts.items():
        english = by_language["en"]
        for sentence in _sentences(english):
            words = [w for w in sentence.split() if any(ch.isalnum() for ch in w)]
            assert len(words) <= 15, f"{key}: {len(words)} words in {sentence!r}"
        for mark in ("&", "/", "%", ";", "(", ")", "'", "’"):
            assert mark not in english, f"{key}: {mark!r} in {english!r}"


def test_commands_and_words_are_all_there(texts: SystemTexts) -> None:
    for word, command in [("stop", "stop"), ("stop all", "stop"), ("optout", "stop"), ("unstop", "start"),
                          ("yes", "start_if_not_asked"), ("forget me", "forget"), ("yn ol", "back"),
                          ("iaith", "language"), ("dewislen", "menu")]:
        assert texts.command(word) == command
    assert texts.command("please stop") is None
    assert texts.language_switch("Cymraeg") == "cy" and texts.language_switch("SAESNEG") == "en"
    assert {"yes", "yeah", "ie", "👍"} <= texts.yes_words and {"no", "nope", "naddo", "👎"} <= texts.no_words
    assert texts.numbers["dau"] == 2 and texts.numbers["two"] == 2


def test_get_fills_in_values_and_falls_back_to_english(texts: SystemTexts) -> None:
    assert texts.get("text_long", "en", limit=20) == "Your answer was very long. We kept the first 20 letters."
    assert texts.get("text_long", "fr", limit=20) == "Your answer was very long. We kept the first 20 letters."
    welsh = "Roedd eich ateb yn hir iawn. Rydym wedi cadw'r 20 llythyren gyntaf."
    assert texts.get("text_long", "cy", limit=20) == welsh
    assert texts.get("text_long", "en") == "Your answer was very long. We kept the first {limit} letters."
    with pytest.raises(KeyError):
        texts.get("no_such_text", "en")


def _base() -> dict[str, object]:
    data = read_yaml(SHIPPED_PROMPTS / "system.yaml")
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda d: d["texts"].update(extra={"cy": "Dim Saesneg"}), "extra has no English"),
        (lambda d: d["texts"].update(extra={"en": "Hi {name}", "cy": "Helo {enw}"}), "extra (cy) uses ['enw']"),
        (lambda d: d["texts"].update(extra={"en": "Hi {"}), "stray"),
        (lambda d: d["commands"].update(dance={"en": ["DANCE"]}), "'dance' is not a command"),
        (lambda d: d["commands"].pop("stop"), "no words for stop"),
        (lambda d: d.update(numbers={"en": {"one": "1"}}), "whole numbers"),
    ],
)
def test_broken_system_texts_are_reported(change: object, says: str) -> None:
    data = _base()
    change(data)  # type: ignore[operator]
    with pytest.raises(ValueError, match=re.escape(says)):
        SystemTexts.from_data(data)


def test_a_deployment_changes_only_what_it_names(tmp_path: Path) -> None:
    (tmp_path / "system.yaml").write_text("texts:\n  welcome: {en: Hi from the Bay team.}\n", encoding="utf-8")
    texts = SystemTexts.load(tmp_path)
    assert texts.get("welcome", "en") == "Hi from the Bay team."
    assert texts.get("welcome", "cy").startswith("Helo"), "the Welsh it did not change stays"
    assert texts.command("STOP") == "stop"


def _codepoints(emoji: str) -> str:
    return "-".join(f"{ord(ch):X}" for ch in emoji if ch != "\ufe0f")


def test_every_symbol_has_an_emoji_matching_its_openmoji_code(symbols: Symbols) -> None:
    for name in symbols.names():
        symbol = symbols.get(name)
        assert symbol is not None
        assert _codepoints(symbol.emoji) == symbol.openmoji, f"{name}: {symbol.emoji} is not {symbol.openmoji}"
    assert symbols.emoji("nothing_like_this") == ""
    assert symbols.by_emoji("👍🏽") == "thumbs_up"


def test_every_symbol_in_use_exists(symbols: Symbols, library: PackLibrary) -> None:
    needed = {"happy", "unsure", "unhappy", "yes", "no", "skip", "star", "message", "phone", "question", "help",
              "stop", "language", "thumbs_up", "thumbs_down"}
    for source in ENGINE.glob("*.py"):
        needed.update(re.findall(r"""(?:say\([^)]*?|Say\([^)]*?)["']([a-z_]+)["']\s*\)""", source.read_text()))
        needed.update(re.findall(r"""symbol=["']([a-z_]+)["']""", source.read_text()))
        needed.update(re.findall(r"""emoji\(["']([a-z_]+)["']\)""", source.read_text()))
    for pack in library.all():
        needed.add(pack.symbol)
        for question in pack.questions:
            needed.add(question.symbol)
            needed.update(c.symbol for c in question.choices)
    missing = sorted(name for name in needed if symbols.get(name) is None)
    assert not missing, f"symbols.yaml lacks {missing}"


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"Happy": {"emoji": "😀", "openmoji": "1F600"}}, "not a symbol name"),
        ({"happy": {"openmoji": "1F600"}}, "needs an emoji"),
        ({"happy": {"emoji": "😀", "openmoji": "smile"}}, "should be a code like 1F600"),
        ({"happy": {"emoji": "😀", "openmoji": "1F600", "colour": "red"}}, "unknown keys colour"),
    ],
)
def test_broken_symbols_are_reported(data: dict[str, object], says: str) -> None:
    with pytest.raises(ValueError, match=says):
        Symbols.from_data(data)
