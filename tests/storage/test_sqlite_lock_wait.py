"""Another process holding SQLite's write lock must not freeze this one: the wait happens off the event loop."""

from __future__ import annotations

import asyncio
import itertools
import sqlite3
import threading
import time

import pytest
from sqlalchemy import insert, select

from storage.db import Database
from storage.errors import StorageUnavailable
from storage.models import RateSlot
from storage.transactions import run, transaction


def _hold_write_lock(path: str, seconds: float, held: threading.Event) -> None:
    """What `said broadcast create` in another process looks like to us: a writer that takes its time."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO rate_slots (key, next_at) VALUES ('other', 1.0)")
    held.set()
    time.sleep(seconds)
    other.execute("COMMIT")
    other.close()


@pytest.fixture
def sqlite_database(database: Database) -> Database:
    if not database.is_sqlite:
        pytest.skip("SQLite's file lock; PostgreSQL waits on rows, in its own server")
    return database


async def test_a_writer_waiting_for_another_process_leaves_the_loop_free(sqlite_database: Database):
    held = threading.Event()
    holder = threading.Thread(
        target=_hold_write_lock, args=(sqlite_database.url.database, 0.8, held), daemon=True
    )
    holder.start()
    await asyncio.to_thread(held.wait, 5)
    ticks: list[float] = []

    async def others() -> None:  # everyone else's requests, in miniature
        while True:
            ticks.append(time.perf_counter())
            await asyncio.sleep(0.01)

    running = asyncio.create_task(others())
    started = time.perf_counter()
    async with transaction(sqlite_database, inline=True) as conn:
        await conn.execute(insert(RateSlot).values(key="ours", next_at=2.0))
    waited = time.perf_counter() - started
    running.cancel()
    holder.join()
    keys = await run(
        sqlite_database, lambda c: _keys(c), read_only=True, inline=True
    )
    assert keys == ["other", "ours"]  # both writes landed, ours after the other process let go
    assert waited >= 0.5
    # The loop kept running while we waited: no gap between ticks anywhere near the lock's length.
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert len(ticks) > 10 and max(gaps) < 0.4


async def test_a_writer_gives_up_kindly_when_the_lock_is_held_past_the_busy_timeout(tmp_path):
    database = Database(f"sqlite+aiosqlite:///{tmp_path}/short.db", sqlite_busy_timeout=0.3)
    await database.migrate()
    held = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(database.url.database, 1.0, held), daemon=True)
    holder.start()
    await asyncio.to_thread(held.wait, 5)
    try:
        with pytest.raises(StorageUnavailable):
            async with transaction(database, inline=True) as conn:
                await conn.execute(insert(RateSlot).values(key="ours", next_at=2.0))
    finally:
        holder.join()
    # And the connection is fine for the next writer once the lock is free.
    async with transaction(database, inline=True) as conn:
        await conn.execute(insert(RateSlot).values(key="later", next_at=3.0))
    assert await run(database, _keys, read_only=True, inline=True) == ["later", "other"]
    await database.dispose()


async def _keys(conn) -> list[str]:
    return list((await conn.scalars(select(RateSlot.key).order_by(RateSlot.key))).all())
