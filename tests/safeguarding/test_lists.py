"""The phrase lists are data a safeguarding lead reads: their own examples hold, and mistakes in them are
reported by file and rule instead of silently weakening detection."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.packs.yamlfile import SHIPPED_PROMPTS
from bot.safeguarding.detect import Detector
from bot.safeguarding.finding import Level
from bot.safeguarding.lists import parse_list
from bot.safeguarding.loading import load_safeguarding, shipped_safeguarding

DETECTOR = shipped_safeguarding().detector
RULE_EXAMPLES = [(e.qualified, e.level, x) for lst in DETECTOR.lists for e in lst.rules for x in e.examples]
IDIOM_EXAMPLES = [(e.qualified, x) for lst in DETECTOR.lists for e in lst.harmless for x in e.examples]


@pytest.mark.parametrize(
    ("rule", "level", "example"), RULE_EXAMPLES, ids=[f"{r}:{x[:30]}" for r, _, x in RULE_EXAMPLES]
)
def test_every_example_in_the_lists_is_found_by_its_rule(rule: str, level: Level, example: str) -> None:
    finding = DETECTOR.detect(example)
    assert rule in {hit.rule for hit in finding.hits}, f"{example!r} gave {finding.rules}"
    assert finding.level.rank >= level.rank


@pytest.mark.parametrize(("idiom", "example"), IDIOM_EXAMPLES, ids=[f"{i}:{x[:30]}" for i, x in IDIOM_EXAMPLES])
def test_every_harmless_idiom_example_shows_no_risk(idiom: str, example: str) -> None:
    assert DETECTOR.detect(example).level is Level.NONE


def test_every_shipped_rule_has_an_example_and_words_for_staff() -> None:
    for lst in DETECTOR.lists:
        for rule in lst.rules:
            assert rule.examples, f"{rule.qualified} has no example"
            assert rule.means and rule.means != rule.id.replace("_", " "), f"{rule.qualified} has no 'means'"
    assert {lst.language for lst in DETECTOR.lists} >= {"en", "cy", "pl"}


def _list(**rule: object) -> dict[str, object]:
    return {
        "language": "en",
        "spellings": {"dont": "do not"},
        "rules": [{"id": "r", "level": "urgent", "phrases": ["kill myself"], **rule}],
    }


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (_list(level="high"), "level should be urgent or concern"),
        (_list(patterns=["(unclosed"]), "does not compile"),
        (_list(patterns=["i dont want"]), "uses dont"),
        (_list(phrases=["kill. myself"]), "without sentence punctuation"),
        (_list(phrases=[], patterns=[]), "give some phrases"),
        (_list(colour="red"), "unknown key"),
        ({"language": "en", "rules": [{"id": "a", "level": "urgent", "phrases": ["x y"]},
                                      {"id": "a", "level": "concern", "phrases": ["y z"]}]}, "used twice"),
        ({"language": "English", "rules": []}, "code like en"),
    ],
)
def test_a_mistake_in_a_list_is_reported_with_file_and_rule(data: dict[str, object], says: str) -> None:
    with pytest.raises(ValueError, match=r"lists\.yaml") as raised:
        parse_list(data, "lists.yaml")
    assert says in str(raised.value)


def test_a_deployment_can_replace_a_list_and_add_a_language(tmp_path: Path) -> None:
    folder = tmp_path / "safeguarding"
    folder.mkdir()
    (folder / "en.yaml").write_text(
        "language: en\nrules:\n  - id: only_rule\n    level: concern\n    phrases: [purple elephant]\n"
    )
    (folder / "fr.yaml").write_text(
        "language: fr\nrules:\n  - id: suicide\n    level: urgent\n    phrases: [je veux mourir]\n"
    )
    detector = Detector.load([SHIPPED_PROMPTS, tmp_path])
    assert detector.detect("a purple elephant").rules == ("en.only_rule",)
    # The shipped English rules are gone (the shipped second opinion still reads the message).
    assert not any(r.startswith("en.") for r in detector.detect("I want to kill myself").rules)
    assert detector.detect("Je veux mourir").rules == ("fr.suicide",)
    assert detector.detect("dw i eisiau marw").level is Level.URGENT, "the shipped Welsh list still applies"
    assert load_safeguarding(tmp_path).detector.detect("je veux mourir").level is Level.URGENT


def test_a_short_spelling_matches_only_as_written_and_a_long_one_forgives_a_doubled_letter() -> None:
    from bot.safeguarding.normalise import Spellings

    spellings = Spellings({"od": "overdose", "wed": "we would", "dont": "do not", "gonna": "going to"})
    assert spellings.apply(["odd", "socks"]) == ["odd", "socks"]
    assert spellings.apply(["weed"]) == ["weed"]
    assert spellings.apply(["wed"]) == ["we", "would"]
    assert spellings.apply(["dontt"]) == ["do", "not"]
    assert spellings.apply(["gonnaaa"]) == ["going", "to"]
    assert DETECTOR.detect("Anti-bullying week starts Monday, they're doing odd socks day").level is Level.NONE
