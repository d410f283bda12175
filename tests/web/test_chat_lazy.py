"""Finding 3: visiting /chat stores nothing. A participant, a vault entry and a session are made at the
first answer, so crawlers and link previews no longer grow the database; on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import func, select
from starlette.applications import Starlette

from bot.app.settings import load_settings
from bot.app.webchat_transcripts import StoreTranscripts, WebChatService
from bot.app.wiring import build_parts
from channels.webchat.routes import webchat_routes
from storage.models import Participant, VaultEntry, WebSession
from storage.privacy.vault import purpose_key

SECRET = "webchat-lazy-test-secret-k7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js-p2Wq8Ze5Ur7Ty1Io3Pa6Sd9Fg4Hj0Kl"
HIDDEN = re.compile(r'<input type="hidden" name="(csrf|turn)" value="([^"]*)">')


@pytest.fixture
async def app(database, tmp_path):
    settings = load_settings(secret_key=SECRET, var_dir=tmp_path, scheduler=False)
    parts = build_parts(settings, database=database)
    routes = webchat_routes(WebChatService(parts.service), StoreTranscripts(parts.store), secure_cookies=False,
                            csrf_secret=purpose_key(SECRET, "webchat-csrf"), symbols=parts.pictures)
    return Starlette(routes=routes), database


async def _counts(database) -> tuple[int, int, int]:
    async with database.engine.connect() as conn:
        counts = [
            int((await conn.execute(select(func.count()).select_from(model))).scalar_one())
            for model in (Participant, VaultEntry, WebSession)
        ]
    return tuple(counts)


def _client(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def test_page_views_store_nothing(app) -> None:
    starlette, database = app
    for _ in range(30):  # crawlers, link previews, people who look and leave: each a new browser
        async with _client(starlette) as browser:
            page = await browser.get("/chat")
            assert page.status_code == 200 and "This chat asks you a few short questions" in page.text
    async with _client(starlette) as browser:
        for _ in range(5):  # the same browser coming back before answering
            assert (await browser.get("/chat")).status_code == 200
    assert await _counts(database) == (0, 0, 0)


async def test_the_first_answer_makes_one_participant_and_the_chat_carries_on(app) -> None:
    starlette, database = app
    async with _client(starlette) as browser:
        page = await browser.get("/chat")
        token = browser.cookies["said_chat"]
        fields = dict(HIDDEN.findall(page.text))
        answered = await browser.post("/chat", data={**fields, "start": "demo"}, follow_redirects=False)
        assert answered.status_code == 303
        assert browser.cookies["said_chat"] == token  # the same chat, now stored
        assert await _counts(database) == (1, 1, 1)
        shown = await browser.get("/chat")
        assert "Your last chat had ended" not in shown.text
        assert shown.text.count("👋") == 1  # one welcome, then the pack
        fields = dict(HIDDEN.findall(shown.text))
        await browser.post("/chat", data={**fields, "text": "yes"}, follow_redirects=False)
    assert await _counts(database) == (1, 1, 1)


async def test_a_stored_chat_that_ended_says_so_and_starts_lazily_again(app) -> None:
    starlette, database = app
    async with _client(starlette) as browser:
        page = await browser.get("/chat")
        await browser.post("/chat", data={**dict(HIDDEN.findall(page.text)), "start": "demo"})
        async with database.engine.begin() as conn:
            await conn.execute(WebSession.__table__.delete())  # the session's time is up
        again = await browser.get("/chat")
        assert "Your last chat had ended, so this is a new one." in again.text
        assert "said_chat_started" not in browser.cookies
        assert "Your last chat had ended" not in (await browser.get("/chat")).text
    assert (await _counts(database))[2] == 0


async def test_after_forget_me_the_next_message_is_answered_in_a_new_chat(app) -> None:
    """FORGET ME ends the stored chat in the same answer; the web chat sees that from the answer it stored
    (no second read of the session) and carries the person's words into a new chat at once."""
    starlette, _database = app
    async with _client(starlette) as browser:
        page = await browser.get("/chat")
        await browser.post("/chat", data={**dict(HIDDEN.findall(page.text)), "start": "demo"})
        old = browser.cookies["said_chat"]
        for words in ("FORGET ME", "yes"):
            shown = await browser.get("/chat")
            await browser.post("/chat", data={**dict(HIDDEN.findall(shown.text)), "text": words})
        assert browser.cookies["said_chat"] != old, "a new chat"
        shown = await browser.get("/chat")
        assert "We have forgotten this chat." in shown.text
        assert "Your last chat had ended" not in shown.text
        await browser.post("/chat", data={**dict(HIDDEN.findall(shown.text)), "start": "demo"})
        carried_on = (await browser.get("/chat")).text
        assert "Your last chat had ended" not in carried_on
        assert "Is it OK" in carried_on or "?" in carried_on
