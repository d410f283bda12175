"""How to answer, in each channel's words, from the one function both the engine and other parts use:
`SystemTexts.hint`. Numbers listed as people say them ("1, 2 or 3"), tap on the web and Telegram, never
send, type or tap on the phone, and the informal Welsh (ti) for children and young people."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.content.packs.library import SHIPPED_PROMPTS, SystemTexts
from bot.content.packs.texts import ChannelWords, shipped_channels

TEXTS = SystemTexts.load(SHIPPED_PROMPTS)
KINDS = ["choice", "yesno", "text", "number", "skip"]
ON_THE_PHONE = re.compile(r"\b(send|type|tap|anfonwch|teipiwch|tapiwch|teipia|tapia)\b", re.IGNORECASE)


@given(count=st.integers(min_value=1, max_value=40), language=st.sampled_from(["en", "cy", "pl"]))
def test_the_numbers_are_listed_as_people_say_them(count: int, language: str) -> None:
    keys = shipped_channels().keys(count, language)
    numbers = re.findall(r"\d+", keys)
    assert numbers == [str(n) for n in range(1, count + 1)]
    joiner = {"en": "or", "cy": "neu"}.get(language, "or")
    if count > 1:
        assert keys.endswith(f" {joiner} {count}") and keys.count(f" {joiner} ") == 1


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("kind", KINDS)
def test_each_channel_has_its_own_words(kind: str, language: str) -> None:
    web = TEXTS.hint(kind, language, "web", count=3, min=0, max=10)
    telegram = TEXTS.hint(kind, language, "telegram", count=3, min=0, max=10)
    sms = TEXTS.hint(kind, language, "sms", count=3, min=0, max=10)
    whatsapp = TEXTS.hint(kind, language, "whatsapp", count=3, min=0, max=10)
    voice = TEXTS.hint(kind, language, "voice", count=3, min=0, max=10)
    assert web == telegram and sms == whatsapp and len({web, sms, voice}) == 3
    assert not ON_THE_PHONE.search(voice), voice
    assert "{" not in web + sms + voice


def test_the_words_a_person_reads() -> None:
    assert TEXTS.hint("choice", "en", "web", count=3) == "Tap an answer or type it."
    assert TEXTS.hint("choice", "en", "sms", count=3) == "Reply 1, 2 or 3."
    assert TEXTS.hint("choice", "cy", "sms", count=4) == "Atebwch 1, 2, 3 neu 4."
    assert TEXTS.hint("yesno", "en", "sms") == "Reply YES or NO."
    assert TEXTS.hint("choice", "cy", "web", informal=True) == "Tapia ateb neu teipia fo."
    assert TEXTS.hint("choice", "cy", "sms", count=2, informal=True) == "Ateba 1 neu 2."
    assert TEXTS.hint("choice", "en", "sms", count=3, informal=True) == "Reply 1, 2 or 3.", "no informal English"


def test_a_channel_we_do_not_know_gets_numbered_words() -> None:
    assert TEXTS.hint("choice", "en", None, count=2) == "Reply 1 or 2."
    assert TEXTS.hint("choice", "en", "fax", count=2) == "Reply 1 or 2."


def test_a_deployment_can_change_one_channels_words_and_keep_the_rest(tmp_path) -> None:
    (tmp_path / "channels.yaml").write_text(
        "hints:\n  choice:\n    web:\n      en: Press a picture or write your answer.\n", encoding="utf-8"
    )
    words = ChannelWords.load(tmp_path)
    texts = SystemTexts.from_data(
        {"texts": {"x": {"en": "x"}}, "language_names": {"en": "English"},
         "commands": {c: {"en": [c.upper()]} for c in ("stop", "start", "start_if_not_asked", "help", "skip",
                                                         "back", "repeat", "restart", "menu", "forget", "language")},
         "switch_language": {}, "words": {}},
        channels=words,
    )
    assert texts.hint("choice", "en", "web", count=2) == "Press a picture or write your answer."
    assert texts.hint("choice", "en", "telegram", count=2) == "Tap an answer or type it."


def test_a_broken_channels_file_says_what_is_missing() -> None:
    with pytest.raises(ValueError) as error:
        ChannelWords.from_data({"families": {"web": "tap"}, "or_word": {"en": "or"}, "hints": {}, "privacy": {}})
    assert "hints: choice has no words for the tap family" in str(error.value)


def _channel_texts() -> list[tuple[str, str, str]]:
    words = shipped_channels()
    found: list[tuple[str, str, str]] = []
    for kind, by_channel in words.hints.items():
        for channel, by_language in by_channel.items():
            found.extend((f"hints {kind} {channel}", lang, text) for lang, text in by_language.items())
    for channel, by_language in words.privacy_words.items():
        found.extend((f"privacy {channel}", lang, text) for lang, text in by_language.items())
    for key, by_channel in words.texts.items():
        for channel, by_language in by_channel.items():
            found.extend((f"texts {key} {channel}", lang, text) for lang, text in by_language.items())
    return found


@pytest.mark.parametrize(("where", "language", "text"), _channel_texts(), ids=lambda v: str(v)[:40])
def test_every_channel_text_is_easy_read(where: str, language: str, text: str) -> None:
    from bot.content.easyread.check import check_text

    filled = text.format(keys="1, 2 or 3", min=0, max=10)
    # The words every channel says to everyone: held to the young people's limits, the strictest in use
    # for these system texts (packs for children have their own, shorter words).
    errors = [f for f in check_text(filled, language=language.split("_")[0], audience="young_person",
                                    allowed_caps=("SKIP", "SGIPIO", "YES", "NO", "IE", "NA", "MENU", "DEWISLEN",
                                                  "BACK", "NOL", "LANGUAGE", "IAITH", "FORGET", "ME", "ANGHOFIO",
                                                  "FI", "STOP", "STOPIO", "HELP", "HELPU"))
              if f.severity == "error"]
    assert not errors, f"{where} ({language}): {errors}"
