"""A fuzzing pass over every webhook and form of the whole app (hypothesis): whatever arrives, no answer
is a 500, and a refused request (4xx) stores nothing; on SQLite and PostgreSQL.

Bounded: SAID_FUZZ_EXAMPLES examples a door (default 40), the same ones every CI run (the "ci" profile
derandomizes), so a red build is reproducible and CI's time is known.
"""

from __future__ import annotations

import json
import os
import re
from urllib.parse import urlencode

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.app.wiring import create_app
from channels.telegram.routes import SECRET_HEADER
from storage.models import Answer, Feedback, InboundMessage, OutboxMessage, Participant, VaultEntry, WebSession

from .conftest import OUR_NUMBER, PUBLIC_URL, TELEGRAM_SECRET, TWILIO_TOKEN, app_settings

try:  # tests/ is not a package: pytest imports this folder as `security`, beside `fakes`
    from fakes.twilio_webhooks import sign
except ImportError:  # tests/ became a package
    from tests.fakes.twilio_webhooks import sign

EXAMPLES = int(os.environ.get("SAID_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
STORED = (Participant, VaultEntry, WebSession, InboundMessage, OutboxMessage, Answer, Feedback)
HIDDEN = re.compile(r'<input type="hidden" name="(csrf|turn)" value="([^"]*)">')

text = st.text(max_size=300)
TWILIO_FIELDS = ["From", "To", "Body", "MessageSid", "SmsSid", "AccountSid", "NumMedia", "MediaContentType0",
                 "OptOutType", "MessagingServiceSid", "CallSid", "Digits", "SpeechResult", "Confidence",
                 "CallStatus", "MessageStatus", "ErrorCode", "ProfileName", "WaId"]
twilio_forms = st.dictionaries(st.one_of(st.sampled_from(TWILIO_FIELDS), text), text, max_size=12)
phone = st.one_of(st.just("+447700900123"), st.just(OUR_NUMBER), st.from_regex(r"\+?[0-9 ()-]{0,20}", fullmatch=True),
                  text)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(text, inner, max_size=5),
    max_leaves=30,
)


@pytest.fixture
async def app(database, tmp_path):
    url = database.url.render_as_string(hide_password=False)
    built = create_app(app_settings(tmp_path, database_url=url, chat_requests_per_minute=100_000,
                                    chat_posts_per_minute=100_000, webhook_refusals_per_hour=100_000))
    yield built, database
    await built.state.parts.database.dispose()


async def _stored(database) -> list[int]:
    async with database.engine.connect() as conn:
        return [int((await conn.execute(select(func.count()).select_from(m))).scalar_one()) for m in STORED]


def _client(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=("198.51.100.9", 40000)),
                             base_url="https://internal:8000")


async def _no_500_and_refusals_store_nothing(database, send) -> None:
    before = await _stored(database)
    response = await send()
    assert response.status_code < 500, response.text[:200]
    if response.status_code >= 400:
        assert await _stored(database) == before, f"a refused request ({response.status_code}) stored something"


TWILIO_PATHS = ["/webhooks/twilio/sms", "/webhooks/twilio/status", "/webhooks/twilio/voice",
                "/webhooks/twilio/voice/answer", "/webhooks/twilio/voice/silence"]


@FUZZ
@given(path=st.sampled_from(TWILIO_PATHS), form=twilio_forms, from_=phone, body=text,
       query=st.sampled_from(["", "?outbox=1", "?c=demo&n=1", "?outbox=x", "?c=%00&n=-1"]),
       signature=st.sampled_from(["right", "missing", "wrong"]),
       content_type=st.sampled_from(["application/x-www-form-urlencoded", "text/plain", "multipart/form-data"]))
async def test_twilio_webhooks_never_fail_whatever_arrives(app, path, form, from_, body, query, signature,
                                                           content_type) -> None:
    built, database = app
    form = {"From": from_, "To": OUR_NUMBER, "Body": body, **form}
    headers = {"content-type": content_type}
    if signature != "missing":
        headers["X-Twilio-Signature"] = sign(TWILIO_TOKEN, PUBLIC_URL + path + query, form) if signature == "right" \
            else "bm90IGEgc2lnbmF0dXJl"
    async with _client(built) as http:
        await _no_500_and_refusals_store_nothing(
            database, lambda: http.post(path + query, content=urlencode(form).encode(), headers=headers)
        )


