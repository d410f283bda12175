"""PostgreSQL's pooled connections are handed out without a round trip to check them (no pre-ping, which cost
one on every message), yet a connection the server has closed is never handed to a request: after a restart or
pg_terminate_backend the next message is answered, not met with "we are busy"."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from storage.db import Database
from storage.transactions import run


async def _backend_pid(database: Database) -> int:
    async def pid(conn) -> int:
        return int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())

    return await run(database, pid, read_only=True, inline=True)


async def test_a_connection_the_server_closed_is_replaced_before_a_request_gets_it(database: Database):
    if not database.is_postgres:
        pytest.skip("SQLite has no server to close a connection")
    pooled = await _backend_pid(database)
    assert await _backend_pid(database) == pooled, "the pool hands the same connection back"
    other = Database(database.url.render_as_string(hide_password=False))
    try:
        async with other.engine.begin() as conn:
            ended = (await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pooled})).scalar_one()
        assert ended
    finally:
        await other.dispose()
    await asyncio.sleep(0.2)  # the server's goodbye reaches the idle connection
    assert await _backend_pid(database) != pooled, "a fresh connection, and no error"


async def test_a_checkout_asks_the_server_nothing(database: Database, monkeypatch: pytest.MonkeyPatch):
    if not database.is_postgres:
        pytest.skip("PostgreSQL only: SQLite statements run in this process")
    pings: list[object] = []
    dialect = database.engine.sync_engine.dialect
    real_ping = dialect.do_ping
    monkeypatch.setattr(dialect, "do_ping", lambda connection: pings.append(connection) or real_ping(connection))
    await _backend_pid(database)
    await _backend_pid(database)
    assert pings == [], "no round trip before a message's first statement"
