"""The real app with Telegram set up: three settings, one command, and the webhook answers; without the
settings Telegram is off; half of them is an error that says what is missing."""

from __future__ import annotations

import json
import time

import pytest
from starlette.testclient import TestClient

from bot.app.cli import main
from bot.app.settings import SettingsError, load_settings
from bot.app.telegram import ALLOWED_UPDATES, set_webhook, telegram_configured
from bot.app.wiring import create_app
from channels.telegram.routes import SECRET_HEADER, WEBHOOK_PATH

# A key of the strength the app asks for (32 random bytes); a test value, never a real one.
STRONG_KEY = "wiring-test-k7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js_k7Qz2Lp9Xv4Rt1Bm8"

SECRET = "a-webhook-secret_for_tests"


def _settings(tmp_path, fake=None, **overrides):
    base = {"secret_key": STRONG_KEY, "var_dir": tmp_path, "scheduler": False,
            "database_url": f"sqlite+aiosqlite:///{tmp_path / 'app.db'}", "public_url": "https://said.example.org"}
    if fake is not None:
        base |= {"telegram_bot_token": fake.token, "telegram_webhook_secret": SECRET,
                 "telegram_api_base_url": fake.base_url}
    return load_settings(**(base | overrides))


def test_the_whole_app_takes_updates_with_the_secret_and_refuses_them_without(fake_telegram, tmp_path) -> None:
    app = create_app(_settings(tmp_path, fake_telegram))
    person = fake_telegram.person(4242)
    with TestClient(app) as client:  # runs the lifespan: migrations, the dispatcher's kick loop
        refused = client.post(WEBHOOK_PATH, content=json.dumps(person.says("/start")))
        assert refused.status_code == 403
        answered = client.post(WEBHOOK_PATH, content=json.dumps(person.says("/start waiting_list")),
                               headers={SECRET_HEADER: SECRET, "content-type": "application/json"})
        assert answered.status_code == 200
        parts = app.state.parts
        assert parts.dispatcher.senders["telegram"].rate_per_second == 30.0
        # The reply goes out through the outbox: the kick after the webhook sends it (in the app's own
        # event loop, which TestClient runs in its thread), with no scheduler tick.
        deadline = time.monotonic() + 10
        while len(fake_telegram.texts(4242)) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
    texts = fake_telegram.texts(4242)
    assert any("Can we ask you 6 short questions?" in text for text in texts), texts


def test_without_telegram_settings_telegram_is_off(tmp_path) -> None:
    settings = _settings(tmp_path)
    assert not telegram_configured(settings)
    app = create_app(settings)
    with TestClient(app) as client:
        assert client.post(WEBHOOK_PATH, content=b"{}").status_code in (404, 405)
    assert "telegram" not in app.state.parts.dispatcher.senders


@pytest.mark.parametrize(
    ("given", "missing"),
    [
        ({"telegram_bot_token": "123:abc"}, "TELEGRAM_WEBHOOK_SECRET"),
        ({"telegram_webhook_secret": SECRET}, "TELEGRAM_BOT_TOKEN"),
        ({"telegram_bot_token": "123:abc", "telegram_webhook_secret": "has spaces and é"}, "TELEGRAM_WEBHOOK_SECRET"),
    ],
)
def test_half_a_telegram_configuration_says_what_is_missing(tmp_path, given, missing) -> None:
    with pytest.raises(SettingsError) as error:
        telegram_configured(_settings(tmp_path, **given))
    assert missing in str(error.value)
    assert "123:abc" not in str(error.value)


async def test_set_webhook_registers_the_url_the_secret_and_the_update_types(fake_telegram, tmp_path) -> None:
    summary = await set_webhook(_settings(tmp_path, fake_telegram))
    hook = fake_telegram.webhook
    assert hook["url"] == "https://said.example.org/webhooks/telegram"
    assert hook["secret_token"] == SECRET
    assert hook["allowed_updates"] == list(ALLOWED_UPDATES) == ["message", "callback_query", "my_chat_member"]
    assert f"@{fake_telegram.username}" in summary and hook["url"] in summary
    assert f"https://t.me/{fake_telegram.username}?start=waiting_list" in summary
    assert fake_telegram.token not in summary and SECRET not in summary


def test_said_telegram_set_webhook_is_one_command(fake_telegram, tmp_path, monkeypatch, capsys) -> None:
    for name, value in {"TELEGRAM_BOT_TOKEN": fake_telegram.token, "TELEGRAM_WEBHOOK_SECRET": SECRET,
                        "TELEGRAM_API_BASE_URL": fake_telegram.base_url,
                        "SAID_PUBLIC_URL": "https://said.example.org", "SAID_SECRET_KEY": "x" * 24}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)  # no stray .env
    assert main(["telegram", "set-webhook"]) == 0
    assert "Telegram will now send messages" in capsys.readouterr().out
    assert fake_telegram.webhook["url"] == "https://said.example.org/webhooks/telegram"


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"public_url": "http://said.example.org"}, "must be https://"),
        ({"telegram_bot_token": "999:not-the-right-token"}, "did not accept TELEGRAM_BOT_TOKEN"),
        ({"telegram_api_base_url": "http://127.0.0.1:9/bot"}, "Could not reach Telegram"),
    ],
)
async def test_set_webhook_problems_are_told_in_plain_words(fake_telegram, tmp_path, overrides, words) -> None:
    with pytest.raises(SettingsError) as error:
        await set_webhook(_settings(tmp_path, fake_telegram, **overrides))
    assert words in str(error.value)
    assert "not-the-right-token" not in str(error.value) and fake_telegram.token not in str(error.value)
    assert not fake_telegram.webhook
