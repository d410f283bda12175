"""The real app: with Twilio configured, `/webhooks/twilio/sms` answers and the outbox can text; without
it, SMS is simply off; half a configuration is an error that says what is missing."""

from __future__ import annotations

import httpx
import pytest

from bot.app.settings import SettingsError, load_settings
from bot.app.twilio import twilio_configured
from bot.app.wiring import create_app

from .conftest import OUR_NUMBER, PERSON, inbound_form, replies, signed, world_settings

# A key of the strength the app asks for (32 random bytes); a test value, never a real one.
STRONG_KEY = "wiring-test-k7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js_k7Qz2Lp9Xv4Rt1Bm8"


async def test_the_whole_app_answers_a_signed_text_and_can_send_texts(fake_twilio, tmp_path) -> None:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'app.db'}"
    settings = world_settings(fake_twilio, tmp_path, database_url=database_url)
    app = create_app(settings)
    form = inbound_form(PERSON, OUR_NUMBER, "DEMO", account_sid=fake_twilio.account_sid)
    request = signed(fake_twilio.auth_token, settings.public_url, "/webhooks/twilio/sms", form)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as http:
            response = await http.post("/webhooks/twilio/sms", data=form, headers=request.headers)
            [answer] = replies(response)
            assert "Is it OK to ask you" in answer
            parts = app.state.parts
            assert {"sms", "whatsapp"} <= set(parts.dispatcher.senders)
            assert parts.dispatcher.senders["sms"].rate_per_second == 1.0


async def test_without_twilio_settings_sms_is_off(tmp_path) -> None:
    settings = load_settings(secret_key=STRONG_KEY, var_dir=tmp_path, scheduler=False,
                             database_url=f"sqlite+aiosqlite:///{tmp_path / 'app.db'}")
    assert not twilio_configured(settings)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as http:
            assert (await http.post("/webhooks/twilio/sms", data={"Body": "hi"})).status_code in (404, 405)
    assert "sms" not in app.state.parts.dispatcher.senders


@pytest.mark.parametrize(
    ("given", "missing"),
    [
        ({"twilio_account_sid": "AC1"}, "TWILIO_AUTH_TOKEN"),
        ({"twilio_account_sid": "AC1", "twilio_auth_token": "t"}, "TWILIO_PHONE_NUMBER"),
        ({"twilio_auth_token": "t", "twilio_phone_number": "+447700900999"}, "TWILIO_ACCOUNT_SID"),
    ],
)
def test_half_a_twilio_configuration_says_what_is_missing(tmp_path, given, missing) -> None:
    settings = load_settings(secret_key=STRONG_KEY, var_dir=tmp_path, **given)
    with pytest.raises(SettingsError) as error:
        twilio_configured(settings)
    assert missing in str(error.value)
