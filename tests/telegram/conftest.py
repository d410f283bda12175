"""Telegram test fixtures: a fake Bot API on 127.0.0.1 reached through PTB's real `Bot`, and the whole
service (build_parts) with its webhook route reached over ASGI.

httpx's ASGI transport runs the app in the test's own event loop, where the database's connections live
(Starlette's TestClient would run it in another loop, which asyncpg refuses). Replies go through the
outbox, so `world.send(update)` posts the update and then ticks the dispatcher, as the kick would.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from starlette.applications import Starlette

from bot.app.settings import load_settings
from bot.app.telegram import telegram_wiring
from bot.app.wiring import Parts, build_parts
from channels.telegram.routes import SECRET_HEADER, WEBHOOK_PATH
from storage.models import Answer

TEST_KEY = "k7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js-p2Wq8Ze5Ur7T"  # the app refuses to serve on a weaker key

# This folder has no __init__.py on purpose: as a package it would be imported as `telegram` and hide
# python-telegram-bot. Tests reach these helpers through fixtures (`world`, `make_world`, `fake_telegram`).
try:  # tests/ is not a package: `fakes` is importable from it
    from fakes.telegram_api import FakePerson, FakeTelegram
except ImportError:  # tests/ became a package
    from tests.fakes.telegram_api import FakePerson, FakeTelegram

WEBHOOK_SECRET = "test-webhook-secret_0123456789-k7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js-p2Wq8Ze5Ur7Ty1Io3Pa6Sd9Fg4Hj0Kl"
PUBLIC_URL = "https://said.example.org"


@pytest.fixture(scope="session")
def _running_fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture
def fake_telegram(_running_fake: FakeTelegram) -> Iterator[FakeTelegram]:
    _running_fake.reset()
    yield _running_fake
    _running_fake.reset()


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@dataclass
class TelegramWorld:
    parts: Parts
    http: httpx.AsyncClient
    fake: FakeTelegram
    clock: Clock

    def person(self, chat_id: int = 5550001234, **kwargs: Any) -> FakePerson:
        return self.fake.person(chat_id, **kwargs)

    async def post(self, update: dict[str, Any] | bytes | str, *, secret: str | None = WEBHOOK_SECRET,
                   **headers: str) -> httpx.Response:
        body = update if isinstance(update, bytes | str) else json.dumps(update)
        sent_headers = {"content-type": "application/json", **headers}
        if secret is not None:
            sent_headers[SECRET_HEADER] = secret
        return await self.http.post(WEBHOOK_PATH, content=body, headers=sent_headers)

    async def send(self, update: dict[str, Any], *, after_seconds: float = 3) -> httpx.Response:
        """Post an update as Telegram would, `after_seconds` after the last, then let the outbox deliver
        the reply. (The dispatcher holds one message a second to a chat on the test clock: a person
        tapping faster than that would see replies wait, in real time, in these tests too.)"""
        self.clock.advance(seconds=after_seconds)
        response = await self.post(update)
        assert response.status_code == 200, response.text
        await self.tick()
        return response

    async def tick(self) -> Any:
        return await self.parts.dispatcher.tick()

    async def count(self, model: Any) -> int:
        async with self.parts.database.engine.connect() as conn:
            return int((await conn.execute(select(func.count()).select_from(model))).scalar_one())

    async def rows(self, *columns: Any) -> list[Any]:
        async with self.parts.database.engine.connect() as conn:
            return list((await conn.execute(select(*columns))).all())

    async def answers(self) -> dict[str, str | None]:
        """question id -> value (or the words typed) of every stored answer."""
        rows = await self.rows(Answer.question_id, Answer.value, Answer.text)
        return {question: value if value is not None else text for question, value, text in rows}

    async def participant(self, chat_id: int) -> Any:
        async with self.parts.store.unit() as uow:
            return await uow.participant("telegram", str(chat_id), create=False)


def world_settings(fake: FakeTelegram, tmp_path: Path, **overrides: Any):
    return load_settings(
        secret_key=TEST_KEY, var_dir=tmp_path, scheduler=False, public_url=PUBLIC_URL,
        telegram_bot_token=fake.token, telegram_webhook_secret=WEBHOOK_SECRET,
        telegram_api_base_url=fake.base_url, **overrides,
    )


def wired_parts(settings: Any, database: Any, clock: Any, **wiring: Any) -> Parts:
    """The service as `bot/app/wiring.py` builds it, Telegram included; `wiring` (symbol cards) re-wires
    Telegram with those extras, into the same senders the dispatcher reads."""
    parts = build_parts(settings, database=database, clock=clock)
    assert "telegram" in parts.senders, "build_parts did not wire the Telegram sender"
    if wiring:
        routes, senders = telegram_wiring(settings, parts.service, clock=clock, **wiring)
        parts.channel_routes[:] = [r for r in parts.channel_routes if getattr(r, "path", "") != WEBHOOK_PATH]
        parts.channel_routes.extend(routes)
        parts.senders.update(senders)
    return parts


@asynccontextmanager
async def telegram_world(database: Any, fake: FakeTelegram, tmp_path: Path, *, wiring: dict[str, Any] | None = None,
                         **overrides: Any) -> AsyncIterator[TelegramWorld]:
    # A Tuesday at noon in London: inside office hours, outside quiet hours.
    clock = Clock(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    settings = world_settings(fake, tmp_path, **overrides)
    parts = wired_parts(settings, database, clock, **(wiring or {}))
    app = Starlette(routes=parts.channel_routes)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://internal:8000") as http:
        try:
            yield TelegramWorld(parts, http, fake, clock)
        finally:
            await parts.senders["telegram"].api.aclose()


@pytest.fixture
async def world(database, fake_telegram, tmp_path) -> AsyncIterator[TelegramWorld]:
    async with telegram_world(database, fake_telegram, tmp_path) as built:
        yield built


@pytest.fixture
def make_world(database, fake_telegram, tmp_path):
    """`async with make_world(sms_plain=True, wiring={"symbol_image": ...}) as world:` for a world with
    other settings or wiring."""

    def make(*, wiring: dict[str, Any] | None = None, **overrides: Any):
        return telegram_world(database, fake_telegram, tmp_path, wiring=wiring, **overrides)

    return make
