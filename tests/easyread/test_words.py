"""How text is split into sentences and words, which every length rule counts on."""

from __future__ import annotations

import regex
from hypothesis import given
from hypothesis import strategies as st

from bot.content.easyread.words import is_all_caps, sentences, word_count, words


def test_sentences_end_at_full_stops_question_marks_and_line_breaks():
    assert sentences("How was it? Tell us.\nThank you") == ["How was it?", "Tell us.", "Thank you"]
    assert sentences('He said "yes." Then he left.') == ['He said "yes."', "Then he left."]


def test_words_keep_apostrophes_and_hyphens_and_skip_emoji_and_numbers_punctuation():
    assert [w.text for w in words("We'll e-mail you at 10. 😀 Don’t worry!")] == [
        "We'll",
        "e-mail",
        "you",
        "at",
        "10",
        "Don’t",
        "worry",
    ]
    assert word_count("😀 ⭐ ... !!") == 0


def test_a_web_address_is_not_words():
    assert word_count("See https://example.org/a-long/path?x=1 now") == 2


def test_sentence_starts_are_known_so_capitals_mid_sentence_can_be_names():
    flags = [(w.text, w.sentence_start) for w in words("We met Sam. Then we left.")]
    assert flags == [("We", True), ("met", False), ("Sam", False), ("Then", True), ("we", False), ("left", False)]


def test_all_caps_needs_two_capital_letters():
    assert is_all_caps("NHS") and is_all_caps("I'M")
    assert not is_all_caps("I") and not is_all_caps("Nhs") and not is_all_caps("42")


@given(st.text(max_size=300))
def test_every_word_is_found_where_it_says_it_is(text):
    for word in words(text):
        assert text[word.start : word.start + len(word.text)] == word.text
        assert regex.search(r"[\p{L}\p{N}]", word.text)


@given(st.text(max_size=300))
def test_sentences_lose_no_words(text):
    assert sum(word_count(s) for s in sentences(text)) == word_count(text)
