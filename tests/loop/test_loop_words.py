"""The loop's own words (prompts/loop.yaml) pass the easy-read check, in every language they are written in."""

from __future__ import annotations

import pytest

from bot.content.easyread.check import check_text
from bot.content.easyread.findings import ERROR
from bot.content.words import Words as LoopWords
from bot.content.words import loop_words

SAMPLES = {"words": "The wait was too long.", "keyword": "WAITING", "count": "6", "date": "2 November 2026"}
NOT_SENTENCES = {"page_months"}  # a list of month names, shown one at a time


@pytest.mark.parametrize("key", sorted(set(loop_words().texts) - NOT_SENTENCES))
def test_every_text_is_easy_read_for_children(key):
    words = loop_words()
    for language in words.texts[key]:
        text = words.get(key, language, **SAMPLES)
        errors = [f for f in check_text(text, language=language, audience="child", allowed_caps={"WAITING", "YES",
                                                                                                 "NO", "IE", "NA"})
                  if f.severity == ERROR]
        assert not errors, f"{key} ({language}): {[f.message for f in errors]}"


def test_a_missing_translation_falls_back_to_english_and_says_so():
    words = LoopWords.from_data({"texts": {"hello": {"en": "Hello {name}."}}})
    assert words.get("hello", "cy", name="Sam") == "Hello Sam."
    assert words.language_of("hello", "cy") == "en"


@pytest.mark.parametrize(
    "bad",
    [{"texts": {"x": {"cy": "Helo"}}}, {"texts": {"x": {"en": "Hi {name}", "cy": "Helo"}}}, {"texts": []}],
)
def test_broken_word_files_are_refused_with_the_reason(bad):
    with pytest.raises(ValueError):
        LoopWords.from_data(bad)
