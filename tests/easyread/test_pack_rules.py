"""Pack rules, each failing and passing, with the file and line a pack author is sent to."""

from __future__ import annotations

import re
from pathlib import Path

from bot.content.easyread import check_pack, check_paths
from bot.content.easyread.findings import Finding
from bot.content.packs.loader import load_pack
from tests.easyread.conftest import CHOICES_GOOD_OK_POOR

FFT_CHOICES = [
    {"value": "very_good", "label": {"en": "Very good"}, "symbol": "very_happy"},
    {"value": "good", "label": {"en": "Good"}, "symbol": "happy"},
    {"value": "neither", "label": {"en": "Neither good nor poor"}, "symbol": "unsure"},
    {"value": "poor", "label": {"en": "Poor"}, "symbol": "unhappy"},
    {"value": "very_poor", "label": {"en": "Very poor"}, "symbol": "very_unhappy"},
    {"value": "dont_know", "label": {"en": "Don't know"}, "symbol": "question"},
]
FFT = {
    "id": "fft",
    "kind": "choice",
    "standard": "nhs_fft",
    "symbol": "star",
    "text": {"en": "Overall, how was your experience of our service?"},
    "choices": FFT_CHOICES,
}


def errors(findings: list[Finding], rule: str | None = None) -> list[Finding]:
    return [f for f in findings if f.severity == "error" and (rule is None or f.rule == rule)]


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if needle in line)


def test_the_sample_pack_has_no_errors(write_pack, base_pack):
    assert errors(check_paths([write_pack(base_pack)])) == []


def test_a_text_finding_points_at_the_line_of_that_text(write_pack, base_pack):
    base_pack["questions"][1]["text"]["en"] = "Did the clinician listen to you?"
    path = write_pack(base_pack)
    [finding] = errors(check_paths([path]), "hard-word")
    assert finding.path is not None and finding.path.endswith("sample.yaml")
    assert finding.line == line_of(path, "Did the clinician")
    assert "question 'listened' (en)" in finding.message


def test_choice_order_must_match_across_the_pack(write_pack, base_pack):
    base_pack["questions"].append(
        {
            "id": "again",
            "kind": "choice",
            "text": {"en": "How was your last call?"},
            "symbol": "phone",
            "choices": list(reversed(CHOICES_GOOD_OK_POOR)),
        }
    )
    path = write_pack(base_pack)
    [finding] = errors(check_paths([path]), "choice-order")
    assert "question 'overall'" in finding.message
    assert finding.line is not None and finding.line > line_of(path, "id: again")


def test_choice_order_is_fine_when_shared_choices_keep_their_order(write_pack, base_pack):
    base_pack["questions"].append(
        {
            "id": "again",
            "kind": "choice",
            "text": {"en": "How was your last call?"},
            "symbol": "phone",
            "choices": [CHOICES_GOOD_OK_POOR[0], CHOICES_GOOD_OK_POOR[2]],
        }
    )
    assert errors(check_paths([write_pack(base_pack)]), "choice-order") == []


def test_choice_order_compares_labels_too(write_pack, base_pack):
    renamed = [dict(c, value=f"{c['value']}_2") for c in reversed(CHOICES_GOOD_OK_POOR)]
    base_pack["questions"].append(
        {"id": "again", "kind": "choice", "text": {"en": "How was the call?"}, "symbol": "phone", "choices": renamed}
    )
    assert errors(check_paths([write_pack(base_pack)]), "choice-order")


def test_every_symbol_must_exist(write_pack, base_pack):
    base_pack["questions"][0]["choices"][0]["symbol"] = "hapy"
    path = write_pack(base_pack)
    [finding] = errors(check_paths([path]), "symbol")
    assert "'hapy'" in finding.message and "did you mean 'happy'" in finding.suggestion
    assert finding.line == line_of(path, "symbol: hapy")


def test_consent_wording_needs_each_part(write_pack, base_pack):
    base_pack["intro"]["en"] = "Tell us what you think. We will not know who you are."
    found = errors(check_paths([write_pack(base_pack)]), "consent-wording")
    assert len(found) == 2
    assert any("danger" in f.message for f in found)
    assert all("intro (en)" in f.message for f in found)


def test_consent_wording_in_a_language_without_phrases_is_a_warning(write_pack, base_pack):
    base_pack["languages"] = ["en", "fr"]
    for _, text in _all_texts(base_pack):
        text["fr"] = "Merci."
    base_pack["intro"]["fr"] = "Dites-nous ce que vous pensez."
    findings = [f for f in check_paths([write_pack(base_pack)]) if f.rule == "consent-wording"]
    assert [f.severity for f in findings] == ["warning"]
    assert "'fr'" in findings[0].message


