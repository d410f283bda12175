"""A parent texting the service number: a whole pack by SMS, general messages, duplicates, odd input."""

from __future__ import annotations

import logging

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from storage.models import Answer, Feedback, InboundMessage, Submission

from .conftest import OUR_NUMBER, PERSON, replies


async def _count(world, model) -> int:
    async with world.parts.database.engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(model))).scalar_one())


async def test_a_whole_pack_by_text_one_question_at_a_time(world) -> None:
    script = [
        ("DEMO", "Is it OK to ask you up to 5 short questions?"),
        ("yes", "How was your last visit?"),
        ("2", "How well did we listen to you?"),
        ("1", "What could we do better?"),  # key 1 is the best answer, "A lot", as "Good" was
        ("The wait was long", "How many weeks did you wait"),
        ("6", "Can we tell you what we do about your answers?"),
        ("YES", "Thank you. Your answers will help us"),
    ]
    for text, expected in script:
        [answer] = replies(await world.text(text))
        assert expected in answer, f"after {text!r} the bot said {answer!r}"
        assert answer.count("?") <= 1 or "Is it OK" in answer  # one question a message
    async with world.parts.database.engine.connect() as conn:
        rows = {q: v for q, v in (await conn.execute(select(Answer.question_id, Answer.value))).all()}
        status = (await conn.execute(select(Submission.status))).scalar_one()
    assert rows["overall"] == "ok" and rows["listened"] == "3"
    assert status == "completed"


async def test_a_question_is_plain_gsm7_in_one_segment_with_numbered_choices(world) -> None:
    from channels.segments import sms_cost

    await world.text("DEMO")
    [question] = replies(await world.text("yes"))
    assert question == "How was your last visit?\n1 Good\n2 OK\n3 Poor\nReply 1, 2 or 3."
    cost = sms_cost(question)
    assert (cost.encoding, cost.segments) == ("GSM-7", 1)


async def test_sms_symbols_can_be_turned_back_on(database, fake_twilio, tmp_path) -> None:
    from .conftest import sms_world

    async with sms_world(database, fake_twilio, tmp_path, sms_symbols=True) as world:
        await world.text("DEMO")
        [question] = replies(await world.text("yes"))
    assert question.startswith("⭐ How was your last visit?") and "1 😀 Good" in question


async def test_plain_rendering_keeps_a_question_to_one_gsm7_segment(database, fake_twilio, tmp_path) -> None:
    from channels.segments import sms_cost

    from .conftest import sms_world

    async with sms_world(database, fake_twilio, tmp_path, sms_plain=True) as world:
        await world.text("DEMO")
        [question] = replies(await world.text("yes"))
    cost = sms_cost(question)  # needs `sms_plain` (SAID_SMS_PLAIN) in bot/app/settings.py
    assert cost.encoding == "GSM-7" and cost.segments == 1, question


async def test_text_outside_a_conversation_is_kept_and_answered_with_when_a_person_reads_it(world) -> None:
    [answer] = replies(await world.text("The waiting room was too noisy for my son"))
    assert "A person will read it" in answer
    assert await _count(world, Feedback) == 1


async def test_the_same_message_sid_is_answered_the_same_and_processed_once(world) -> None:
    first = await world.text("DEMO", sid="SM" + "1" * 32)
    again = await world.text("DEMO", sid="SM" + "1" * 32)
    assert replies(first) == replies(again) and replies(first)
    assert await _count(world, InboundMessage) == 1
    # Had it been processed twice, "DEMO" would not now be waiting for the consent answer.
    [answer] = replies(await world.text("yes"))
    assert "How was your last visit?" in answer


async def test_a_retry_carrying_only_the_idempotency_token_is_processed_once(world) -> None:
    from .conftest import inbound_form

    form = inbound_form(PERSON, OUR_NUMBER, "I like the new room", account_sid=world.fake.account_sid)
    for name in ("MessageSid", "SmsSid", "SmsMessageSid"):
        form.pop(name)
    first = await world.post("/webhooks/twilio/sms", form, **{"I-Twilio-Idempotency-Token": "retry-token-1"})
    again = await world.post("/webhooks/twilio/sms", form, **{"I-Twilio-Idempotency-Token": "retry-token-1"})
    assert replies(first) == replies(again)
    assert await _count(world, Feedback) == 1


