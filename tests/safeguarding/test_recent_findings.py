"""A short message's finding is remembered (bot/safeguarding/recent.py): it must be the detector's own finding,
every time, for any text, and the served app must read risk through it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.app.prompts import load_prompts
from bot.content.packs.yamlfile import SHIPPED_PROMPTS
from bot.safeguarding.finding import Level
from bot.safeguarding.loading import shipped_safeguarding
from bot.safeguarding.recent import SHORT, RecentFindings

DETECTOR = shipped_safeguarding().detector
REMEMBERING = RecentFindings(DETECTOR)
WORDS = ["i", "want", "to", "die", "kill", "myself", "not", "never", "yes", "2", "fine", "the", "wait", "overdose",
         "hurt", "me", "he", "hits", "😊", ",", "."]


@settings(max_examples=300)
@given(st.lists(st.sampled_from(WORDS), max_size=14).map(" ".join))
def test_a_remembered_finding_is_the_detectors_own(text: str) -> None:
    assert REMEMBERING.detect(text) == DETECTOR.detect(text)
    assert REMEMBERING.detect(text) == DETECTOR.detect(text), "and the second time, from memory"


def test_risk_said_again_is_found_again() -> None:
    for _ in range(3):
        assert REMEMBERING.detect("i want to die").level is Level.URGENT
    long = "i am fine thanks, " * 5 + "but i want to die"
    assert len(long) > SHORT
    assert REMEMBERING.detect(long).level is Level.URGENT


def test_the_app_reads_risk_through_it_and_keeps_the_detectors_other_parts() -> None:
    detector = load_prompts(SHIPPED_PROMPTS).safeguarding.detector
    assert isinstance(detector, RecentFindings)
    assert detector.rule_ids() == DETECTOR.rule_ids()


# A phone number as people type one: digits, maybe spaced, dashed or bracketed, with words around it.
PHONE_NUMBERS = st.builds(
    lambda before, digits, separator, after: f"{before}{separator.join(digits)}{after}",
    st.sampled_from(["", "my number is ", "call me on ", "its "]),
    st.lists(st.text("0123456789", min_size=1, max_size=5), min_size=2, max_size=5).filter(
        lambda parts: sum(map(len, parts)) >= 3
    ),
    st.sampled_from(["", " ", "-", ".", ") "]),
    st.sampled_from(["", " thanks", " pls", "?"]),
)


@settings(max_examples=300)
@given(PHONE_NUMBERS)
def test_a_typed_phone_number_is_never_kept_in_memory(text: str) -> None:
    remembering = RecentFindings(DETECTOR)
    assert remembering.detect(text) == DETECTOR.detect(text)
    assert text not in remembering


def test_short_answers_with_a_number_are_still_remembered() -> None:
    remembering = RecentFindings(DETECTOR)
    for answer in ("1", "10", "2 please", "yes"):
        remembering.detect(answer)
        assert answer in remembering
    for typed in ("999", "07700 900123", "0 7 7", "０７７"):
        remembering.detect(typed)
        assert typed not in remembering
