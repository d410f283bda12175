"""Finding 4: the web chat and the webhooks are rate limited per client address and per chat session,
held in the database (so across processes), with a kind 429 page; on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import re

import httpx
import pytest
from sqlalchemy import func, select

from bot.app.wiring import create_app
from storage.models import Participant, RateSlot

from .conftest import app_settings

HIDDEN = re.compile(r'<input type="hidden" name="(csrf|turn)" value="([^"]*)">')


@pytest.fixture
async def make_app(database, tmp_path):
    made = []

    def make(**overrides):
        url = database.url.render_as_string(hide_password=False)
        app = create_app(app_settings(tmp_path, database_url=url, **overrides))
        made.append(app)
        return app

    yield make
    for app in made:
        await app.state.parts.database.dispose()


def _browser(app, client: str = "198.51.100.20", **headers: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(client, 50000))
    return httpx.AsyncClient(transport=transport, base_url="https://internal:8000", headers=headers)


async def _count(database, model) -> int:
    async with database.engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(model))).scalar_one())


async def test_one_address_hammering_the_chat_gets_a_kind_429_and_others_are_not_affected(make_app) -> None:
    app = make_app(chat_requests_per_minute=10)
    statuses = []
    async with _browser(app) as hammer:
        for _ in range(12):
            statuses.append((await hammer.get("/chat")).status_code)
        refused = await hammer.get("/chat")
    assert statuses[:5] == [200] * 5
    assert 429 in statuses
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert "Please wait one minute" in refused.text and '<html lang="en">' in refused.text
    assert "frame-ancestors 'none'" in refused.headers["content-security-policy"]
    async with _browser(app, client="198.51.100.21") as neighbour:
        assert (await neighbour.get("/chat")).status_code == 200


async def test_one_chat_session_posting_too_fast_is_refused_and_nothing_it_sent_is_stored(make_app, database) -> None:
    app = make_app(chat_posts_per_minute=6, chat_requests_per_minute=1000)
    async with _browser(app) as browser:
        page = await browser.get("/chat")
        fields = dict(HIDDEN.findall(page.text))
        statuses = []
        for n in range(10):
            sent = await browser.post("/chat", data={**fields, "text": f"message {n}"}, follow_redirects=False)
            statuses.append(sent.status_code)
            if sent.status_code == 303:
                fields = dict(HIDDEN.findall((await browser.get("/chat")).text))
    assert statuses.count(303) == 3  # half the per-minute number at once, then one every 10 s
    assert statuses[3:] == [429] * 7
    assert await _count(database, Participant) == 1
    # Keys are keyed hashes: no address or session token is stored in the rate slots.
    async with database.engine.connect() as conn:
        keys = [row[0] for row in await conn.execute(select(RateSlot.key))]
    assert keys and not any("198.51.100.20" in key or browser.cookies["said_chat"] in key for key in keys)


async def test_an_address_sending_unsigned_webhooks_is_refused_before_its_body_is_read(make_app) -> None:
    app = make_app(webhook_refusals_per_hour=15)  # 5 at once
    form = {"From": "+447700900123", "To": "+447700900999", "Body": "hi", "MessageSid": "SM" + "1" * 32}
    async with _browser(app, client="203.0.113.66") as attacker:
        statuses = [(await attacker.post("/webhooks/twilio/sms", data=form)).status_code for _ in range(8)]
        telegram = await attacker.post("/webhooks/telegram", content=b"{}")
    assert statuses[:5] == [403] * 5
    assert statuses[5:] == [429] * 3
    assert telegram.status_code == 429
    async with _browser(app, client="203.0.113.67") as twilio:
        assert (await twilio.post("/webhooks/twilio/sms", data=form)).status_code == 403  # judged on its own


async def test_behind_an_untrusted_proxy_per_address_limits_are_off_and_the_log_says_what_to_set(
    make_app, caplog
) -> None:
    app = make_app(chat_requests_per_minute=10)
    with caplog.at_level(logging.ERROR, logger="said.ratelimit"):
        for n in range(15):  # fifteen people, all seeming to come from the proxy's address
            async with _browser(app, client="10.0.0.2", **{"X-Forwarded-For": f"192.0.2.{n}"}) as person:
                assert (await person.get("/chat")).status_code == 200
    assert "FORWARDED_ALLOW_IPS" in caplog.text
    assert "192.0.2." not in caplog.text
