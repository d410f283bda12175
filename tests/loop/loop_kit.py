"""Helpers for the "You said, we did" tests (fixtures in conftest.py): the whole service with SMS (fake Twilio)
and Telegram (fake Bot API), the `Loop` on the same database, a clock the test moves, and a `Seeder` that
adds people who answered, with consents, straight through the storage API (fast).

httpx's ASGI transport runs the app in the test's own event loop, where the database's connections live.
The SMS rate is set high so a batch is not held back in real time by the fake clock; spreading and
rates have their own tests.
"""

from __future__ import annotations

import json
import uuid
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select
from starlette.applications import Starlette

from bot.app.loop import build_loop
from bot.app.settings import load_settings
from bot.app.wiring import Parts, build_parts
from bot.loop.loop import Loop
from bot.web.public.routes import public_routes
from channels.telegram.routes import SECRET_HEADER, WEBHOOK_PATH
from channels.twilio_sms.routes import SMS_PATH
from storage.loop.tables import LoopContact
from storage.models import Answer, Feedback, OutboxMessage, Submission
from storage.staff.records import Actor

try:  # tests/ is not a package: `fakes` is importable from it
    from fakes.telegram_api import FakePerson, FakeTelegram
    from fakes.twilio_api import FakeTwilio
    from fakes.twilio_webhooks import inbound_form, signed
except ImportError:  # tests/ became a package
    from tests.fakes.telegram_api import FakePerson, FakeTelegram
    from tests.fakes.twilio_api import FakeTwilio
    from tests.fakes.twilio_webhooks import inbound_form, signed

PUBLIC_URL = "https://said.example.org"
OUR_NUMBER = "+447700900999"
WEBHOOK_SECRET = "loop-webhook-secret_0123456789-k7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js-p2Wq8Ze5Ur7Ty1Io3Pa6Sd9Fg4Hj0Kl"
NOON = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # a Tuesday; London is on UTC in November
STAFF = Actor("staff@example.org")


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def world_settings(twilio: FakeTwilio, telegram: FakeTelegram, tmp_path: Path, **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "secret_key": "loop-test-secret", "var_dir": tmp_path, "scheduler": False, "public_url": PUBLIC_URL,
        "twilio_account_sid": twilio.account_sid, "twilio_auth_token": twilio.auth_token,
        "twilio_phone_number": OUR_NUMBER, "twilio_api_base_url": twilio.base_url,
        "telegram_bot_token": telegram.token, "telegram_webhook_secret": WEBHOOK_SECRET,
        "telegram_api_base_url": telegram.base_url, "sms_rate_per_second": 1000,
    }
    return load_settings(**(values | overrides))


