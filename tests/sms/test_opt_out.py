"""Opt-out as carriers and Twilio do it: STOP and its cousins stop all contact, START brings it back,
HELP says who we are; Twilio's own opt-out handling and its 21610 refusal are honoured too."""

from __future__ import annotations

import pytest

from bot.messages import Say
from bot.wire import message_to_dict

from .conftest import PERSON, replies, sms_world

STOP_WORDS = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"]


async def _stopped(world, channel: str = "sms") -> bool:
    async with world.parts.store.unit() as uow:
        person = await uow.participant(channel, PERSON, create=False)
    assert person is not None
    return person.stopped


async def _queue_update(world, kind: str = "broadcast", text: str = "We have changed the waiting room."):
    async with world.parts.store.unit() as uow:
        person = await uow.participant("sms", PERSON)
        return await uow.enqueue(person.id, "sms", kind, {"messages": [message_to_dict(Say(text))]})


@pytest.mark.parametrize("word", [*STOP_WORDS, "stop", "Stop", " quit ", "optout"])
async def test_every_opt_out_word_stops_all_contact(world, word) -> None:
    await world.text("DEMO")
    [answer] = replies(await world.text(word))
    assert "You will not get any more messages from us" in answer
    assert await _stopped(world)
    await _queue_update(world)
    stats = await world.tick()
    assert stats.cancelled == 1 and world.fake.messages == []


async def test_a_stop_word_inside_a_sentence_is_not_an_opt_out(world) -> None:
    [answer] = replies(await world.text("please do not stop the Tuesday group"))
    assert "A person will read it" in answer
    assert not await _stopped(world)


@pytest.mark.parametrize("word", ["START", "unstop", "Yes"])
async def test_start_unstop_and_yes_outside_a_question_resume_contact(world, word) -> None:
    replies(await world.text("STOP"))
    [answer] = replies(await world.text(word))
    assert "turned on again" in answer
    assert not await _stopped(world)
    await _queue_update(world)
    assert (await world.tick()).sent == 1
    assert [m.body for m in world.fake.messages] == ["We have changed the waiting room."]


async def test_yes_answering_a_yes_no_question_is_an_answer_not_start(world) -> None:
    replies(await world.text("DEMO"))
    [answer] = replies(await world.text("YES"))
    assert "How was your last visit?" in answer


@pytest.mark.parametrize("word", ["HELP", "info", "Help"])
async def test_help_says_who_we_are_our_hours_and_how_to_stop(database, fake_twilio, tmp_path, word) -> None:
    async with sms_world(database, fake_twilio, tmp_path, service_name="Riverside CAMHS") as world:
        text = "\n".join(replies(await world.text(word)))
    assert "Monday to Friday, 9am to 5pm" in text
    assert "STOP" in text
    assert "Riverside CAMHS" in text, "HELP must name who runs the service"


@pytest.mark.parametrize(
    ("stopped_before", "opt_out_type", "body", "stopped_after"),
    [(False, "STOP", "ARRET", True), (True, "START", "ARRIBA", False), (False, "HELP", "AIDE", False)],
)
async def test_twilio_advanced_opt_out_is_honoured_without_a_second_reply(
    world, stopped_before, opt_out_type, body, stopped_after
) -> None:
    # The service's own keywords (here French) were matched by Twilio, which has already replied.
    replies(await world.text("STOP" if stopped_before else "DEMO"))
    assert await _stopped(world) is stopped_before
    response = await world.text(body, opt_out_type=opt_out_type)
    assert replies(response) == []
    assert await _stopped(world) is stopped_after


async def test_a_send_twilio_refuses_with_21610_marks_the_person_stopped(world) -> None:
    replies(await world.text("DEMO"))  # the person exists, their number is in the vault
    world.fake.opted_out.add(PERSON)
    first = await _queue_update(world, "followup", "Thank you for your answers.")
    stats = await world.tick()
    assert stats.failed == 1 and stats.sent == 0
    assert await _stopped(world)
    # Nothing more is tried: the next proactive message is cancelled at send time.
    await _queue_update(world)
    assert (await world.tick()).cancelled == 1
    assert [r.status for r in world.fake.requests] == [400]
    assert first
