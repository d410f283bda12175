"""Properties of detection over free text: it never fails, spelling games do not hide an urgent message,
surrounding words do not hide it, and a negation never silences it."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st
from safeguarding_kit import cases

from bot.safeguarding.finding import Level
from bot.safeguarding.loading import shipped_safeguarding
from bot.safeguarding.normalise import Spellings, clauses

DETECTOR = shipped_safeguarding().detector
URGENT = [m for m in cases()["urgent"] if m.isascii()]
HARMLESS = [m for m in cases()["none"] if m.strip()]
LEET = {"i": "1", "e": "3", "o": "0", "a": "4", "s": "5"}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gets_a_level_and_never_an_error(text: str) -> None:
    finding = DETECTOR.detect(text)
    assert finding.level in Level
    assert all(rule.split(".")[0] in {"en", "cy", "pl", "model"} for rule in finding.rules)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(URGENT), st.lists(st.sampled_from(HARMLESS), max_size=3),
       st.lists(st.sampled_from(HARMLESS), max_size=3))
def test_an_urgent_sentence_stays_urgent_among_harmless_ones(message: str, before: list[str], after: list[str]) -> None:
    text = ". ".join([*before, message, *after])
    assert DETECTOR.detect(text).level is Level.URGENT


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(URGENT), st.data())
def test_case_repeated_letters_and_leetspeak_do_not_hide_an_urgent_message(message: str, data: st.DataObject) -> None:
    words = message.split()
    index = data.draw(st.integers(0, len(words) - 1))
    word = words[index]
    letters = [i for i, ch in enumerate(word) if ch.isalpha()]
    if len(letters) >= 3:
        where = data.draw(st.sampled_from(letters))
        how = data.draw(st.sampled_from(["repeat", "leet", "upper"]))
        if how == "repeat":
            word = word[:where] + word[where] * data.draw(st.integers(3, 6)) + word[where + 1:]
        elif how == "leet" and word[where].lower() in LEET and 0 < where < len(word) - 1:
            word = word[:where] + LEET[word[where].lower()] + word[where + 1:]
        else:
            word = word.upper()
    words[index] = word
    assert DETECTOR.detect(" ".join(words)).level is Level.URGENT, " ".join(words)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(URGENT), st.sampled_from(["not", "never", "I would never", "I am not going to", "don't"]))
def test_a_negation_never_drops_an_urgent_message_to_nothing(message: str, negation: str) -> None:
    assert DETECTOR.detect(f"{negation} {message}").level is not Level.NONE


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["kill myself", "want to die", "suicide", "self harm", "end my life"]),
       st.sampled_from([" ", ".", "-", " . ", "*"]))
def test_letters_spaced_out_are_read_as_the_word(phrase: str, gap: str) -> None:
    spaced = " ".join(gap.join(word) for word in phrase.split())
    assert DETECTOR.detect(spaced).level is not Level.NONE, spaced


@given(st.text(alphabet=string.ascii_letters + " '.,!?0123456789@$", max_size=200))
def test_normalising_twice_changes_nothing(text: str) -> None:
    spellings = Spellings({"dont": "do not"})
    once = [" ".join(c.words) for c in clauses(text, spellings)]
    twice = [" ".join(c.words) for c in clauses(". ".join(once), spellings)]
    assert twice == once
