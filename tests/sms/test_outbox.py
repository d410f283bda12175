"""Proactive texts through the outbox and the real `twilio` client: quiet hours, back-off, queue overflow,
and delivery reports that arrive early, late or out of order."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.messages import Say
from bot.messages_json import message_to_dict
from storage.models import OutboxMessage

from .conftest import PERSON, replies


async def _queue(world, text: str = "We read your message. Thank you.", kind: str = "followup") -> int:
    async with world.parts.store.unit() as uow:
        person = await uow.participant("sms", PERSON)
        payload = {"messages": [message_to_dict(Say(text, emoji="🙏"))]}
        return await uow.enqueue(person.id, "sms", kind, payload)


async def _row(world, outbox_id: int) -> OutboxMessage:
    async with world.parts.database.engine.connect() as conn:
        return (await conn.execute(select(OutboxMessage).where(OutboxMessage.id == outbox_id))).one()


async def test_a_follow_up_written_at_night_waits_until_morning(world) -> None:
    world.clock.now = datetime(2026, 11, 24, 23, 5, tzinfo=UTC)  # 23:05 in London
    replies(await world.text("The 11pm reply came at once"))  # the inline answer is not held
    outbox_id = await _queue(world)
    assert (await world.tick()).deferred == 1
    world.clock.now = datetime(2026, 11, 25, 7, 59, tzinfo=UTC)
    await world.tick()
    assert world.fake.messages == [], "nothing is texted in the night"
    world.clock.now = datetime(2026, 11, 25, 8, 0, 30, tzinfo=UTC)
    assert (await world.tick()).sent == 1
    [message] = world.fake.messages
    assert message.to == PERSON and message.body == "We read your message. Thank you."  # plain GSM-7
    row = await _row(world, outbox_id)
    assert (row.status, row.provider_id) == ("sent", message.sid)
    assert (row.segments, row.encoding) == (1, "GSM-7")


async def test_too_many_requests_backs_off_as_twilio_asks_then_sends(world) -> None:
    outbox_id = await _queue(world)
    world.fake.fail_next(429, 20429, retry_after=120)
    assert (await world.tick()).retried == 1
    row = await _row(world, outbox_id)
    assert row.status == "pending" and "20429" in row.last_error
    assert row.next_attempt_at >= world.clock.now + timedelta(seconds=120)
    world.clock.advance(seconds=60)
    assert (await world.tick()).claimed == 0, "no retry before Twilio's Retry-After"
    world.clock.advance(seconds=61)
    assert (await world.tick()).sent == 1
    assert len(world.fake.messages) == 1


async def test_a_full_queue_at_twilio_is_retried_later_not_dropped(world) -> None:
    outbox_id = await _queue(world)
    world.fake.fail_next(400, 21611)
    world.fake.fail_next(400, 30001)
    assert (await world.tick()).retried == 1
    world.clock.advance(minutes=5)
    assert (await world.tick()).retried == 1
    world.clock.advance(minutes=10)
    assert (await world.tick()).sent == 1
    assert (await _row(world, outbox_id)).status == "sent"


async def test_statuses_out_of_order_never_move_backwards(world) -> None:
    outbox_id = await _queue(world)
    await world.tick()
    sid = world.fake.messages[0].sid
    for status in ("delivered", "sent", "queued", "sending"):
        response = await world.status(sid, status, outbox_id)
        assert response.status_code == 200
    assert (await _row(world, outbox_id)).status == "delivered"


async def test_a_report_that_beats_the_stored_sid_still_finds_its_row(world) -> None:
    outbox_id = await _queue(world)
    [item] = await world.parts.store.claim_outbox("w", now=world.clock.now, channels={"sms"})
    sender = world.parts.senders["sms"]
    sent = await sender.send(item.address, [Say("We read your message.")], outbox_id=item.id)
    # Twilio reports delivery before this worker has written the sid down.
    response = await world.status(sent.provider_id, "delivered", outbox_id)
    assert response.text == "recorded"
    store = world.parts.store
    await store.mark_sent(item.id, sent.provider_id, segments=sent.segments, encoding=sent.encoding)
    row = await _row(world, outbox_id)
    assert (row.status, row.provider_id, row.encoding) == ("delivered", sent.provider_id, "GSM-7")


async def test_an_undelivered_report_marks_the_message_failed(world) -> None:
    outbox_id = await _queue(world)
    await world.tick()
    response = await world.status(world.fake.messages[0].sid, "undelivered", outbox_id, error_code="30003")
    assert response.status_code == 200
    assert (await _row(world, outbox_id)).status == "failed"


async def test_a_report_for_a_message_we_never_sent_is_acknowledged_and_logged(world, caplog) -> None:
    caplog.set_level(logging.INFO)
    response = await world.status("SM" + "9" * 32, "delivered", None)
    assert response.status_code == 200 and response.text == "nothing to change"
    assert "unknown message" in caplog.text
    response = await world.status("SM" + "9" * 32, "delivered", 4242)
    assert response.status_code == 200 and response.text == "nothing to change"
    assert "7700900123" not in caplog.text


async def test_a_report_without_a_status_is_a_bad_request(world) -> None:
    from .conftest import OUR_NUMBER, status_form

    account = world.fake.account_sid
    form = status_form("SM" + "3" * 32, "sent", to=PERSON, from_=OUR_NUMBER, account_sid=account)
    form.pop("MessageStatus")
    form.pop("SmsStatus")
    assert (await world.post("/webhooks/twilio/status?outbox=1", form)).status_code == 400


async def test_whatsapp_updates_go_to_the_whatsapp_address(world) -> None:
    replies(await world.text("hello", from_="whatsapp:" + PERSON, to="whatsapp:+447700900999"))
    async with world.parts.store.unit() as uow:
        person = await uow.participant("whatsapp", PERSON)
        await uow.enqueue(person.id, "whatsapp", "broadcast", {"messages": [message_to_dict(Say("News"))]})
    assert (await world.tick()).sent == 1
    [message] = world.fake.messages
    assert (message.to, message.from_) == ("whatsapp:" + PERSON, "whatsapp:+447700900999")
