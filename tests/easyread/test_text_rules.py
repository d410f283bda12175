"""Every text rule, failing and passing, from the table in text_cases.yaml; and free text never breaks."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content.easyread import check_text
from bot.content.easyread.findings import Finding
from bot.content.packs.yamlfile import load_fast

CASES = load_fast((Path(__file__).parent / "text_cases.yaml").read_text(encoding="utf-8"))


def _id(case: dict) -> str:
    outcome = "fails" if case["fails"] else "passes"
    return f"{case['rule']}-{outcome}-{case.get('language', 'en')}-{case['text'][:24]}"


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_rule_table(case):
    findings = check_text(
        case["text"], language=case.get("language", "en"), audience=case.get("audience", "parent_carer")
    )
    hits = [f for f in findings if f.rule == case["rule"]]
    if case["fails"]:
        assert hits, f"expected {case['rule']} in {[str(f) for f in findings]}"
        if "says" in case:
            assert any(case["says"] in f"{f.message} {f.suggestion}" for f in hits), [str(f) for f in hits]
    else:
        assert not hits, [str(f) for f in hits]


def test_every_rule_has_a_failing_and_a_passing_case():
    failing = {c["rule"] for c in CASES if c["fails"]}
    passing = {c["rule"] for c in CASES if not c["fails"]}
    assert failing == passing
    assert {
        "sentence-length",
        "one-question",
        "contraction",
        "punctuation",
        "all-caps",
        "acronym",
        "hard-word",
        "negative",
        "passive",
        "sms-budget",
    } <= failing


def test_negatives_and_passive_are_warnings_the_rest_errors():
    findings = check_text("You were seen by the clinician & we did not help.", language="en", audience="parent_carer")
    severity = {f.rule: f.severity for f in findings}
    assert severity == {
        "negative": "warning",
        "passive": "warning",
        "hard-word": "error",
        "punctuation": "error",
    }


def test_a_finding_prints_as_file_line_rule_message_suggestion():
    finding = Finding("prompts/packs/x.yaml", 12, "hard-word", "error", '"appointment" is a hard word', 'say "visit"')
    assert str(finding) == 'prompts/packs/x.yaml:12: hard-word: "appointment" is a hard word (say "visit")'
    assert str(check_text("How was your appointment?", language="en", audience="parent_carer")[0]) == (
        '<text>: hard-word: "appointment" is a hard word (say "visit")'
    )


def test_keywords_given_may_be_in_capitals():
    text = "Text FEEDBACK to start."
    assert any(f.rule == "all-caps" for f in check_text(text, language="en", audience="parent_carer"))
    assert not check_text(text, language="en", audience="parent_carer", allowed_caps=["FEEDBACK"])


def test_channel_budgets_can_be_left_out():
    long = "We read every answer. " * 20
    assert any(f.rule == "sms-budget" for f in check_text(long, language="en", audience="parent_carer"))
    assert not any(
        f.rule == "sms-budget" for f in check_text(long, language="en", audience="parent_carer", channel_budgets=False)
    )


def test_a_phone_number_in_the_text_is_never_repeated():
    text = "Please ring our team on 07700 900123 or email help@example.org if you want to talk about it with us today."
    findings = check_text(text, language="en", audience="parent_carer")
    assert any(f.rule == "sentence-length" for f in findings)
    for finding in findings:
        assert "900123" not in str(finding)
        assert "help@example.org" not in str(finding)


def test_welsh_is_not_judged_by_english_word_frequency():
    # Welsh words are rare in English; with no Welsh frequency list only the Welsh swaps apply.
    assert not [
        f
        for f in check_text("Diolch yn fawr iawn am eich help heddiw.", language="cy", audience="parent_carer")
        if f.rule == "hard-word"
    ]


LANGUAGES = st.sampled_from(["en", "cy", "en-GB", "fr", "pl", "ar", "zz", "x"])
AUDIENCES = st.sampled_from(["child", "young_person", "parent_carer", "nobody"])


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400), LANGUAGES, AUDIENCES)
def test_check_text_never_raises(text, language, audience):
    findings = check_text(text, language=language, audience=audience)
    for finding in findings:
        assert finding.severity in ("error", "warning")
        assert str(finding).startswith("<text>: ")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "We",
                "you",
                "appointment",
                "don't",
                "NHS",
                "SALT",
                "&",
                "?",
                ".",
                "😀",
                "clinician",
                "were",
                "seen",
                "not",
                "CAMHS",
                "(",
                "prior",
                "to",
                "https://a.b/c",
            ]
        ),
        max_size=40,
    )
)
def test_check_text_never_raises_on_rule_words(parts):
    check_text(" ".join(parts), language="en", audience="child")
