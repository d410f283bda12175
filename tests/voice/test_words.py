"""The phone line's own words: easy read, in English and Welsh, with the same blanks in both."""

from __future__ import annotations

import string

import pytest

from bot.content.easyread.check import check_text
from bot.content.easyread.findings import ERROR
from channels.twilio_voice.words import VoiceWords

WORDS = VoiceWords.shipped()
# Not sentences a caller hears: speech-recogniser hints.
NOT_SPOKEN = {"hint_commands"}
SAMPLES = {"hours": "Monday to Friday, 9am to 5pm", "label": "Good", "key": "1", "number": "1", "total": "4",
           "heard": "good", "site": "our site"}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(set(WORDS.texts) - NOT_SPOKEN))
def test_every_english_text_passes_the_easy_read_check(key: str) -> None:
    text = WORDS.get(key, "en", **SAMPLES)
    errors = [f for f in check_text(text, language="en", audience="parent_carer", channel_budgets=False)
              if f.severity == ERROR]
    assert errors == [], f"{key}: {[str(f) for f in errors]}"


@pytest.mark.parametrize("key", sorted(WORDS.texts))
def test_every_text_is_in_english_and_welsh_with_the_same_blanks(key: str) -> None:
    by_language = WORDS.texts[key]
    assert set(by_language) == {"en", "cy"}
    assert _fields(by_language["en"]) == _fields(by_language["cy"])


def test_the_welcome_says_it_is_a_computer_and_nothing_is_recorded() -> None:
    welcome = WORDS.get("welcome", "en")
    assert "computer" in welcome and "not a person" in welcome and "do not record" in welcome


def test_the_read_back_offers_exactly_one_and_two() -> None:
    heard = WORDS.get("heard", "en", heard="good")
    assert heard == "I heard, good. If that is right, press 1. If not, press 2."


def test_a_missing_translation_falls_back_to_english() -> None:
    assert WORDS.get("goodbye", "fr") == WORDS.get("goodbye", "en")
