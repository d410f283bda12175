"""Opt-out as carriers and Twilio do it: STOP and its cousins stop all contact, START brings it back,
HELP says who we are; Twilio's own opt-out handling and its 21610 refusal are honoured too."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from bot.messages import Say
from bot.messages_json import message_to_dict
from storage.models import OutboxMessage

from .conftest import PERSON, STATUS_PATH, replies, sms_world, status_form

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


async def _status_of(world, outbox_id: int) -> str:
    async with world.parts.database.engine.connect() as conn:
        return (await conn.scalar(select(OutboxMessage.status).where(OutboxMessage.id == outbox_id))) or ""


@pytest.mark.parametrize("by_outbox_id", [False, True], ids=["by-message-sid", "by-outbox-id"])
async def test_a_delivery_report_with_21610_stops_the_person_like_a_refused_send(world, caplog, by_outbox_id) -> None:
    # Twilio accepted the text (a Messaging Service queues first) and only its delivery report says
    # the person had texted STOP to Twilio.
    caplog.set_level(logging.DEBUG)
    replies(await world.text("DEMO"))
    first = await _queue_update(world, "followup", "Thank you for your answers.")
    assert (await world.tick()).sent == 1
    [message] = world.fake.messages
    waiting = await _queue_update(world)  # queued for them before the report arrives
    response = await world.status(message.sid, "failed", first if by_outbox_id else None, error_code="21610")
    assert (response.status_code, response.text) == (200, "recorded")
    assert await _stopped(world)
    assert await _status_of(world, first) == "failed"
    # Nothing more is sent to them: what was waiting is cancelled at send time, and so is anything new.
    assert (await world.tick()).cancelled == 1
    await _queue_update(world, "reminder", "Your check-in is tomorrow.")
    assert (await world.tick()).cancelled == 1
    assert await _status_of(world, waiting) == "cancelled"
    assert len(world.fake.messages) == 1
    assert "opted out at Twilio" in caplog.text
    for seen in (caplog.text, response.text):
        assert "7700900123" not in seen, "the number is in the report's To field; it must go no further"


async def test_a_repeated_21610_report_does_not_undo_a_later_start(world) -> None:
    replies(await world.text("DEMO"))
    first = await _queue_update(world, "followup", "Thank you for your answers.")
    await world.tick()
    sid = world.fake.messages[0].sid
    assert (await world.status(sid, "undelivered", None, error_code="21610")).text == "recorded"
    assert await _stopped(world)
    replies(await world.text("START"))
    assert not await _stopped(world)
    # Twilio retries the report (or sends "failed" after "undelivered"): it changes nothing now.
    for state in ("undelivered", "failed"):
        response = await world.status(sid, state, first, error_code="21610")
        assert (response.status_code, response.text) == (200, "nothing to change")
    assert not await _stopped(world)


@pytest.mark.parametrize(("state", "code"), [("undelivered", "30003"), ("failed", "30007"), ("delivered", "21610")])
async def test_other_failures_and_a_stray_code_do_not_stop_the_person(world, state, code) -> None:
    replies(await world.text("DEMO"))
    await _queue_update(world, "followup")
    await world.tick()
    assert (await world.status(world.fake.messages[0].sid, state, None, error_code=code)).status_code == 200
    assert not await _stopped(world)


async def test_an_unsigned_21610_report_stops_nobody(world) -> None:
    replies(await world.text("DEMO"))
    await _queue_update(world, "followup")
    await world.tick()
    sid = world.fake.messages[0].sid
    form = status_form(sid, "failed", to=PERSON, from_="+447700900999", error_code="21610")
    for signature in (None, "bm90IGEgc2lnbmF0dXJl"):
        response = await world.post(STATUS_PATH, form, **{"X-Twilio-Signature": signature})
        assert response.status_code == 403
    assert not await _stopped(world)
