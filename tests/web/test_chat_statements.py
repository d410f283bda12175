"""A web chat answer costs a fixed, small number of SQL statements and one write transaction (issue #15),
however long the chat has grown; this fails if a change adds one. On SQLite and PostgreSQL.

Counted with SQLAlchemy's own event hooks on every engine the store uses: `before_cursor_execute` for each
statement sent to the database, `commit` for each transaction committed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from sqlalchemy import event
from starlette.applications import Starlette

from bot.app.settings import load_settings
from bot.app.webchat_transcripts import StoreTranscripts, WebChatService
from bot.app.wiring import build_parts
from channels.webchat.routes import webchat_routes
from storage.conversations.web_sessions import MAX_TURNS, TRIM_EVERY
from storage.db import Database
from storage.privacy.vault import purpose_key

SECRET = "webchat-statements-test-secret-k7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js-p2Wq8Ze5Ur7Ty1Io3Pa6Sd9Fg4Hj0Kl"
HIDDEN = re.compile(r'<input type="hidden" name="(csrf|turn)" value="([^"]*)">')
# One answer to a question of the demo pack: the chat and its last turns read (1); then, in one transaction,
# the person with their conversation, address expiry, any open one-tap question and handover (1), the
# answer (1), the new state with the reply to the message id (1 on PostgreSQL, 2 on SQLite: no data-modifying
# WITH there), and the chat's row touched with its two new turns added (likewise 1, or 2). Before turns were
# rows it was 12 statements in two transactions (and two more on SQLite); before the person's arrival read
# what lies beside them, 10 in one.
STATEMENTS_AN_ANSWER = {"postgresql": 5, "sqlite": 7}
# SQLite's read of the chat is a read-only transaction of its own (its BEGIN counts as a statement there);
# on PostgreSQL the read stands alone, with no BEGIN or COMMIT.
EXTRA_ON_SQLITE = {"execute": 1, "commit": 1}


@pytest.fixture
async def chat(database: Database, tmp_path) -> Starlette:
    settings = load_settings(secret_key=SECRET, var_dir=tmp_path, scheduler=False)
    parts = build_parts(settings, database=database)
    routes = webchat_routes(WebChatService(parts.service), StoreTranscripts(parts.store), secure_cookies=False,
                            csrf_secret=purpose_key(SECRET, "webchat-csrf"), symbols=parts.pictures)
    return Starlette(routes=routes)


@contextmanager
def counting(database: Database) -> Iterator[Counter[str]]:
    counts: Counter[str] = Counter()

    def executed(*_args: object) -> None:
        counts["execute"] += 1

    def committed(*_args: object) -> None:
        counts["commit"] += 1

    engines = [e for e in (database.engine.sync_engine, database.inline) if e is not None]
    for engine in engines:
        event.listen(engine, "before_cursor_execute", executed)
        event.listen(engine, "commit", committed)
    try:
        yield counts
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", executed)
            event.remove(engine, "commit", committed)


async def test_an_answer_is_one_read_and_one_transaction_however_long_the_chat(chat, database) -> None:
    extra = EXTRA_ON_SQLITE if database.is_sqlite else {"execute": 0, "commit": 0}
    pack = ["yes", "1", "2", "yes", "3", "Fine, thank you", "DEMO"]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=chat), base_url="http://testserver") as browser:
        page = await browser.get("/chat")
        fields = dict(HIDDEN.findall(page.text))
        await browser.post("/chat", data={**fields, "start": "demo"}, headers={"Accept": "application/json"})
        costs = []
        # The demo pack again and again, so the chat grows well past the 50 turns it shows and keeps.
        for words in pack * 6:
            with counting(database) as counts:
                answered = await browser.post("/chat", data={"csrf": fields["csrf"], "text": words},
                                              headers={"Accept": "application/json"})
            assert answered.status_code == 200
            assert "went wrong" not in answered.json()["html"]
            bot_turn = answered.json()["turn"] - 1
            # Turns older than the last 50 are deleted in passing, one statement every TRIM_EVERY turns.
            trimmed = int(bot_turn >= MAX_TURNS and bot_turn % TRIM_EVERY == 0)
            costs.append((words, counts["execute"] - trimmed, counts["commit"]))
    answers = [cost for cost in costs if cost[0] in ("1", "2", "3")]  # each stores one answer to a question
    assert len(answers) == 18
    budget = STATEMENTS_AN_ANSWER[database.engine.dialect.name] + extra["execute"]
    assert all(cost[1:] == (budget, 1 + extra["commit"]) for cost in answers), costs
    # Nothing costs more than one write transaction, and nothing costs more as the chat grows.
    assert all(commits <= 1 + extra["commit"] for _, _, commits in costs), costs
    assert costs[-len(pack):] == costs[len(pack) : 2 * len(pack)], costs
