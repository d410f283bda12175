"""Inbox test helpers, imported by name (pytest puts tests/inbox on sys.path): the whole service with SMS
(the fake Twilio API), Telegram (the fake Bot API) and the web chat, the staff console with the inbox, all
over ASGI in the test's event loop, on a clock the test moves.

`world.sms("…")`, `world.telegram("…")` and `world.web("…")` are one person each writing on that channel;
`world.staff` is a signed-in staff browser; `world.tick()` lets the dispatcher send what is due.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from argon2 import PasswordHasher
from fakes.telegram_api import FakeTelegram
from fakes.twilio_api import FakeTwilio
from fakes.twilio_webhooks import inbound_form, signed
from starlette.applications import Starlette
from starlette.middleware import Middleware

from bot.app.inbox import InboxParts, build_inbox
from bot.app.settings import load_settings
from bot.app.staff import build_staff
from bot.app.webchat_transcripts import StoreTranscripts
from bot.app.wiring import Parts, build_parts
from bot.messages import Channel, Inbound, Reply
from bot.safeguarding.loading import shipped_safeguarding
from bot.web.security import SecurityHeadersMiddleware
from bot.web.staff.passwords import Passwords
from bot.web.staff.routes import staff_routes
from bot.web.staff.safeguarding.routes import install as install_safeguarding
from bot.web.staff.safeguarding.routes import safeguarding_routes
from channels.telegram.routes import SECRET_HEADER, WEBHOOK_PATH
from channels.twilio_sms.routes import SMS_PATH
from storage.cases.records import CaseRecord
from storage.privacy.vault import Keys
from storage.safeguarding.store import SafeguardingStore
from storage.staff.records import Actor

SECRET = "inbox-test-secret-k7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js-p2Wq8Ze5Ur7Ty1Io3Pa6Sd9Fg4Hj0Kl"
PUBLIC_URL = "https://said.example.org"
PERSON = "+447700900123"  # Ofcom's drama range: never a real person
OUR_NUMBER = "+447700900999"
CHAT_ID = 5550001234
WEB_TOKEN = "w" * 43
WEBHOOK_SECRET = "inbox-webhook-secret_0123456789-k7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js-p2Wq8Ze5Ur7Ty1Io3Pa6Sd9Fg4Hj0Kl"
PASSWORD = "correct horse battery staple"
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
TUESDAY_NOON = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # London: in office hours, outside quiet hours


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def csrf_in(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]*)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


@dataclass
class InboxWorld:
    parts: Parts
    inbox: InboxParts
    channels: httpx.AsyncClient
    staff: httpx.AsyncClient
    twilio: FakeTwilio
    telegram_api: FakeTelegram
    clock: Clock
    count: int = 0
    people: dict[int, Any] = field(default_factory=dict)

    # People writing

    async def sms(self, text: str, *, from_: str = PERSON) -> list[str]:
        self.count += 1
        form = inbound_form(from_, OUR_NUMBER, text, account_sid=self.twilio.account_sid)
        request = signed(self.twilio.auth_token, PUBLIC_URL, SMS_PATH, form)
        response = await self.channels.post(SMS_PATH, data=form, headers=dict(request.headers))
        assert response.status_code == 200, response.text
        return [m.text or "" for m in ET.fromstring(response.text).findall("Message")]

    async def telegram(self, text: str, *, chat_id: int = CHAT_ID) -> list[str]:
        """What the person sees after sending `text` (the reply goes through the outbox)."""
        # Telegram takes one message a second to a chat (on the test clock): a person writes a little later.
        self.clock.advance(seconds=3)
        before = len(self.telegram_api.texts(chat_id))
        # One FakePerson a chat: its message ids count up, as Telegram's do (a repeated id is a retried update).
        person = self.people.setdefault(chat_id, self.telegram_api.person(chat_id))
        update = person.says(text)
        response = await self.channels.post(
            WEBHOOK_PATH, content=json.dumps(update),
            headers={"content-type": "application/json", SECRET_HEADER: WEBHOOK_SECRET},
        )
        assert response.status_code == 200, response.text
        await self.tick()
        return self.telegram_api.texts(chat_id)[before:]

    async def web(self, text: str, *, token: str = WEB_TOKEN) -> Reply:
        transcripts = StoreTranscripts(self.parts.store)
        if await transcripts.load(token) is None:
            await transcripts.start(token)
        self.count += 1
        message = Inbound(text=text, channel=Channel.WEB, received_at=self.clock.now, provider_id=f"web-{self.count}")
        return await self.parts.service.handle(Channel.WEB, token, message)

    async def web_transcript(self, token: str = WEB_TOKEN) -> str:
        record = await self.parts.store.web_session(token, now=self.clock.now)
        assert record is not None
        return json.dumps(record.transcript, ensure_ascii=False)

    async def tick(self) -> Any:
        return await self.parts.dispatcher.tick()

    # Staff

    async def sign_in(self, email: str = "nurse@example.org") -> None:
        self.staff.cookies.clear()  # a fresh browser: the sign-in page sends a signed-in person away
        page = await self.staff.get("/staff/login")
        done = await self.staff.post(
            "/staff/login", data={"csrf": csrf_in(page.text), "email": email, "password": PASSWORD}
        )
        assert done.status_code == 303, done.text

    async def get(self, path: str) -> httpx.Response:
        """A staff page; signs in again first when the test clock has moved past the session's idle time."""
        response = await self.staff.get(path)
        if response.status_code == 303 and response.headers["location"].startswith("/staff/login"):
            await self.sign_in()
            response = await self.staff.get(path)
        return response

    async def page(self, case_id: int) -> httpx.Response:
        return await self.get(f"/staff/inbox/{case_id}")

    async def post(self, path: str, data: dict[str, str]) -> httpx.Response:
        token = csrf_in((await self.get("/staff/inbox")).text)
        return await self.staff.post(path, data={"csrf": token, **data})

    async def reply(self, case_id: int, text: str, **extra: str) -> httpx.Response:
        return await self.post(f"/staff/inbox/{case_id}/reply", {"reply": text, "action": "send", **extra})

    async def parts_staff_audit(self) -> Any:
        from storage.staff.store import StaffStore

        return await StaffStore(self.parts.database).audit_entries(limit=100)

    async def case(self, case_id: int) -> CaseRecord:
        found = await self.inbox.store.case(case_id)
        assert found is not None
        return found

    async def cases(self, *statuses: str) -> list[Any]:
        found, _ = await self.inbox.store.listing(
            statuses=statuses or ("new", "waiting_us", "waiting_them", "closed"), limit=100
        )
        return found


