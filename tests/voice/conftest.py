"""Voice test fixtures: the service with Twilio configured, and a caller that behaves as Twilio does.

`Caller` rings the number, then follows the TwiML it gets back the way Twilio would: it posts keys or
speech to the `<Gather>`'s action URL, or, when it "waits", follows the `<Redirect>` after the
`<Gather>`. Every request is signed with the auth token over the exact URL in the TwiML, as Twilio signs.
"""

from __future__ import annotations

import secrets
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from starlette.applications import Starlette

from bot.app.settings import load_settings
from bot.app.voice import voice_wiring
from bot.app.wiring import Parts, build_parts
from channels.twilio_voice.call import VOICE_PATH

TEST_KEY = "k7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js-p2Wq8Ze5Ur7T"  # the app refuses to serve on a weaker key

try:  # tests/ is not a package: pytest imports this folder as `voice`, beside `fakes`
    from fakes.twilio_webhooks import sign
except ImportError:  # tests/ became a package
    from tests.fakes.twilio_webhooks import sign

PERSON = "+447700900123"  # Ofcom's drama range: never a real person
OUR_NUMBER = "+447700900999"
PUBLIC_URL = "https://said.example.org"
ACCOUNT_SID = "AC" + "1" * 32
AUTH_TOKEN = "voice-test-auth-token"


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def new_call_sid() -> str:
    return "CA" + secrets.token_hex(16)


def call_form(call_sid: str, from_: str, status: str = "in-progress", **extra: str) -> dict[str, str]:
    """The fields Twilio sends on every request of an incoming call."""
    return {
        "AccountSid": ACCOUNT_SID, "ApiVersion": "2010-04-01", "CallSid": call_sid, "CallStatus": status,
        "Called": OUR_NUMBER, "CalledCountry": "GB", "Caller": from_, "CallerCountry": "GB",
        "Direction": "inbound", "From": from_, "FromCountry": "GB", "To": OUR_NUMBER, "ToCountry": "GB",
        **extra,
    }


@dataclass
class Page:
    """One TwiML answer, read as a caller hears it."""

    status: int
    xml: ET.Element

    @property
    def says(self) -> list[ET.Element]:
        return list(self.xml.iter("Say"))

    @property
    def text(self) -> str:
        """Everything spoken, sentences joined by spaces."""
        return " ".join(" ".join(t.strip() for t in say.itertext() if t.strip()) for say in self.says)

    @property
    def gather(self) -> ET.Element | None:
        return self.xml.find("Gather")

    @property
    def redirect(self) -> ET.Element | None:
        return self.xml.find("Redirect")

    @property
    def hung_up(self) -> bool:
        return self.xml.find("Hangup") is not None

    @property
    def question(self) -> str:
        """The words inside the <Gather>: the question and its keys."""
        gather = self.gather
        assert gather is not None, f"no question was asked: {self.text!r}"
        return " ".join(t.strip() for t in gather.itertext() if t.strip())


@dataclass
class Caller:
    """One phone call, driven as Twilio drives it."""

    http: httpx.AsyncClient
    from_: str = PERSON
    call_sid: str = field(default_factory=new_call_sid)
    pages: list[Page] = field(default_factory=list)

    @property
    def page(self) -> Page:
        return self.pages[-1]

    async def ring(self) -> Page:
        return await self._post(PUBLIC_URL + VOICE_PATH, call_form(self.call_sid, self.from_, "ringing"))

    async def press(self, digits: str) -> Page:
        return await self._post(self._action(), call_form(self.call_sid, self.from_, Digits=digits))

    async def say(self, words: str, confidence: float | None = 0.92) -> Page:
        extra = {"SpeechResult": words}
        if confidence is not None:
            extra["Confidence"] = f"{confidence}"
        return await self._post(self._action(), call_form(self.call_sid, self.from_, **extra))

    async def wait(self) -> Page:
        """Say nothing: Twilio's <Gather> times out and the <Redirect> after it is followed."""
        redirect = self.page.redirect
        assert redirect is not None and redirect.text, f"nothing to follow after silence: {self.page.text!r}"
        return await self._post(redirect.text, call_form(self.call_sid, self.from_))

    async def replay(self) -> Page:
        """Twilio sending the last request again, signature and all."""
        url, form = self._last
        return await self._post(url, form)

    def _action(self) -> str:
        gather = self.page.gather
        assert gather is not None, f"the call is not waiting for an answer: {self.page.text!r}"
        return gather.attrib["action"]

    async def _post(self, url: str, form: dict[str, str], *, signature: str | None = None) -> Page:
        self._last = (url, form)
        headers = {"X-Twilio-Signature": signature if signature is not None else sign(AUTH_TOKEN, url, form)}
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        response = await self.http.post(path, data=form, headers=headers)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/xml")
        page = Page(response.status_code, ET.fromstring(response.text))
        self.pages.append(page)
        return page


@dataclass
class VoiceWorld:
    parts: Parts
    http: httpx.AsyncClient
    clock: Clock

    def caller(self, from_: str = PERSON) -> Caller:
        return Caller(self.http, from_)

    async def post(self, url: str, form: dict[str, str], signature: str | None = None) -> httpx.Response:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = {"X-Twilio-Signature": signature} if signature is not None else {}
        return await self.http.post(path, data=form, headers=headers)


def world_settings(tmp_path: Path, **overrides: Any):
    return load_settings(
        secret_key=TEST_KEY, var_dir=tmp_path, scheduler=False, public_url=PUBLIC_URL,
        twilio_account_sid=ACCOUNT_SID, twilio_auth_token=AUTH_TOKEN, twilio_phone_number=OUR_NUMBER,
        twilio_api_base_url="http://127.0.0.1:9", **overrides,
    )


async def make_world(database: Any, tmp_path: Path, now: datetime | None = None, **overrides: Any):
    # A Tuesday at noon in London: inside office hours.
    clock = Clock(now or datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    settings = world_settings(tmp_path, **overrides)
    parts = build_parts(settings, database=database, clock=clock)
    app = Starlette(routes=voice_wiring(settings, parts.service, clock=clock))
    # The app sits behind a proxy: its own host is not the public URL Twilio signs.
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://internal:8000")
    return VoiceWorld(parts, http, clock)


@pytest.fixture
async def world(database, tmp_path) -> AsyncIterator[VoiceWorld]:
    built = await make_world(database, tmp_path)
    async with built.http:
        yield built


@dataclass(frozen=True)
class Stored:
    value: str | None
    number: float | None
    text: str | None
    skipped: bool


async def stored_answers(world: VoiceWorld) -> dict[str, Stored]:
    """Every stored answer by question id (the latest when a question was answered twice)."""
    from sqlalchemy import select

    from storage.models import Answer

    async with world.parts.database.engine.connect() as conn:
        rows = (await conn.execute(
            select(Answer.question_id, Answer.value, Answer.number, Answer.text, Answer.skipped).order_by(Answer.id)
        )).all()
    return {q: Stored(v, n, t, bool(s)) for q, v, n, t, s in rows}


async def submission_statuses(world: VoiceWorld) -> list[str]:
    from sqlalchemy import select

    from storage.models import Submission

    async with world.parts.database.engine.connect() as conn:
        return list((await conn.execute(select(Submission.status).order_by(Submission.started_at))).scalars())


def phone_pack(world: VoiceWorld):
    pack = world.parts.service.library.get("phone")
    assert pack is not None, "the shipped phone pack is missing"
    return pack