async def test_a_picture_alone_is_kept_as_sent_a_picture_and_not_downloaded(world) -> None:
    response = await world.text("", media_types=("image/jpeg",))
    assert replies(response)
    async with world.parts.database.engine.connect() as conn:
        feedback = (await conn.execute(select(Feedback.text, Feedback.media))).one()
    assert feedback.media == "picture" and not feedback.text
    assert all("Media" not in r.path for r in world.fake.requests)


async def test_an_empty_message_gets_a_kind_answer_and_nothing_is_stored(world) -> None:
    assert replies(await world.text(""))
    assert await _count(world, Feedback) == 0


async def test_a_1600_character_message_is_kept(world) -> None:
    body = ("We waited a long time and nobody told us why. " * 40)[:1600]
    answer = replies(await world.text(body))
    assert answer and "A person will read it" in answer[0]
    async with world.parts.database.engine.connect() as conn:
        kept = (await conn.execute(select(Feedback.text))).scalar_one()
    assert kept.startswith("We waited a long time") and len(kept) >= 1000


async def test_whatsapp_through_twilio_is_the_same_conversation_on_its_own_channel(world) -> None:
    [answer] = replies(await world.text("DEMO", from_="whatsapp:" + PERSON, to="whatsapp:" + OUR_NUMBER))
    assert "Is it OK to ask you" in answer
    async with world.parts.store.unit() as uow:
        assert await uow.participant("whatsapp", PERSON, create=False) is not None
        assert await uow.participant("sms", PERSON, create=False) is None


async def test_a_message_to_a_number_we_do_not_use_is_ignored_politely(world, caplog) -> None:
    caplog.set_level(logging.INFO)
    response = await world.text("hello", to="+447700900555")
    assert response.status_code == 200 and replies(response) == []
    assert await _count(world, Feedback) == 0
    assert "does not use" in caplog.text and "7700900555" not in caplog.text


async def test_missing_fields_are_a_bad_request_that_names_the_field(world) -> None:
    from .conftest import inbound_form

    form = inbound_form(PERSON, OUR_NUMBER, "hello", account_sid=world.fake.account_sid)
    form.pop("From")
    response = await world.post("/webhooks/twilio/sms", form)
    assert response.status_code == 400 and "From" in response.text
    form = inbound_form(PERSON, OUR_NUMBER, "hello", account_sid=world.fake.account_sid)
    for name in ("MessageSid", "SmsSid", "SmsMessageSid"):
        form.pop(name)
    response = await world.post("/webhooks/twilio/sms", form, **{"I-Twilio-Idempotency-Token": None})
    assert response.status_code == 400 and "MessageSid" in response.text
    assert await _count(world, Feedback) == 0


async def test_an_oversized_body_is_refused_before_it_is_read(world) -> None:
    response = await world.http.post(
        "/webhooks/twilio/sms", content=b"Body=" + b"a" * 70_000,
        headers={"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": "x"},
    )
    assert response.status_code == 413


async def test_two_copies_of_a_webhook_at_the_same_moment_are_processed_once(world) -> None:
    import asyncio

    replies(await world.text("DEMO"))
    sid = "SM" + "7" * 32
    first, second = await asyncio.gather(world.text("yes", sid=sid), world.text("yes", sid=sid))
    assert replies(first) == replies(second)
    assert "How was your last visit?" in replies(first)[0]
    # Processed once: the consent was not answered twice, so "1" answers the first question.
    [answer] = replies(await world.text("1"))
    assert "How well did we listen to you?" in answer


any_body = st.text(st.characters(blacklist_categories=("Cs",)), max_size=1700)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=any_body, media=st.lists(st.sampled_from(["image/jpeg", "audio/ogg", "text/vcard"]), max_size=2))
async def test_whatever_a_phone_sends_gets_a_well_formed_answer(world, body, media) -> None:
    response = await world.text(body, media_types=tuple(media))
    answer = replies(response)  # 200, XML that parses, one <Message> a text
    assert answer and all(0 < len(text) <= 1600 for text in answer)
