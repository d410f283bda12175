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