@dataclass
class LoopWorld:
    parts: Parts
    loop: Loop
    http: httpx.AsyncClient
    twilio: FakeTwilio
    telegram: FakeTelegram
    clock: Clock

    # People talking to the bot

    async def sms(self, number: str, body: str) -> list[str]:
        """Text the bot from `number`; the texts it answers with (SMS replies come back in the webhook)."""
        form = inbound_form(number, OUR_NUMBER, body, account_sid=self.twilio.account_sid)
        request = signed(self.twilio.auth_token, PUBLIC_URL, SMS_PATH, form)
        response = await self.http.post(SMS_PATH, data=form, headers=request.headers)
        assert response.status_code == 200, response.text
        return [m.text or "" for m in ET.fromstring(response.text).findall("Message")]

    async def sms_conversation(self, number: str, *bodies: str) -> None:
        for body in bodies:
            self.clock.advance(seconds=5)
            await self.sms(number, body)

    def person(self, chat_id: int, language_code: str = "en") -> FakePerson:
        return self.telegram.person(chat_id, language_code=language_code)

    async def post_telegram(self, update: dict[str, Any]) -> None:
        self.clock.advance(seconds=5)
        headers = {"content-type": "application/json", SECRET_HEADER: WEBHOOK_SECRET}
        response = await self.http.post(WEBHOOK_PATH, content=json.dumps(update), headers=headers)
        assert response.status_code == 200, response.text
        await self.parts.dispatcher.tick()  # the reply goes through the outbox

    async def telegram_conversation(self, person: FakePerson, *texts: str) -> None:
        for text in texts:
            await self.post_telegram(person.says(text))

    # Time and the outbox

    async def deliver(self, *, step: float = 5, most: int = 200) -> int:
        """Tick the dispatcher, moving the clock on, until nothing is due any more. Messages sent."""
        sent = 0
        for _ in range(most):
            stats = await self.parts.dispatcher.tick()
            sent += stats.sent
            if not await self.due():
                return sent
            self.clock.advance(seconds=step)
        raise AssertionError("the outbox did not empty")

    async def due(self) -> int:
        """Outbox rows waiting to be sent by now (pending and due, or claimed)."""
        async with self.parts.database.engine.connect() as conn:
            waiting = select(func.count()).where(
                (OutboxMessage.status == "sending")
                | ((OutboxMessage.status == "pending") & (OutboxMessage.next_attempt_at <= self.clock.now))
            )
            return int(await conn.scalar(waiting) or 0)

    async def rows(self, *columns: Any, where: Any = None) -> list[Any]:
        query = select(*columns)
        if where is not None:
            query = query.where(where)
        async with self.parts.database.engine.connect() as conn:
            return list((await conn.execute(query)).all())

    async def texts_to(self, number: str) -> list[str]:
        return [m.body for m in self.twilio.messages if m.to == number]

    async def answer_ids(self, words: str) -> list[int]:
        """Ids of the written answers containing `words`, for staff to tag."""
        found = await self.rows(Answer.id, where=Answer.text.contains(words))
        return [row.id for row in found]

    async def contacts(self) -> list[Any]:
        return await self.rows(
            LoopContact.participant_id, LoopContact.channel, LoopContact.language, LoopContact.answer,
            LoopContact.feedback_id,
        )

    async def feedback_texts(self) -> list[str]:
        return [row.text for row in await self.rows(Feedback.text)]


@asynccontextmanager
async def loop_world(
    database: Any, twilio: FakeTwilio, telegram: FakeTelegram, tmp_path: Path, *, at: datetime = NOON,
    **overrides: Any,
) -> AsyncIterator[LoopWorld]:
    clock = Clock(at)
    settings = world_settings(twilio, telegram, tmp_path, **overrides)
    parts = build_parts(settings, database=database, clock=clock)
    loop = build_loop(settings, parts, clock=clock)
    app = Starlette(routes=[*parts.channel_routes, *public_routes(loop)])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://internal:8000") as http:
        try:
            yield LoopWorld(parts, loop, http, twilio, telegram, clock)
        finally:
            for name in ("sms", "whatsapp"):
                sender = parts.senders.get(name)
                if sender is not None:
                    await sender.aclose()  # type: ignore[attr-defined]
            await parts.senders["telegram"].api.aclose()  # type: ignore[attr-defined]


# Seeding people straight through the storage API


@dataclass
class Seeder:
    world: LoopWorld

    async def person(
        self,
        address: str,
        *,
        channel: str = "sms",
        said: str | None = "The wait was far too long",
        hear_back: bool | None = True,
        language: str | None = None,
        stopped: bool = False,
        pack_id: str = "demo",
        question_id: str = "better",
        value: str | None = None,
        consents: tuple[str, ...] = (),
    ) -> int:
        """Someone who answered `pack_id` (a written answer `said`, or a choice `value`). Their participant id."""
        store = self.world.parts.store
        submission = str(uuid.uuid4())
        async with store.unit() as uow:
            person = await uow.participant(channel, address)
            assert person is not None
            await uow.start_submission(submission, person.id, pack_id, 1, language or "en", channel)
            await uow.record_answer(
                submission, question_id, value=value, number=None, text=said if value is None else None, skipped=False
            )
            await uow.finish_submission(submission, "completed")
            if hear_back is not None:
                await uow.set_consent(person.id, "hear_back", hear_back)
            for purpose in consents:
                await uow.set_consent(person.id, purpose, True)
            if language is not None:
                await uow.save_conversation(person.id, None, language)
            if stopped:
                await uow.set_stopped(person.id, True)
            return person.id

    async def submissions(self) -> int:
        return len(await self.world.rows(Submission.id))
