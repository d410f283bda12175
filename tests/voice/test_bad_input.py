"""What a phone line gets wrong in real life: odd keys, empty or unsure speech, replays, forged or
stray requests, and a question that left the pack while someone was answering it."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app.prompts import load_prompts
from bot.app.settings import SHIPPED_PROMPTS
from channels.twilio_voice.call import ANSWER_PATH, SILENCE_PATH, VOICE_PATH
from storage.models import InboundMessage

from .conftest import (
    AUTH_TOKEN,
    PUBLIC_URL,
    Caller,
    call_form,
    new_call_sid,
    phone_pack,
    stored_answers,
    submission_statuses,
)

try:
    from fakes.twilio_webhooks import sign
except ImportError:
    from tests.fakes.twilio_webhooks import sign


@pytest.mark.parametrize("key", ["*", "#", "7", "8"])
async def test_a_key_that_means_nothing_here_is_explained_and_the_question_asked_again(world, key) -> None:
    caller = world.caller()
    await caller.ring()
    asked = await caller.press("1")
    page = await caller.press(key)
    assert "Sorry, that key does nothing here." in page.text
    assert page.question == asked.question
    assert await stored_answers(world) == {}


async def test_zero_on_the_consent_question_skips_nothing(world) -> None:
    caller = world.caller()
    await caller.ring()
    page = await caller.press("0")
    assert "does nothing here" in page.text and phone_pack(world).consent["en"] in page.question
    assert await submission_statuses(world) == []


async def test_an_empty_speech_result_counts_as_silence(world) -> None:
    caller = world.caller()
    await caller.ring()
    asked = await caller.press("1")
    page = await caller.say("   ", confidence=None)
    assert "We did not hear anything." in page.text and page.question == asked.question
    assert await stored_answers(world) == {}


async def test_an_unsure_transcript_is_read_back_and_stored_only_when_confirmed(world) -> None:
    question = phone_pack(world).questions[0]
    label = question.choices[0].label["en"]
    caller = world.caller()
    await caller.ring()
    await caller.press("1")
    page = await caller.say(f"{label} thank you", confidence=0.31)
    assert f"I heard, {label} thank you. If that is right, press 1. If not, press 2." in page.question
    assert await stored_answers(world) == {}
    # The transcript travels sealed: neither URL carries the words.
    assert "thank" not in page.gather.attrib["action"].lower()
    assert "thank" not in page.redirect.text.lower()
    page = await caller.press("1")
    assert (await stored_answers(world))[question.id].value == question.choices[0].value


async def test_a_read_back_the_caller_says_is_wrong_asks_the_question_again(world) -> None:
    question = phone_pack(world).questions[0]
    caller = world.caller()
    await caller.ring()
    asked = await caller.press("1")
    await caller.say(question.choices[0].label["en"], confidence=0.2)
    page = await caller.say("No.", confidence=0.9)
    assert "Please try again." in page.text and page.question == asked.question
    assert await stored_answers(world) == {}


async def test_a_read_back_can_be_answered_by_saying_the_answer_again_clearly(world) -> None:
    question = phone_pack(world).questions[0]
    caller = world.caller()
    await caller.ring()
    await caller.press("1")
    await caller.say("mumble", confidence=0.1)
    await caller.say(question.choices[2].label["en"], confidence=0.95)
    assert (await stored_answers(world))[question.id].value == question.choices[2].value


async def test_speech_without_a_confidence_is_read_back_too(world) -> None:
    caller = world.caller()
    await caller.ring()
    page = await caller.say("yes", confidence=None)
    assert "I heard, yes." in page.question


async def test_silence_during_a_read_back_asks_once_more_then_the_question(world) -> None:
    question = phone_pack(world).questions[0]
    caller = world.caller()
    await caller.ring()
    asked = await caller.press("1")
    await caller.say(question.choices[0].label["en"], confidence=0.2)
    page = await caller.wait()
    assert "I heard" in page.question
    page = await caller.wait()
    assert page.question == asked.question
    assert await stored_answers(world) == {}


async def test_a_low_confidence_stop_is_confirmed_before_it_stops_anything(world) -> None:
    caller = world.caller()
    await caller.ring()
    page = await caller.say("stop", confidence=0.3)
    assert "I heard, stop." in page.question and not page.hung_up
    page = await caller.press("1")
    assert page.hung_up and "We will not contact you again." in page.text


async def test_a_replayed_request_gets_the_same_answer_and_is_stored_once(world) -> None:
    caller = world.caller()
    await caller.ring()
    await caller.press("1")
    first = await caller.press("2")
    replayed = await caller.replay()
    assert replayed.question == first.question
    async with world.parts.database.engine.connect() as conn:
        count = (await conn.execute(select(func.count()).select_from(InboundMessage))).scalar_one()
    assert count == 3  # ring, consent, one answer: the replay added nothing
    answers = await stored_answers(world)
    assert len(answers) == 1


async def test_a_step_for_a_call_we_have_never_seen_starts_that_call(world) -> None:
    # The URL was made for another call; Twilio (correctly signed) posts it for this one.
    caller = world.caller()
    await caller.ring()
    stranger = Caller(world.http, "+447700900456")
    stranger.pages.append(caller.page)
    page = await stranger.press("1")
    assert "talking to a computer" in page.text
    assert await submission_statuses(world) == []


async def test_a_step_without_any_state_in_its_url_starts_the_call(world) -> None:
    form = call_form(new_call_sid(), "+447700900123", Digits="1")
    url = PUBLIC_URL + ANSWER_PATH
    response = await world.post(url, form, sign(AUTH_TOKEN, url, form))
    assert response.status_code == 200 and "talking to a computer" in response.text


@pytest.mark.parametrize("path", [VOICE_PATH, ANSWER_PATH + "?c=CA" + "0" * 32 + "&n=1", SILENCE_PATH])
async def test_a_wrong_or_missing_signature_is_refused_and_nothing_is_stored(world, path, caplog) -> None:
    caplog.set_level(logging.INFO)
    form = call_form(new_call_sid(), "+447700900123", Digits="1")
    url = PUBLIC_URL + path
    wrong = await world.post(url, form, sign("not-the-token", url, form))
    missing = await world.post(url, form)
    assert wrong.status_code == 403 and missing.status_code == 403
    assert await submission_statuses(world) == []
    async with world.parts.database.engine.connect() as conn:
        assert (await conn.execute(select(func.count()).select_from(InboundMessage))).scalar_one() == 0
    assert "+447700900123" not in caplog.text


async def test_a_changed_query_string_breaks_the_signature(world) -> None:
    caller = world.caller()
    await caller.ring()
    page = await caller.press("1")
    action = page.gather.attrib["action"]
    form = call_form(caller.call_sid, caller.from_, Digits="1")
    signature = sign(AUTH_TOKEN, action, form)
    tampered = action.replace("v=", "v=poor.")
    response = await world.post(tampered, form, signature)
    assert response.status_code == 403


async def test_a_call_without_a_call_sid_is_a_bad_request(world) -> None:
    form = call_form("", "+447700900123")
    form.pop("CallSid")
    url = PUBLIC_URL + VOICE_PATH
    response = await world.post(url, form, sign(AUTH_TOKEN, url, form))
    assert response.status_code == 400 and "CallSid" in response.text


async def test_a_question_removed_from_the_pack_mid_call_keeps_the_answers_and_carries_on(world, tmp_path) -> None:
    pack = phone_pack(world)
    caller = world.caller()
    await caller.ring()
    await caller.press("1")
    await caller.press("1")  # question 1 answered; question 2 is being asked
    changed = _prompts_without(tmp_path, pack.questions[1].id)
    world.parts.service.prompts = load_prompts(changed)
    page = await caller.press("1")
    assert "those questions have changed" in page.text
    assert page.gather is not None or page.hung_up  # a question or a goodbye, never an error
    assert pack.questions[0].id in await stored_answers(world)
    assert "abandoned" in await submission_statuses(world)


def _prompts_without(tmp_path: Path, question_id: str) -> Path:
    from ruamel.yaml import YAML

    folder = tmp_path / "prompts"
    shutil.copytree(SHIPPED_PROMPTS / "packs", folder / "packs")
    yaml = YAML()
    path = folder / "packs" / "phone.yaml"
    data = yaml.load(path.read_text())
    data["questions"] = [q for q in data["questions"] if q["id"] != question_id]
    data["version"] = int(data["version"]) + 1
    data["consent"] = {lang: text.replace("4 ", "3 ") for lang, text in data["consent"].items()}
    with path.open("w") as out:
        yaml.dump(data, out)
    return folder
