"""The four shipped packs: no easy-read errors, and each is the pack its audience needs."""

from __future__ import annotations

import pytest

from bot.content.easyread import check_paths
from bot.content.packs.loader import load_pack
from bot.content.packs.model import Kind, Purpose
from bot.content.packs.symbols import Symbols
from bot.content.packs.yamlfile import SHIPPED_PROMPTS

PACKS = SHIPPED_PROMPTS / "packs"
OURS = ["parent_carer", "waiting_list", "children", "phone"]


@pytest.mark.parametrize("name", OURS)
def test_shipped_pack_has_no_errors(name):
    findings = check_paths([PACKS / f"{name}.yaml"])
    assert [str(f) for f in findings if f.severity == "error"] == []


@pytest.mark.parametrize("name", OURS)
def test_shipped_pack_speaks_english_and_welsh_with_welsh_marked_for_review(name):
    pack = load_pack(PACKS / f"{name}.yaml").pack
    assert pack.id == name
    assert pack.languages == ["en", "cy"]
    assert pack.needs_review == ["cy"]


@pytest.mark.parametrize("name", OURS)
def test_every_question_and_choice_has_a_symbol_we_ship(name):
    pack = load_pack(PACKS / f"{name}.yaml").pack
    symbols = Symbols.load(SHIPPED_PROMPTS)
    names = [pack.symbol, *(q.symbol for q in pack.questions), *(c.symbol for q in pack.questions for c in q.choices)]
    assert all(symbols.get(n) is not None for n in names), names


def test_parent_carer_starts_with_the_friends_and_family_test_in_its_standard_wording():
    pack = load_pack(PACKS / "parent_carer.yaml").pack
    fft = pack.questions[0]
    assert fft.standard == "nhs_fft"
    assert fft.text["en"] == "Overall, how was your experience of our service?"
    assert [c.label["en"] for c in fft.choices] == [
        "Very good",
        "Good",
        "Neither good nor poor",
        "Poor",
        "Very poor",
        "Don't know",
    ]
    purposes = {q.purpose for q in pack.questions}
    assert {Purpose.HEAR_BACK, Purpose.INVOLVEMENT} <= purposes
    assert any(q.kind is Kind.TEXT and q.optional for q in pack.questions)


def test_waiting_list_asks_how_they_are_and_about_updates_and_checkins():
    pack = load_pack(PACKS / "waiting_list.yaml").pack
    assert pack.audience == "young_person"
    assert pack.questions[0].sensitive  # the outro then offers support
    assert {Purpose.UPDATES, Purpose.CHECKINS, Purpose.HEAR_BACK} <= {q.purpose for q in pack.questions}


def test_children_pack_is_short_with_faces_and_yes_no():
    pack = load_pack(PACKS / "children.yaml").pack
    assert pack.audience == "child"
    assert len(pack.questions) <= 7
    assert any(q.purpose is Purpose.HEAR_BACK for q in pack.questions), "children can hear what we did"
    faces = [q for q in pack.questions if q.kind is Kind.CHOICE]
    assert faces and all([c.symbol for c in q.choices] == ["happy", "unsure", "unhappy"] for q in faces)
    assert any(q.kind is Kind.YESNO for q in pack.questions)
    assert all(q.text["en"].count("?") <= 1 for q in pack.questions)


def test_phone_pack_has_at_most_4_questions_of_3_choices():
    pack = load_pack(PACKS / "phone.yaml").pack
    assert len(pack.questions) <= 4
    assert all(q.kind is Kind.CHOICE and len(q.choices) == 3 for q in pack.questions)
