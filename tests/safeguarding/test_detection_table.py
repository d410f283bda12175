"""The case table (prompts/safeguarding/messages/table.yaml): at least 200 messages, each read at the
level a safeguarding lead expects.

The summary test states the measured figures the issue asks for: recall on the urgent and concern sets
and the false-positive rate on harmless messages, including look-alikes such as "this wait is killing me".
"""

from __future__ import annotations

import pytest
from safeguarding_kit import cases

from bot.safeguarding.finding import Level
from bot.safeguarding.loading import shipped_safeguarding

CASES = cases()
TABLE = [(level, message) for level, messages in CASES.items() for message in messages]


@pytest.fixture(scope="module")
def detector():
    return shipped_safeguarding().detector


@pytest.mark.parametrize(("expected", "message"), TABLE, ids=[f"{lv}:{m[:40]}" for lv, m in TABLE])
def test_each_message_is_read_at_the_expected_level(detector, expected: str, message: str) -> None:
    finding = detector.detect(message)
    assert finding.level.value == expected, f"{message!r} read as {finding.level.value} ({finding.rules})"


def test_the_table_is_big_enough_and_covers_every_level_and_language() -> None:
    assert len(TABLE) >= 200
    assert {"urgent", "concern", "none"} <= set(CASES)
    assert len(CASES["urgent"]) >= 60 and len(CASES["concern"]) >= 40 and len(CASES["none"]) >= 60
    welsh, polish = "marw", "umrzeć"
    assert any(welsh in m for m in CASES["urgent"]) and any(polish in m for m in CASES["urgent"])


def test_recall_is_complete_and_no_harmless_message_is_flagged(detector) -> None:
    urgent = [detector.detect(m).level for m in CASES["urgent"]]
    concern = [detector.detect(m).level for m in CASES["concern"]]
    harmless = [detector.detect(m).level for m in CASES["none"]]
    urgent_recall = sum(lv is Level.URGENT for lv in urgent) / len(urgent)
    concern_recall = sum(lv is not Level.NONE for lv in concern) / len(concern)
    false_positive_rate = sum(lv is not Level.NONE for lv in harmless) / len(harmless)
    assert (urgent_recall, concern_recall, false_positive_rate) == (1.0, 1.0, 0.0)


def test_a_finding_names_rules_never_the_words(detector) -> None:
    finding = detector.detect("Call me on 07700 900123, I want to kill myself")
    assert finding.rules == ("en.suicide_intent",)
    assert all("07700" not in rule and "kill" not in rule for rule in finding.rules)
    assert detector.means("en.suicide_intent (negated)") == "says they want to die or end their life"
