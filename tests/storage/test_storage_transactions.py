"""storage.transactions, the one transaction helper every store uses: the same rules inline and through the engine."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import Database
from storage.delivery import ratelimit
from storage.errors import StorageUnavailable
from storage.models import RateSlot
from storage.transactions import each_alone, run, transaction

INLINE = pytest.mark.parametrize("inline", [True, False], ids=["inline", "engine"])


async def _keys(conn: AsyncConnection) -> list[str]:
    return list((await conn.scalars(select(RateSlot.key).order_by(RateSlot.key))).all())


async def _add(conn: AsyncConnection, key: str) -> None:
    await conn.execute(insert(RateSlot).values(key=key, next_at=1.0))


@INLINE
async def test_a_transaction_commits_when_its_block_ends(database: Database, inline: bool):
    async with transaction(database, inline=inline) as conn:
        await _add(conn, "a")
    assert await run(database, _keys, read_only=True, inline=not inline) == ["a"]


@INLINE
async def test_an_error_rolls_back_passes_through_unchanged_and_gives_up_the_turn(database: Database, inline: bool):
    class EngineBug(Exception):
        pass

    with pytest.raises(EngineBug):
        async with transaction(database, inline=inline) as conn:
            await _add(conn, "a")
            raise EngineBug
    with pytest.raises(EngineBug):
        await run(database, lambda conn: _add_then_fail(conn, EngineBug), inline=inline)
    # The next writer is not kept waiting (on SQLite it would time out holding for a turn never given back).
    async with transaction(database, inline=inline) as conn:
        await _add(conn, "b")
    assert await run(database, _keys, read_only=True, inline=inline) == ["b"]


async def _add_then_fail(conn: AsyncConnection, error: type[Exception]) -> None:
    await _add(conn, "c")
    raise error


@INLINE
async def test_run_returns_the_works_result(database: Database, inline: bool):
    def reserve(conn: AsyncConnection):
        return ratelimit.reserve(conn, "sms", now=10.0, interval=2.0)

    assert await run(database, reserve, inline=inline) == 10.0
    assert await run(database, reserve, inline=inline) == 12.0


@INLINE
async def test_on_sqlite_a_writer_waits_for_its_turn_and_a_reader_does_not(tmp_path, inline: bool):
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'said.db'}", sqlite_busy_timeout=0.2)
    await database.migrate()
    try:
        async with transaction(database, inline=True) as holder:  # this process's turn to write, held
            await _add(holder, "a")
            with pytest.raises(StorageUnavailable, match="TimeoutError"):
                async with transaction(database, inline=inline):
                    pass
            assert await run(database, _keys, read_only=True, inline=inline) == []  # WAL: not the writer's rows
        assert await run(database, _keys, read_only=True, inline=inline) == ["a"]
    finally:
        await database.dispose()


async def test_each_alone_commits_every_statement_as_it_runs_without_begin_and_commit(database: Database):
    """PostgreSQL: no BEGIN or COMMIT round trips around statements that stand alone (a web chat's rate
    limits, its session read); what they write is committed all the same. SQLite runs it as one transaction."""

    async def work(conn: AsyncConnection) -> bool:
        await _add(conn, "alone")
        if not database.is_postgres:
            return True
        # Committed already, before the work is done: another connection sees it.
        async with database.engine.connect() as other:
            return await _keys(other) == ["alone"]

    assert await each_alone(database, work)
    assert await run(database, _keys, read_only=True, inline=True) == ["alone"]
