"""SMS cost by GSM 03.38: encodings, segment sizes, and the plain GSM-7 variant."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from channels.segments import GSM7_BASIC, GSM7_EXTENSION, sms_cost, to_gsm7

BASIC = sorted(GSM7_BASIC - {"\x1b"})  # the escape code is not a character anyone types
EXTENSION = sorted(GSM7_EXTENSION)


@pytest.mark.parametrize(
    ("text", "encoding", "segments", "characters"),
    [
        ("", "GSM-7", 0, 0),
        ("How was your visit?", "GSM-7", 1, 19),
        ("a" * 160, "GSM-7", 1, 160),
        ("a" * 161, "GSM-7", 2, 161),
        ("a" * 306, "GSM-7", 2, 306),
        ("a" * 307, "GSM-7", 3, 307),
        ("€" * 80, "GSM-7", 1, 160),  # extension characters cost two
        ("€" * 81, "GSM-7", 2, 162),
        ("é" * 160, "GSM-7", 1, 160),  # é is in the basic table
        ("ç", "UCS-2", 1, 1),  # only the capital Ç is
        ("b" * 70 + "ŵ", "UCS-2", 2, 71),
        ("b" * 69 + "ŵ", "UCS-2", 1, 70),
        ("😀" * 35, "UCS-2", 1, 70),  # an emoji is two UTF-16 code units
        ("😀" * 36, "UCS-2", 2, 72),
        ("b" * 133 + "’", "UCS-2", 2, 134),
        ("b" * 134 + "’", "UCS-2", 3, 135),
    ],
)
def test_costs_follow_the_spec_numbers(text, encoding, segments, characters):
    cost = sms_cost(text)
    assert (cost.encoding, cost.segments, cost.characters) == (encoding, segments, characters)


def test_names_the_characters_that_force_ucs2_once_each_in_order():
    cost = sms_cost("Good 😀 “yes” 😀 Ŵ 👍🏽")
    assert cost.ucs2_characters == ["😀", "“", "”", "Ŵ", "👍🏽"]
    assert sms_cost("Plain [text] with €").ucs2_characters == []


def test_an_escape_pair_is_not_split_across_segments():
    # 152 plain characters then "€": the escape and its character cannot straddle the 153 boundary.
    cost = sms_cost("a" * 152 + "€" + "a" * 10)
    assert cost.characters == 164
    assert cost.segments == 2
    assert sms_cost("a" * 152 + "€" + "a" * 152).segments == 3


def test_a_surrogate_pair_is_not_split_across_segments():
    assert sms_cost("ŵ" * 66 + "😀" + "ŵ" * 3).segments == 2
    assert sms_cost("ŵ" * 66 + "😀" + "ŵ" * 66).segments == 3


@given(st.text(alphabet=BASIC, min_size=1, max_size=700))
def test_plain_gsm7_text_costs_one_segment_per_153_after_160(text):
    cost = sms_cost(text)
    assert cost.encoding == "GSM-7"
    expected = 1 if len(text) <= 160 else math.ceil(len(text) / 153)
    assert cost.segments == expected


@given(st.text(max_size=400), st.text(min_size=1, max_size=20))
def test_segments_never_shrink_when_text_grows(text, more):
    assert sms_cost(text + more).segments >= sms_cost(text).segments


@given(st.text(alphabet=BASIC + EXTENSION, max_size=300), st.sampled_from(["😀", "👍🏽", "🙁", "⭐"]))
def test_any_emoji_forces_ucs2(text, emoji):
    cost = sms_cost(text + emoji)
    assert cost.encoding == "UCS-2"
    assert emoji in cost.ucs2_characters


@given(st.text(max_size=500))
def test_cost_is_never_less_than_the_simple_division(text):
    cost = sms_cost(text)
    single, per = (160, 153) if cost.encoding == "GSM-7" else (70, 67)
    if cost.characters <= single:
        assert cost.segments == (1 if text else 0)
    else:
        assert cost.segments >= math.ceil(cost.characters / per)


def test_to_gsm7_makes_typography_plain_and_drops_emoji():
    assert to_gsm7("“Good” – it’s fine… 😀") == '"Good" - it\'s fine...'
    assert to_gsm7("1️⃣ Good 👍🏽\n2 OK") == "1 Good\n2 OK"
    assert to_gsm7("Sut mae’r gwasanaeth? ŵ") == "Sut mae'r gwasanaeth? w"


def test_to_gsm7_uses_words_given_for_emoji():
    assert to_gsm7("Good 😀", {"😀": "(happy)"}) == "Good (happy)"
    # Skin tones and variation selectors do not stop the word matching.
    assert to_gsm7("👍🏽 ✅️", {"👍": "yes", "✅": "tick"}) == "yes tick"


def test_to_gsm7_keeps_letters_that_have_no_gsm7_form():
    assert to_gsm7("Dziękuję ł") == "Dziekuje ł"
    assert sms_cost(to_gsm7("Dziękuję ł")).encoding == "UCS-2"


@given(st.text(max_size=300))
def test_to_gsm7_is_stable(text):
    plain = to_gsm7(text)
    assert to_gsm7(plain) == plain


WRITTEN = "".join(BASIC) + "àâäçéèêëîïôöùûüÿŵŷÂÊÎÔÛŴŶ‘’“”–—…😀👍🏽⭐✅️🙏"


@given(st.text(alphabet=WRITTEN, max_size=300))
def test_latin_text_with_accents_typography_and_emoji_becomes_gsm7(text):
    assert sms_cost(to_gsm7(text)).encoding == "GSM-7"


# Every SMS reply is rendered and priced through caches and a shortcut for text that is GSM-7 already; the
# answers must be the ones the grapheme-by-grapheme reading gives, for any text.
@given(st.lists(st.sampled_from([*sorted(GSM7_BASIC | GSM7_EXTENSION), "  ", "😊", "’", "ŵ", "\r\n"])).map("".join))
def test_the_cached_answers_are_the_full_reading(text):
    from channels.segments import _to_gsm7, _ucs2_characters

    assert to_gsm7(text) == _to_gsm7(text, {})
    assert to_gsm7(text) == to_gsm7(text)  # the second answer comes from the cache
    cost = sms_cost(text)
    assert cost.ucs2_characters == _ucs2_characters(text)
    cost.ucs2_characters.append("x")  # a caller changing its copy changes nobody else's
    assert sms_cost(text).ucs2_characters == _ucs2_characters(text)
