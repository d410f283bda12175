"""Proactive texts through the real `twilio` client against the fake Twilio API: what arrives, what it
costs, and how each Twilio refusal reaches the dispatcher."""

from __future__ import annotations

import socket

import pytest

from bot.messages import Ask, Choice, Say
from channels.base import SendFailed
from channels.twilio_sms.client import TwilioApi
from channels.twilio_sms.sender import TwilioSender

PERSON = "+447700900123"
OURS = "+447700900999"
PUBLIC = "https://said.example.org"

QUESTION = Ask(
    question_id="visit",
    text="How was your visit?",
    kind="choice",
    language="en",
    emoji="⭐",
    choices=(
        Choice("good", "Good", "happy", "😊", "1"),
        Choice("ok", "OK", "neutral", "😐", "2"),
        Choice("bad", "Not good", "sad", "🙁", "3"),
    ),
    hint="Reply with a number.",
)


@pytest.fixture
async def apis():
    made: list[TwilioApi] = []
    yield made
    for api in made:
        await api.aclose()


@pytest.fixture
def make_sender(fake_twilio, apis):
    def make(*, channel="sms", plain=False, service=None, from_number=OURS, token=None) -> TwilioSender:
        token = token or fake_twilio.auth_token
        api = TwilioApi(fake_twilio.account_sid, token, base_url=fake_twilio.base_url, timeout=5)
        apis.append(api)
        return TwilioSender(api, channel=channel, public_url=PUBLIC, from_number=from_number,
                            messaging_service_sid=service, plain=plain)

    return make


async def test_a_question_arrives_with_our_id_in_the_status_callback_and_its_cost(
    make_sender, fake_twilio
) -> None:
    sent = await make_sender(plain=False).send(PERSON, [QUESTION], outbox_id=42)
    [message] = fake_twilio.messages
    assert message.sid == sent.provider_id
    assert message.to == PERSON and message.from_ == OURS
    # Symbols on (SAID_SMS_SYMBOLS): on the left, where easy read puts its pictures.
    assert message.body == "⭐ How was your visit?\n1 😊 Good\n2 😐 OK\n3 🙁 Not good\nReply with a number."
    assert message.status_callback == f"{PUBLIC}/webhooks/twilio/status?outbox=42"
    assert (sent.encoding, sent.segments) == ("UCS-2", 2)  # 76 UTF-16 units: over 70 with emoji


async def test_plain_rendering_keeps_the_same_question_to_one_gsm7_segment(
    make_sender, fake_twilio
) -> None:
    sent = await make_sender(plain=True).send(PERSON, [QUESTION], outbox_id=1)
    plain = "How was your visit?\n1 Good\n2 OK\n3 Not good\nReply with a number."
    assert fake_twilio.messages[0].body == plain
    assert (sent.encoding, sent.segments) == ("GSM-7", 1)


async def test_whatsapp_goes_to_and_from_whatsapp_addresses_and_keeps_its_emoji(
    make_sender, fake_twilio
) -> None:
    sent = await make_sender(channel="whatsapp", plain=True).send(
        "whatsapp:" + PERSON, [Say("Thank you", emoji="🙏")], outbox_id=3
    )
    [message] = fake_twilio.messages
    assert (message.to, message.from_) == ("whatsapp:" + PERSON, "whatsapp:" + OURS)
    assert message.body == "🙏 Thank you"
    assert sent.provider_id == message.sid


async def test_a_messaging_service_picks_the_sender(make_sender, fake_twilio) -> None:
    await make_sender(service="MG" + "1" * 32, from_number=None).send(PERSON, [Say("Hi")], outbox_id=4)
    [message] = fake_twilio.messages
    assert message.messaging_service_sid == "MG" + "1" * 32 and message.from_ is None


async def test_a_text_longer_than_twilio_allows_goes_as_several_messages(make_sender, fake_twilio) -> None:
    paragraphs = [Say(f"Part {n}. " + "We listened to what you said. " * 12) for n in range(6)]
    sent = await make_sender().send(PERSON, paragraphs, outbox_id=5)
    bodies = [m.body for m in fake_twilio.messages]
    assert len(bodies) >= 2 and all(len(b) <= 1600 for b in bodies)
    assert " ".join(bodies).count("We listened") == 6 * 12
    assert sent.provider_id == fake_twilio.messages[-1].sid
    assert sent.segments is not None and sent.segments >= 13  # about 2,300 GSM-7 characters


async def test_stop_at_twilio_stops_contact_and_the_reason_hides_the_number(make_sender, fake_twilio) -> None:
    fake_twilio.opted_out.add(PERSON)
    with pytest.raises(SendFailed) as failed:
        await make_sender().send(PERSON, [Say("Hello")], outbox_id=6)
    assert failed.value.stop_contact and not failed.value.retryable
    assert "21610" in failed.value.reason
    assert "7700900123" not in str(failed.value) and "7700900123" not in failed.value.reason


@pytest.mark.parametrize(
    ("status", "code", "retry_after", "expected_wait"),
    [
        (429, 20429, 7, 7.0),  # Twilio said how long
        (429, 20429, None, None),  # the dispatcher's back-off decides
        (400, 21611, None, 60.0),  # queue overflow: later, never dropped
        (400, 30001, None, 60.0),
        (503, 20500, None, None),
    ],
)
async def test_busy_answers_are_retried_later(
    make_sender, fake_twilio, status, code, retry_after, expected_wait
) -> None:
    fake_twilio.fail_next(status, code, retry_after=retry_after)
    with pytest.raises(SendFailed) as failed:
        await make_sender().send(PERSON, [Say("Hello")], outbox_id=7)
    assert failed.value.retryable and not failed.value.stop_contact
    assert failed.value.retry_after == expected_wait
    # The next attempt goes through.
    assert (await make_sender().send(PERSON, [Say("Hello")], outbox_id=7)).provider_id


async def test_a_number_twilio_cannot_reach_is_given_up_without_quoting_it(make_sender, fake_twilio) -> None:
    with pytest.raises(SendFailed) as failed:
        await make_sender().send("+44123", [Say("Hello")], outbox_id=8)
    assert not failed.value.retryable and not failed.value.stop_contact
    assert "21211" in failed.value.reason and "44123" not in failed.value.reason


async def test_wrong_credentials_are_an_account_problem_retried_later(make_sender, fake_twilio) -> None:
    with pytest.raises(SendFailed) as failed:
        await make_sender(token="not-the-token").send(PERSON, [Say("Hello")], outbox_id=9)
    assert failed.value.retryable and "20003" in failed.value.reason
    assert fake_twilio.messages == []


async def test_twilio_out_of_reach_is_retried_later(apis) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    api = TwilioApi("AC" + "0" * 32, "token", base_url=f"http://127.0.0.1:{port}", timeout=2)
    apis.append(api)
    sender = TwilioSender(api, public_url=PUBLIC, from_number=OURS)
    with pytest.raises(SendFailed) as failed:
        await sender.send(PERSON, [Say("Hello")], outbox_id=10)
    assert failed.value.retryable


async def test_nothing_to_say_is_not_sent(make_sender, fake_twilio) -> None:
    with pytest.raises(SendFailed) as failed:
        await make_sender().send(PERSON, [Say("   ")], outbox_id=11)
    assert not failed.value.retryable
    assert fake_twilio.requests == []
