"""Only Twilio may post to the webhooks: the signature is checked against the public URL, and a request
without a good one is refused with 403 and leaves nothing behind."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from storage.models import Feedback, InboundMessage, Participant

from .conftest import OUR_NUMBER, PERSON, inbound_form, replies, signed, sms_world


async def _stored(world) -> int:
    async with world.parts.database.engine.connect() as conn:
        total = 0
        for model in (Participant, Feedback, InboundMessage):
            total += int((await conn.execute(select(func.count()).select_from(model))).scalar_one())
    return total


def _form(world, body: str = "hello") -> dict[str, str]:
    return inbound_form(PERSON, OUR_NUMBER, body, account_sid=world.fake.account_sid)


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Twilio-Signature": None},  # missing
        {"X-Twilio-Signature": ""},  # empty
        {"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"},  # wrong
    ],
    ids=["missing", "empty", "wrong"],
)
async def test_a_request_without_a_good_signature_is_refused_and_stores_nothing(world, headers, caplog):
    caplog.set_level(logging.INFO)
    response = await world.post("/webhooks/twilio/sms", _form(world), **headers)
    assert response.status_code == 403
    assert await _stored(world) == 0
    assert "signature" in caplog.text and "7700900123" not in caplog.text


async def test_a_field_changed_after_signing_breaks_the_signature(world) -> None:
    form = _form(world, "I am happy")
    request = signed(world.fake.auth_token, world.public_url, "/webhooks/twilio/sms", form)
    tampered = {**form, "Body": "I am unhappy"}
    response = await world.http.post("/webhooks/twilio/sms", data=tampered, headers=request.headers)
    assert response.status_code == 403 and await _stored(world) == 0


async def test_a_signature_for_another_token_is_refused(world) -> None:
    form = _form(world)
    request = signed("someone-elses-token", world.public_url, "/webhooks/twilio/sms", form)
    response = await world.http.post("/webhooks/twilio/sms", data=form, headers=request.headers)
    assert response.status_code == 403


async def test_fields_twilio_adds_without_notice_are_signed_over_and_accepted(world) -> None:
    form = _form(world) | {"ChannelMetadata": '{"type":"sms"}', "AddOns": '{"status":"successful"}'}
    assert replies(await world.post("/webhooks/twilio/sms", form))


async def test_the_signature_is_checked_against_the_public_url_not_the_internal_host(world) -> None:
    form = _form(world)
    internal = signed(world.fake.auth_token, "http://internal:8000", "/webhooks/twilio/sms", form)
    response = await world.http.post("/webhooks/twilio/sms", data=form, headers=internal.headers)
    assert response.status_code == 403, "a request signed for the internal URL is not what Twilio signs"
    assert replies(await world.post("/webhooks/twilio/sms", form))


@pytest.mark.parametrize(
    "public_url",
    ["https://feedback.example.org:8443", "https://feedback.example.org/said", "http://203.0.113.7:8000"],
)
async def test_a_public_url_with_a_port_or_path_and_a_query_string_verifies(
    database, fake_twilio, tmp_path, public_url
) -> None:
    path_and_query = "/webhooks/twilio/sms?service=camhs&lang=en"
    async with sms_world(database, fake_twilio, tmp_path, public_url=public_url) as world:
        form = _form(world)
        assert replies(await world.post(path_and_query, form))
        # The query string is part of what Twilio signs: dropping it breaks the signature.
        without_query = signed(fake_twilio.auth_token, public_url, "/webhooks/twilio/sms", form)
        response = await world.http.post(path_and_query, data=form, headers=without_query.headers)
        assert response.status_code == 403


async def test_twilio_signing_with_the_default_port_still_verifies(database, fake_twilio, tmp_path):
    # Twilio has signed https URLs both with and without ":443"; RequestValidator accepts either.
    async with sms_world(database, fake_twilio, tmp_path, public_url="https://feedback.example.org") as world:
        form = _form(world)
        token = fake_twilio.auth_token
        with_port = signed(token, "https://feedback.example.org:443", "/webhooks/twilio/sms", form)
        response = await world.http.post("/webhooks/twilio/sms", data=form, headers=with_port.headers)
        assert replies(response)


async def test_status_callbacks_need_a_signature_too(world) -> None:
    from .conftest import status_form

    form = status_form("SM" + "2" * 32, "delivered", to=PERSON, from_=OUR_NUMBER)
    response = await world.http.post("/webhooks/twilio/status?outbox=1", data=form)
    assert response.status_code == 403


async def test_a_replayed_webhook_is_answered_again_but_processed_once(world) -> None:
    form = _form(world, "The new leaflet is clear")
    request = signed(world.fake.auth_token, world.public_url, "/webhooks/twilio/sms", form)
    first = await world.http.post("/webhooks/twilio/sms", data=form, headers=request.headers)
    replay = await world.http.post("/webhooks/twilio/sms", data=form, headers=request.headers)
    assert replies(first) == replies(replay)
    async with world.parts.database.engine.connect() as conn:
        assert (await conn.execute(select(func.count()).select_from(Feedback))).scalar_one() == 1