def test_readability_grade_depends_on_the_audience(write_pack, base_pack):
    # About grade 4: fine for parents and carers (5), too hard for children (3).
    base_pack["questions"][0]["text"]["en"] = "How would you describe your experience of the organisation today?"
    base_pack["questions"][1]["text"]["en"] = "Did everybody listen carefully and respectfully to you?"
    base_pack["outro"]["en"] = (
        "Thank you. Your thoughtful answers definitely help everybody improve community services considerably."
    )
    assert errors(check_paths([write_pack(base_pack)]), "readability") == []
    base_pack["audience"] = "child"
    [finding] = errors(check_paths([write_pack(base_pack)]), "readability")
    assert "the most for child is 3" in finding.message


def test_a_standard_question_keeps_its_wording_and_gets_warnings_instead_of_errors(write_pack, base_pack):
    base_pack["questions"].insert(0, FFT)
    findings = check_paths([write_pack(base_pack)])
    assert errors(findings) == []
    contraction = [f for f in findings if f.rule == "contraction"]
    assert [f.severity for f in contraction] == ["warning"]
    assert "NHS Friends and Family Test" in contraction[0].message


def test_a_standard_question_with_other_wording_is_an_error(write_pack, base_pack):
    changed = dict(FFT, text={"en": "How was our service overall?"})
    base_pack["questions"].insert(0, changed)
    findings = check_paths([write_pack(base_pack)])
    assert errors(findings, "standard-wording")
    # Without the standard's protection its "Don't know" is an ordinary error again.
    assert errors(findings, "contraction")


def test_an_unknown_standard_is_an_error(write_pack, base_pack):
    base_pack["questions"].insert(0, dict(FFT, standard="nhs_xyz"))
    [finding] = errors(check_paths([write_pack(base_pack)]), "standard-wording")
    assert "nhs_fft" in finding.suggestion


def test_an_sms_question_must_fit_one_segment_and_the_check_shows_its_cost(write_pack, base_pack):
    base_pack["questions"][0]["text"]["en"] = (
        "How was your visit to see the team at the health centre on the high street last week?"
    )
    base_pack["questions"][0]["choices"] = [
        {"value": "good", "label": {"en": "It was good for us"}, "symbol": "happy"},
        {"value": "ok", "label": {"en": "It was mostly OK"}, "symbol": "unsure"},
        {"value": "poor", "label": {"en": "It was not very good"}, "symbol": "unhappy"},
    ]
    [finding] = errors(check_paths([write_pack(base_pack)]), "sms-budget")
    segments = int(re.search(r"costs (\d+) segments", finding.message).group(1))
    assert segments == 2 and "the most is 1" in finding.message and "GSM-7" in finding.message
    assert "with symbols on (SAID_SMS_SYMBOLS) it would cost 3" in finding.suggestion


def test_a_pack_only_for_the_phone_is_not_priced_as_sms(write_pack, base_pack):
    base_pack["channels"] = ["voice"]
    base_pack["questions"][0]["text"]["en"] = "How was your visit to the health centre on the high street?"
    base_pack["questions"][0]["choices"] = [
        {"value": "good", "label": {"en": "It was good for us"}, "symbol": "happy"},
        {"value": "ok", "label": {"en": "It was mostly OK"}, "symbol": "unsure"},
        {"value": "poor", "label": {"en": "It was not very good"}, "symbol": "unhappy"},
    ]
    assert not errors(check_paths([write_pack(base_pack)]), "sms-budget")


def test_the_best_answer_comes_first(write_pack, base_pack):
    base_pack["questions"][0]["choices"].reverse()
    [finding] = errors(check_paths([write_pack(base_pack)]), "answer-order")
    assert "the best answer comes first" in finding.message


def test_a_standard_that_fixes_its_order_is_exempt_from_answer_order(write_pack, base_pack):
    # A national scale that runs worst first, kept word for word: its order is allowed, with a warning.
    path = write_pack({**base_pack, "questions": [{
        "id": "scale", "kind": "choice", "standard": "worst_first", "symbol": "star",
        "text": {"en": "How was it?"},
        "choices": [
            {"value": "poor", "label": {"en": "Poor"}, "symbol": "unhappy"},
            {"value": "good", "label": {"en": "Good"}, "symbol": "happy"},
        ],
    }]})
    wordlists = path.parent.parent / "wordlists"
    wordlists.mkdir()
    (wordlists / "standards.yaml").write_text(
        "worst_first: {name: A national scale, why: It is set nationally., text: How was it?,"
        " choices: [Poor, Good], exempt: [answer-order]}\n", encoding="utf-8"
    )
    findings = check_paths([path])
    assert not errors(findings, "answer-order")
    assert any(f.rule == "answer-order" and "allowed as A national scale" in f.message for f in findings)


def test_learning_disability_packs_have_three_choices_at_most(write_pack, base_pack):
    base_pack["audience"] = "learning_disability"
    base_pack["questions"][0]["choices"].append({"value": "bad", "label": {"en": "Bad"}, "symbol": "very_unhappy"})
    [finding] = errors(check_paths([write_pack(base_pack)]), "choice-count")
    assert "the most for learning_disability packs is 3" in finding.message