@FUZZ
@given(update=st.one_of(json_values, st.fixed_dictionaries({"update_id": st.integers(), "message": json_values}),
                        st.fixed_dictionaries({"update_id": st.integers(0, 2**31), "message": st.fixed_dictionaries({
                            "message_id": st.integers(), "date": st.integers(0, 2**31), "text": text,
                            "chat": st.fixed_dictionaries({"id": st.integers(), "type": st.sampled_from(
                                ["private", "group", "channel", "x"])})})})),
       raw=st.one_of(st.none(), st.binary(max_size=200)),
       secret=st.sampled_from([TELEGRAM_SECRET, None, "wrong"]))
async def test_the_telegram_webhook_never_fails_whatever_arrives(app, update, raw, secret) -> None:
    built, database = app
    body = raw if raw is not None else json.dumps(update).encode()
    headers = {"content-type": "application/json", **({SECRET_HEADER: secret} if secret else {})}
    async with _client(built) as http:
        await _no_500_and_refusals_store_nothing(database, lambda: http.post("/webhooks/telegram", content=body,
                                                                             headers=headers))


@FUZZ
@given(fields=st.dictionaries(st.sampled_from(["text", "choice", "start", "turn", "csrf", "x"]), text, max_size=6),
       raw=st.one_of(st.none(), st.binary(max_size=300)), path=st.sampled_from(["/chat", "/chat/new"]),
       keep_csrf=st.booleans())
async def test_the_web_chat_never_fails_whatever_is_posted(app, fields, raw, path, keep_csrf) -> None:
    built, database = app
    async with _client(built) as browser:
        page = await browser.get("/chat")
        assert page.status_code == 200
        hidden = dict(HIDDEN.findall(page.text))
        sent = {**fields, **({"csrf": hidden["csrf"]} if keep_csrf else {})}
        body = raw if raw is not None else urlencode(sent).encode()
        headers = {"content-type": "application/x-www-form-urlencoded"}
        await _no_500_and_refusals_store_nothing(database, lambda: browser.post(path, content=body, headers=headers))


@FUZZ
@given(fields=st.dictionaries(st.sampled_from(["email", "password", "csrf", "next", "t"]), text, max_size=5),
       raw=st.one_of(st.none(), st.binary(max_size=300)),
       path=st.sampled_from(["/staff/login", "/staff/logout", "/staff/unlock", "/staff/comments/tag"]))
async def test_staff_forms_never_fail_whatever_is_posted(app, fields, raw, path) -> None:
    built, database = app
    async with _client(built) as browser:
        await browser.get("/staff/login")
        body = raw if raw is not None else urlencode(fields).encode()
        headers = {"content-type": "application/x-www-form-urlencoded"}
        await _no_500_and_refusals_store_nothing(database, lambda: browser.post(path, content=body, headers=headers))


# What the fuzzing found: tokens compared with hmac.compare_digest as str raise TypeError for non-ASCII
# characters, which was a 500 (and, for Telegram, an update delivered again and again).


def test_a_non_ascii_token_is_refused_not_a_crash() -> None:
    from channels.telegram.buttons import ButtonCodec
    from channels.webchat.session import CsrfSigner

    assert CsrfSigner(b"k" * 32).is_valid("a-session-token", "\x80é") is False
    codec = ButtonCodec(b"k" * 32, catalogue=lambda: [("q", "v")])
    assert codec.decode("c:q:v:é") is None
    assert codec.decode("h:ünïcode") is None
    assert codec.decode(codec.encode("q", "v")) is not None


async def test_staff_forms_with_non_ascii_tokens_are_refused_kindly(app) -> None:
    built, _ = app
    async with _client(built) as browser:
        await browser.get("/staff/login")
        for path in ("/staff/login", "/staff/unlock"):
            answer = await browser.post(path, data={"csrf": "é", "email": "a@example.org", "password": "x", "t": "y"})
            assert answer.status_code == 400
        browser.cookies.set("said_staff_device", "ü.ö", domain="internal", path="/staff")
        login = await browser.get("/staff/login")
        token = re.search(r'name="csrf" value="([^"]*)"', login.text).group(1)
        answer = await browser.post("/staff/login", data={"csrf": token, "email": "a@example.org",
                                                          "password": "wrong"})
        assert answer.status_code == 400
