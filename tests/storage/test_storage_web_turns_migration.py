"""0005_web_turns moves every stored web chat transcript into rows, whole and in order, and back again on a
downgrade; chats carry on after it as before. On SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from storage.conversations.store import Store
from storage.db import MIGRATIONS, Database
from storage.privacy.vault import Keys

KEYS = Keys.from_secret("web-turns-migration-test-secret-k7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js-p2Wq8Ze5Ur7T")
NOW = datetime.now(UTC).replace(microsecond=0)


def _say(text: str) -> dict:
    return {"type": "say", "text": text, "symbol": None, "emoji": "", "language": "en"}


LONG = [
    {"who": "bot", "n": 0, "messages": [_say("Welcome")]},
    {"who": "person", "n": 1, "messages": [{"type": "text", "text": "Good", "emoji": "😀"}]},
    {"who": "bot", "n": 2, "messages": [_say("Thank you"), {"type": "note", "text": "Bore da", "language": "cy"}]},
    {"who": "bot", "messages": [_say("A reply from the team, sent later by the outbox")]},  # no number
    {"who": "bot", "n": 4, "messages": [_say("Kept whole")], "something_older": {"kept": True}},
    {"who": "person", "n": 1, "messages": [{"type": "text", "text": "a repeat from before de-duplication"}]},
    *({"who": "bot", "n": 5 + i, "messages": [_say(f"turn {5 + i}")]} for i in range(44)),
]
CHATS = {
    "long-chat-token": (LONG, NOW + timedelta(days=3)),
    "empty-chat-token": ([], NOW + timedelta(days=3)),
    "ended-chat-token": ([{"who": "bot", "n": 0, "messages": [_say("Hello")]}], NOW - timedelta(days=1)),
}
_old_sessions = sa.table(
    "web_sessions",
    sa.column("token_hash", sa.String()),
    sa.column("participant_id", sa.Integer()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("last_seen_at", sa.DateTime(timezone=True)),
    sa.column("expires_at", sa.DateTime(timezone=True)),
    sa.column("transcript", sa.JSON(none_as_null=True)),
)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _alembic(connection, *args: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    getattr(command, args[0])(config, *args[1:])


async def _database_before_0005(url: str) -> Database:
    database = Database(url)
    if database.is_sqlite:
        Path(database.url.database).parent.mkdir(parents=True, exist_ok=True)
    async with database.engine.begin() as conn:
        await conn.run_sync(_alembic, "upgrade", "0004_perf")
        await conn.execute(sa.text(
            "INSERT INTO participants (id, pseudonym, channel, stopped, created_at, last_seen_at) "
            "VALUES (1, 'p1', 'web', false, :now, :now)"), {"now": NOW})
        for token, (transcript, expires_at) in CHATS.items():
            await conn.execute(sa.insert(_old_sessions).values(
                token_hash=_hash(token), participant_id=1, created_at=NOW, last_seen_at=NOW, expires_at=expires_at,
                transcript=transcript))
    return database


async def test_every_turn_moves_to_rows_in_order_and_back_on_a_downgrade(empty_database_url) -> None:
    database = await _database_before_0005(empty_database_url)
    try:
        await database.migrate()
        async with database.engine.connect() as conn:
            stored = (await conn.execute(sa.text("SELECT token_hash, turn FROM web_turns ORDER BY id"))).all()
        for token, (transcript, _) in CHATS.items():
            # Every turn, in order, exactly as it was (JSON as stored, its number included).
            assert [_decoded(turn) for key, turn in stored if key == _hash(token)] == transcript

        store = Store(database, KEYS)
        chat = await store.web_session("long-chat-token", now=NOW)
        assert chat is not None and list(chat.transcript) == LONG  # what the page shows: the last 50
        assert (await store.web_session("empty-chat-token", now=NOW)).transcript == ()
        assert await store.web_session("ended-chat-token", now=NOW) is None

        # The chat carries on: the next turns are added, and a form sent twice is still refused.
        added = [{"who": "person", "n": 49, "messages": [{"type": "text", "text": "yes"}]},
                 {"who": "bot", "n": 50, "messages": [_say("Thank you")]}]
        assert await store.append_new_turns("long-chat-token", added) is True
        assert await store.append_new_turns("long-chat-token", added) is False
        assert (await store.web_session("long-chat-token", now=NOW)).transcript[-2:] == tuple(added)

        async with database.engine.begin() as conn:
            await conn.run_sync(_alembic, "downgrade", "0004_perf")
        async with database.engine.connect() as conn:
            assert not await conn.run_sync(lambda sync: sa.inspect(sync).has_table("web_turns"))
            back = dict((await conn.execute(sa.select(_old_sessions.c.token_hash, _old_sessions.c.transcript))).all())
        assert back[_hash("long-chat-token")] == [*LONG, *added][-50:]  # what the old code kept: the last 50
        assert back[_hash("empty-chat-token")] == []
        assert back[_hash("ended-chat-token")] == CHATS["ended-chat-token"][0]

        await database.migrate()  # and up again, with nothing lost on the way
        assert list((await store.web_session("long-chat-token", now=NOW)).transcript) == [*LONG, *added][-50:]
    finally:
        await database.dispose()


def _decoded(value: object) -> object:
    import json

    return json.loads(value) if isinstance(value, str) else value
