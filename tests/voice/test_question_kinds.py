"""Every kind of question on the phone, through a pack written for the test: more than three choices
read three at a time, free text by speech only (scrubbed before it is stored), a number on the keypad,
and yes or no."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from .conftest import make_world, stored_answers

PACK = """
id: phone
version: 1
audience: parent_carer
languages: [en]
title: {en: Tell us about our service}
keywords: [PHONE]
symbol: phone
intro: {en: Thank you for calling. We will not know who you are.}
consent: {en: Can we ask you 4 short questions?}
outro: {en: Thank you. Goodbye.}
questions:
  - id: score
    kind: scale
    text: {en: How many stars would you give us?}
    symbol: star
    choices:
      - {value: 1, label: {en: One star}, symbol: unhappy}
      - {value: 2, label: {en: Two stars}, symbol: unhappy}
      - {value: 3, label: {en: Three stars}, symbol: unsure}
      - {value: 4, label: {en: Four stars}, symbol: happy}
      - {value: 5, label: {en: Five stars}, symbol: happy}
  - id: better
    kind: text
    text: {en: What could we do better?}
    symbol: pencil
    optional: true
  - id: weeks
    kind: number
    text: {en: How many weeks did you wait?}
    symbol: clock
    min: 0
    max: 104
  - id: again
    kind: yesno
    text: {en: Would you use us again?}
    symbol: question
"""


@pytest.fixture
async def world(database, tmp_path: Path) -> AsyncIterator:
    prompts = tmp_path / "prompts"
    (prompts / "packs").mkdir(parents=True)
    (prompts / "packs" / "phone.yaml").write_text(PACK)
    built = await make_world(database, tmp_path, prompts_dir=prompts)
    async with built.http:
        yield built


async def _at_first_question(world):
    caller = world.caller()
    await caller.ring()
    await caller.press("1")
    return caller


async def test_five_choices_are_read_three_at_a_time_and_eight_turns_the_page(world) -> None:
    caller = await _at_first_question(world)
    page = caller.page
    assert "For One star, press 1." in page.question and "For Three stars, press 3." in page.question
    assert "Four stars" not in page.question and "For more choices, press 8." in page.question
    page = await caller.press("8")
    assert "For Four stars, press 1. For Five stars, press 2." in page.question
    assert "One star" not in page.question
    page = await caller.press("9")  # repeat stays on this page
    assert "For Four stars, press 1." in page.question
    await caller.press("2")
    assert (await stored_answers(world))["score"].value == "5"


async def test_a_key_past_the_choices_on_this_page_does_nothing(world) -> None:
    caller = await _at_first_question(world)
    await caller.press("8")
    page = await caller.press("3")  # the second page has two choices
    assert "does nothing here" in page.text and "For Four stars, press 1." in page.question
    assert await stored_answers(world) == {}


async def test_every_label_is_a_speech_hint_whichever_page_is_read(world) -> None:
    caller = await _at_first_question(world)
    hints = caller.page.gather.attrib["hints"]
    for label in ("One star", "Five stars", "repeat", "skip"):
        assert label in hints
    page = await caller.say("five stars", confidence=0.9)
    assert "What could we do better?" in page.question
    assert (await stored_answers(world))["score"].value == "5"


async def test_a_free_text_question_listens_for_speech_only_and_scrubs_the_transcript(world) -> None:
    caller = await _at_first_question(world)
    page = await caller.press("3")
    gather = page.gather
    assert gather.attrib["input"] == "speech" and "numDigits" not in gather.attrib
    assert "Say your answer in your own words." in page.question and "press" not in page.question
    said = "The wait was long, call me on 07700 900321 or write to parent@example.org"
    page = await caller.say(said, confidence=0.9)
    assert "How many weeks did you wait?" in page.question
    stored = (await stored_answers(world))["better"].text
    assert stored is not None and "The wait was long" in stored
    assert "900321" not in stored and "parent@example.org" not in stored


async def test_keys_on_a_free_text_question_are_explained(world) -> None:
    caller = await _at_first_question(world)
    await caller.press("3")
    page = await caller.press("1")
    assert "does nothing here" in page.text and "What could we do better?" in page.question


async def test_a_number_is_typed_then_the_hash_key(world) -> None:
    caller = await _at_first_question(world)
    await caller.press("3")
    page = await caller.say("skip", confidence=0.9)
    gather = page.gather
    assert "How many weeks did you wait?" in page.question
    assert gather.attrib["finishOnKey"] == "#" and "numDigits" not in gather.attrib
    page = await caller.press("12")  # Twilio sends the digits before the hash key
    assert "Would you use us again?" in page.question
    stored = await stored_answers(world)
    assert stored["better"].skipped and stored["weeks"].number == 12


async def test_a_number_can_be_said(world) -> None:
    caller = await _at_first_question(world)
    await caller.press("3")
    await caller.say("skip", confidence=0.9)
    await caller.say("about six weeks", confidence=0.9)
    stored = await stored_answers(world)
    assert stored["weeks"].number == 6


async def test_yes_and_no_are_keys_one_and_two(world) -> None:
    caller = await _at_first_question(world)
    await caller.press("3")
    await caller.say("skip", confidence=0.9)
    page = await caller.press("3")
    assert "For Yes, press 1. For No, press 2." in page.question
    page = await caller.press("2")
    assert page.hung_up
    assert (await stored_answers(world))["again"].value == "no"
