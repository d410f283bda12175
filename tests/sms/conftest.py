"""SMS test fixtures: a fake Twilio REST API on 127.0.0.1, reached through the real `twilio` client."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from bot.app.settings import load_settings
from bot.app.wiring import Parts, build_parts
from channels.twilio_sms.routes import SMS_PATH, STATUS_PATH

try:  # tests/ is not a package: pytest imports this folder as `sms`, beside `fakes`
    from fakes.twilio_api import FakeTwilio
    from fakes.twilio_webhooks import inbound_form, signed, status_form
except ImportError:  # tests/ became a package
    from tests.fakes.twilio_api import FakeTwilio
    from tests.fakes.twilio_webhooks import inbound_form, signed, status_form


@pytest.fixture(scope="session")
def _running_fake() -> Iterator[FakeTwilio]:
    with FakeTwilio() as fake:
        yield fake


@pytest.fixture
def fake_twilio(_running_fake: FakeTwilio) -> Iterator[FakeTwilio]:
    _running_fake.reset()
    _running_fake.rate_limit_per_second = None
    yield _running_fake
    _running_fake.reset()


PERSON = "+447700900123"  # Ofcom's drama range: never a real person
OUR_NUMBER = "+447700900999"
PUBLIC_URL = "https://said.example.org"


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@dataclass
class SmsWorld:
    """The service with Twilio configured against the fake API, webhooks reached over ASGI.

    httpx's ASGI transport runs the app in the test's own event loop, where the database's connections
    live (Starlette's TestClient would run it in another loop, which asyncpg refuses).
    """

    parts: Parts
    http: httpx.AsyncClient
    fake: FakeTwilio
    clock: Clock
    public_url: str

    async def text(
        self, body: str, *, from_: str = PERSON, to: str = OUR_NUMBER, sid: str | None = None, **kwargs: Any
    ) -> httpx.Response:
        form = inbound_form(from_, to, body, sid=sid, account_sid=self.fake.account_sid, **kwargs)
        return await self.post(SMS_PATH, form)

    async def post(self, path_and_query: str, form: dict[str, str], **header_changes: str | None):
        request = signed(self.fake.auth_token, self.public_url, path_and_query, form)
        headers = {k: v for k, v in {**request.headers, **header_changes}.items() if v is not None}
        return await self.http.post(path_and_query, data=form, headers=headers)

    async def status(self, sid: str, status: str, outbox_id: int | None, **kwargs: str) -> httpx.Response:
        query = f"?outbox={outbox_id}" if outbox_id is not None else ""
        account = self.fake.account_sid
        form = status_form(sid, status, to=PERSON, from_=OUR_NUMBER, account_sid=account, **kwargs)
        return await self.post(STATUS_PATH + query, form)

    async def tick(self) -> Any:
        return await self.parts.dispatcher.tick()


def replies(response: httpx.Response) -> list[str]:
    """The texts a TwiML answer sends, in order."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    return [m.text or "" for m in ET.fromstring(response.text).findall("Message")]


def world_settings(fake: FakeTwilio, tmp_path: Path, public_url: str = PUBLIC_URL, **overrides: Any):
    return load_settings(
        secret_key="sms-test-secret-k7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js_k7Qz2Lp9Xv4",
        var_dir=tmp_path, scheduler=False, public_url=public_url,
        twilio_account_sid=fake.account_sid, twilio_auth_token=fake.auth_token,
        twilio_phone_number=OUR_NUMBER, twilio_api_base_url=fake.base_url, **overrides,
    )


@asynccontextmanager
async def sms_world(
    database: Any, fake: FakeTwilio, tmp_path: Path, *, public_url: str = PUBLIC_URL, **overrides: Any
) -> AsyncIterator[SmsWorld]:
    # A Tuesday at noon in London: inside office hours, outside quiet hours.
    clock = Clock(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    settings = world_settings(fake, tmp_path, public_url, **overrides)
    parts = build_parts(settings, database=database, clock=clock)
    # The app's own channel routes (create_app mounts the same list) on their own, with the test clock.
    app = Starlette(routes=parts.channel_routes)
    senders = {name: sender for name, sender in parts.senders.items() if name in ("sms", "whatsapp")}
    assert senders, "build_parts did not wire the Twilio senders"
    transport = httpx.ASGITransport(app=app)
    # The app sits behind a proxy: its own host is not the public URL Twilio signs.
    async with httpx.AsyncClient(transport=transport, base_url="http://internal:8000") as http:
        try:
            yield SmsWorld(parts, http, fake, clock, public_url)
        finally:
            for sender in senders.values():
                await sender.aclose()


@pytest.fixture
async def world(database, fake_twilio, tmp_path) -> AsyncIterator[SmsWorld]:
    async with sms_world(database, fake_twilio, tmp_path) as built:
        yield built