def world_settings(tmp_path: Path, twilio: FakeTwilio, telegram: FakeTelegram, **overrides: Any) -> Any:
    return load_settings(
        secret_key=SECRET, var_dir=tmp_path, scheduler=False, public_url=PUBLIC_URL,
        twilio_account_sid=twilio.account_sid, twilio_auth_token=twilio.auth_token, twilio_phone_number=OUR_NUMBER,
        twilio_api_base_url=twilio.base_url, telegram_bot_token=telegram.token,
        telegram_webhook_secret=WEBHOOK_SECRET, telegram_api_base_url=telegram.base_url, **overrides,
    )


class _world:
    def __init__(self, database: Any, tmp_path: Path, clock: Clock, twilio: FakeTwilio, telegram: FakeTelegram):
        self.args = (database, tmp_path, clock, twilio, telegram)

    async def __aenter__(self) -> InboxWorld:
        database, tmp_path, clock, twilio, telegram = self.args
        settings = world_settings(tmp_path, twilio, telegram)
        parts = build_parts(settings, database=database, clock=clock)
        console = build_staff(settings, database, parts.service.prompts, channels=parts.senders, clock=clock,
                              passwords=Passwords(CHEAP))
        inbox = build_inbox(settings, parts, console, clock=clock)
        for email, role in (("nurse@example.org", "staff"), ("lead@example.org", "safeguarding_lead")):
            await console.store.create_account(email, await console.passwords.hash(PASSWORD), role,
                                               must_change=False, actor=Actor("test"))
        install_safeguarding(console)
        alerts = SafeguardingStore(database, Keys.from_secret(SECRET), clock=clock)
        extra = [*inbox.routes(), *safeguarding_routes(alerts, shipped_safeguarding().detector)]
        staff_app = Starlette(routes=staff_routes(console, extra=extra),
                              middleware=[Middleware(SecurityHeadersMiddleware)])
        self.parts = parts
        self.channels = httpx.AsyncClient(transport=httpx.ASGITransport(app=Starlette(routes=parts.channel_routes)),
                                          base_url="http://internal:8000")
        self.staff = httpx.AsyncClient(transport=httpx.ASGITransport(app=staff_app), base_url="https://testserver")
        built = InboxWorld(parts, inbox, self.channels, self.staff, twilio, telegram, clock)
        await built.sign_in()
        return built

    async def __aexit__(self, *exc: object) -> None:
        await self.channels.aclose()
        await self.staff.aclose()
        for sender in self.parts.senders.values():
            close = getattr(sender, "aclose", None)
            if close is not None:
                await close()
        api = getattr(self.parts.senders.get("telegram"), "api", None)
        if api is not None:
            await api.aclose()
