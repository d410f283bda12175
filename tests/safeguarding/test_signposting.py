"""The signposting list: who sees which signpost, when, and words that pass the easy-read check."""

from __future__ import annotations

import pytest

from bot.content.easyread.check import check_text
from bot.safeguarding.loading import shipped_safeguarding
from bot.safeguarding.signposting import Signposting

SHIPPED = shipped_safeguarding().signposting
KEYWORDS = ["SHOUT", "CALL", "ME", "NO", "FFONIWCH", "FI", "NA"]


def _numbers(chosen: list[str]) -> list[str]:
    found = []
    for words in chosen:
        for number in ("999", "116 123", "85258", "0800 1111"):
            if number in words:
                found.append(number)
    return found


@pytest.mark.parametrize(
    ("level", "audience", "expected"),
    [
        ("urgent", "child", ["999", "116 123", "85258", "0800 1111"]),
        ("urgent", "young_person", ["999", "116 123", "85258", "0800 1111"]),
        ("urgent", None, ["999", "116 123", "85258", "0800 1111"]),
        ("urgent", "parent_carer", ["999", "116 123", "85258"]),
        ("concern", "parent_carer", ["999", "116 123", "85258"]),
        ("aftercare", "child", ["116 123", "85258", "0800 1111"]),
    ],
)
def test_the_shipped_signposts_by_level_and_audience(level: str, audience: str | None, expected: list[str]) -> None:
    chosen = SHIPPED.choose(level, audience=audience, open_now=True, language="en")
    assert _numbers(chosen) == expected
    assert chosen[0].startswith("If you or someone else is in danger now") == (level != "aftercare")


def test_the_duty_line_waits_for_a_number_and_for_office_hours() -> None:
    assert not any("duty team" in w for w in SHIPPED.choose("urgent", audience=None, open_now=True, language="en"))
    data = {
        "signposts": [
            {"id": "duty", "when": "office_hours", "number": "0300 123 4567", "text": {"en": "Call {number}."}},
            {"id": "night", "when": "out_of_hours", "text": {"en": "Text us."}},
        ],
        "texts": SHIPPED.texts,
    }
    ours = Signposting.from_data(data, "test")
    assert ours.choose("urgent", audience=None, open_now=True, language="en") == ["Call 0300 123 4567."]
    assert ours.choose("urgent", audience=None, open_now=False, language="en") == ["Text us."]


def test_welsh_words_and_english_when_a_translation_is_missing() -> None:
    welsh = SHIPPED.choose("urgent", audience="child", open_now=True, language="cy")
    assert welsh[0].startswith("Os ydych chi neu rywun arall mewn perygl nawr")
    assert SHIPPED.choose("urgent", audience="child", open_now=True, language="fr")[0].startswith("If you")


@pytest.mark.parametrize(("text", "word"), [("CALL ME", "callback"), ("call me back", "callback"),
                                            ("Ffoniwch fi", "callback"), ("SUPPORT", "support"),
                                            ("help me!", "support"), ("call me on Tuesday please", None)])
def test_whole_message_words(text: str, word: str | None) -> None:
    assert SHIPPED.word(text) == word


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"signposts": []}, "at least the emergency number"),
        ({"signposts": [{"id": "x", "for": ["adults"], "text": {"en": "Hi."}}]}, "'for' takes"),
        ({"signposts": [{"id": "x", "when": "weekends", "text": {"en": "Hi."}}]}, "'when' is one of"),
        ({"signposts": [{"id": "x", "text": {"en": "Call {number}."}}]}, "give a number"),
        ({"signposts": [{"id": "x", "text": {"cy": "Helo."}}]}, "English words"),
        ({"signposts": [{"id": "x", "text": {"en": "Hi."}}], "texts": {}}, "texts need English words"),
    ],
)
def test_a_mistake_in_the_signposting_file_is_reported(data: dict[str, object], says: str) -> None:
    with pytest.raises(ValueError, match=r"signposting\.yaml") as raised:
        Signposting.from_data(data, "signposting.yaml")
    assert says in str(raised.value)


def _every_text() -> list[tuple[str, str, str]]:
    out = [(key, lang, text.replace("{when}", "tomorrow morning")) for key, by in SHIPPED.texts.items()
           for lang, text in by.items()]
    out += [(s.id, lang, s.words(lang)) for s in SHIPPED.signposts for lang in s.text if s.number != ""]
    return out


@pytest.mark.parametrize(
    ("key", "language", "text"), _every_text(), ids=[f"{k}-{lang}" for k, lang, _ in _every_text()]
)
def test_every_text_passes_the_easy_read_check(key: str, language: str, text: str) -> None:
    errors = [f for f in check_text(text, language=language, audience="young_person", allowed_caps=KEYWORDS)
              if f.severity == "error"]
    assert errors == []