def test_a_spoken_question_stays_near_25_words(write_pack, base_pack):
    base_pack["questions"][0]["text"]["en"] = "How did you feel about the visit you had with us?"
    base_pack["questions"][0]["choices"] = [
        {"value": "good", "label": {"en": "Good, we felt happy"}, "symbol": "happy"},
        {"value": "ok", "label": {"en": "OK, it was fine for us"}, "symbol": "unsure"},
        {"value": "poor", "label": {"en": "Poor, we felt upset and sad"}, "symbol": "unhappy"},
    ]
    [finding] = errors(check_paths([write_pack(base_pack)]), "ivr-budget")
    assert "27 words" in finding.message


def test_a_telegram_button_fits_20_characters(write_pack, base_pack):
    base_pack["questions"][0]["choices"][1]["label"]["en"] = "It was OK for me"
    assert errors(check_paths([write_pack(base_pack)]), "telegram-button") == []
    base_pack["questions"][0]["choices"][1]["label"]["en"] = "It was mostly OK today"
    [finding] = errors(check_paths([write_pack(base_pack)]), "telegram-button")
    assert "24 characters" in finding.message


def test_too_many_choices_is_reported_at_the_question(write_pack, base_pack):
    base_pack["questions"].insert(0, dict(FFT, standard=None, id="six"))
    del base_pack["questions"][0]["standard"]
    path = write_pack(base_pack)
    [finding] = check_paths([path])
    assert finding.rule == "pack-invalid"
    assert "2 to 5 choices" in finding.message
    assert finding.line == line_of(path, "id: six")


def test_a_broken_file_is_a_finding_with_its_line_not_a_crash(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: broken\nversion: 1\nquestions: [\n  - id: x\n", encoding="utf-8")
    [finding] = check_paths([path])
    assert finding.rule == "pack-invalid" and finding.severity == "error"
    assert finding.line is not None and finding.line >= 3


def test_a_missing_path_is_an_error(tmp_path):
    [finding] = check_paths([tmp_path / "nowhere"])
    assert (finding.rule, finding.severity) == ("no-pack", "error")


def test_two_packs_cannot_share_a_keyword(write_pack, base_pack):
    write_pack(base_pack, "first")
    second = dict(base_pack, id="second")
    write_pack(second, "second")
    folder = write_pack(base_pack, "first").parent.parent  # the prompts folder, holding packs/
    clashes = [f for f in check_paths([folder]) if f.rule == "pack-clash"]
    assert len(clashes) == 1 and "SAMPLE" in clashes[0].message


def test_a_folder_is_searched_for_packs(write_pack, base_pack):
    path = write_pack(base_pack)
    base_pack["questions"][0]["text"]["en"] = "How was your appointment?"
    write_pack(dict(base_pack, id="other", keywords=["OTHER"]), "other")
    found = errors(check_paths([path.parent]))
    assert [f.rule for f in found] == ["hard-word"]
    assert found[0].path is not None and found[0].path.endswith("other.yaml")


def test_check_pack_takes_a_loaded_pack(write_pack, base_pack):
    base_pack["consent"]["en"] = "Can we ask you 3 questions? Is that OK?"
    loaded = load_pack(write_pack(base_pack))
    assert [f.rule for f in errors(check_pack(loaded))] == ["one-question"]


def test_a_deployment_can_add_to_the_word_lists(write_pack, base_pack, tmp_path):
    base_pack["outro"]["en"] = "Thank you. The SALT team will read this."
    path = write_pack(base_pack)
    assert errors(check_paths([path]), "acronym")
    wordlists = tmp_path / "prompts" / "wordlists"
    wordlists.mkdir()
    (wordlists / "acronyms.yaml").write_text(
        "en:\n  SALT: {means: the speech and language team, explain: false}\n", encoding="utf-8"
    )
    assert errors(check_paths([path]), "acronym") == []
    # The shipped lists still apply: laid over, not replaced.
    base_pack["outro"]["en"] = "Thank you. CAMHS will read this."
    assert errors(check_paths([write_pack(base_pack)]), "acronym")


def _all_texts(pack: dict) -> list[tuple[str, dict]]:
    texts = [(key, pack[key]) for key in ("title", "intro", "consent", "outro")]
    for question in pack["questions"]:
        texts.append((question["id"], question["text"]))
        texts.extend((question["id"], choice["label"]) for choice in question.get("choices", []))
    return texts


def test_a_broken_word_list_is_a_finding_not_a_crash(write_pack, base_pack, tmp_path):
    path = write_pack(base_pack)
    wordlists = tmp_path / "prompts" / "wordlists"
    wordlists.mkdir()
    (wordlists / "limits.yaml").write_text("channels: {sms_segments: two}\n", encoding="utf-8")
    [finding] = check_paths([path])
    assert (finding.rule, finding.severity) == ("wordlists", "error")
    assert "limits" in finding.message or "shape" in finding.message
