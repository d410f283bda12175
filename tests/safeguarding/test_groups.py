"""Word groups in the lists: a rule names kinds of words that must come together ("going to" + "cut" +
"my wrist"), so a safeguarding lead lists words once and every form and order they allow is read."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.safeguarding.detect import Detector
from bot.safeguarding.finding import Level
from bot.safeguarding.lists import parse_list


def _detector(language: str = "en", **rule: Any) -> Detector:
    data = {
        "language": language,
        "spellings": {"gonna": "going to"},
        "negation": {"words": ["not", "never"], "stop_words": ["and"]},
        "groups": {
            "soon": ["going to", "want to", "tonight"],
            "cut": ["cut", "slit"],
            "body": ["myself", "my wrist", "my arm"],
            "kill": ["lladd*"],
        },
        "rules": [{"id": "plan", "level": "urgent", "means": "a plan", "together": [["soon", "cut", "body"]],
                   **rule}],
    }
    return Detector([parse_list(data, "lists.yaml")])


@pytest.mark.parametrize(
    "message",
    [
        "going to cut my wrists",  # a plural the list never wrote
        "im gonna be cutting my arms",  # another form, a spelling, a word between
        "I want to slit my wrist tonight",
        "going to cutt my wirsts",  # typos: a letter doubled, two swapped
        "The wait has been long. I am going to cut myself.",
    ],
)
def test_any_form_of_each_group_word_in_order_is_read(message: str) -> None:
    assert _detector().detect(message).level is Level.URGENT


@pytest.mark.parametrize(
    "message",
    [
        "my wrist hurts, I am going to the doctor who cut the queue",  # the groups, but out of order
        "going to the clinic; they cut my appointment",  # a sentence break between them
        "going to ask if the nurse with the blue coat could cut down on my arm",  # too far apart
        "cutlery",
    ],
)
def test_groups_out_of_order_apart_or_in_other_sentences_are_not_read(message: str) -> None:
    assert _detector().detect(message).level is Level.NONE


def test_a_rule_can_allow_its_groups_further_apart() -> None:
    message = "going to ask if the nurse with the blue coat could cut down on my arm"
    assert _detector(within=10).detect(message).level is Level.URGENT


def test_a_negation_before_the_first_group_softens_urgent_to_concern() -> None:
    finding = _detector().detect("I am not going to cut my arm")
    assert finding.level is Level.CONCERN and finding.rules == ("en.plan (negated)",)


def test_a_word_ending_in_a_star_matches_every_word_that_starts_so() -> None:
    detector = _detector(language="cy", together=[["kill", "body"]])
    assert detector.detect("dw i eisiau lladd myself").level is Level.URGENT
    assert detector.detect("dw i eisiau lladdfa myself").level is Level.URGENT
    # Repeated letters never matter, so Welsh's soft mutation of "ll" to "l" is read as well.
    assert detector.detect("dw i eisiau ladd myself").level is Level.URGENT
    assert detector.detect("dw i eisiau gladd myself").level is Level.NONE


@given(st.lists(st.sampled_from(["really", "so", "just", "honestly"]), max_size=4))
def test_filler_words_between_the_groups_do_not_hide_the_meaning(fillers: list[str]) -> None:
    message = f"going to {' '.join(fillers)} cut my wrists"
    assert _detector().detect(message).level is Level.URGENT


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"together": [["soon", "stab"]]}, "stab, which is not a group"),
        ({"together": "soon cut"}, "list of lists of group names"),
        ({"within": 99}, "within should be a whole number of words from 0 to 20"),
    ],
)
def test_a_mistake_in_a_rule_with_groups_is_reported_with_file_and_rule(change: dict[str, Any], says: str) -> None:
    with pytest.raises(ValueError, match=r"lists\.yaml: plan") as raised:
        _detector(**change)
    assert says in str(raised.value)


@pytest.mark.parametrize(
    ("groups", "says"),
    [
        ({"Soon": ["going to"]}, "group name 'Soon'"),
        ({"soon": "going to"}, "group soon should be a list of words"),
        ({"soon": ["going. to"]}, "should be words without punctuation"),
        ({"soon": ["go*"]}, "a '*' after 3 letters or more"),
    ],
)
def test_a_mistake_in_a_group_is_reported_with_file_and_group(groups: dict[str, Any], says: str) -> None:
    data = {"language": "en", "groups": groups, "rules": [{"id": "r", "level": "urgent", "phrases": ["x y"]}]}
    with pytest.raises(ValueError, match=r"lists\.yaml") as raised:
        parse_list(data, "lists.yaml")
    assert says in str(raised.value)
