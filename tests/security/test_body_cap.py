"""Finding 1: every route that reads a body stops at its cap. An unsigned, chunked POST of up to 600 MB
is refused with 413 having read no more than the cap and one chunk, before any signature is checked."""

from __future__ import annotations

import pytest

from bot.app.wiring import create_app
from channels.telegram.routes import SECRET_HEADER

from .conftest import TELEGRAM_SECRET, app_settings, endless, raw_post

CHUNK = 64 * 1024
FORM = {"content-type": "application/x-www-form-urlencoded"}

# (path, headers, the route's cap in bytes)
ROUTES = [
    ("/webhooks/twilio/sms", FORM, 64 * 1024),
    ("/webhooks/twilio/status", FORM, 64 * 1024),
    ("/webhooks/twilio/voice", FORM, 64 * 1024),
    ("/webhooks/twilio/voice/answer", FORM, 64 * 1024),
    ("/webhooks/twilio/voice/silence", FORM, 64 * 1024),
    ("/webhooks/telegram", {"content-type": "application/json", SECRET_HEADER: TELEGRAM_SECRET}, 256 * 1024),
    ("/chat", FORM, 256 * 1024),
    ("/chat/new", FORM, 256 * 1024),
    ("/staff/login", FORM, 64 * 1024),
]


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):
    return create_app(app_settings(tmp_path_factory.mktemp("body-cap")))


@pytest.mark.parametrize(("path", "headers", "cap"), ROUTES, ids=[r[0] for r in ROUTES])
async def test_a_huge_chunked_body_is_refused_having_read_no_more_than_the_cap(app, path, headers, cap) -> None:
    # 600 MB offered; a reader that reads everything first would pull all of it (and take the memory).
    answer = await raw_post(app, path, endless(CHUNK), headers=headers)
    assert answer.status == 413
    assert answer.bytes_read <= cap + CHUNK + 16


@pytest.mark.parametrize(("path", "headers", "cap"), ROUTES, ids=[r[0] for r in ROUTES])
async def test_a_declared_length_over_the_cap_is_refused_before_reading_anything(app, path, headers, cap) -> None:
    answer = await raw_post(
        app, path, endless(CHUNK), headers={**headers, "content-length": str(600 * 1024 * 1024)}
    )
    assert answer.status == 413
    assert answer.bytes_read == 0
