"""SQLite's log is copied back into the file by a thread of its own (storage/checkpoints.py): a write on the event
loop never pays for a checkpoint, and the log does not grow without end."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from sqlalchemy import insert

from storage.db import Database
from storage.models import RateSlot
from storage.transactions import run

ROWS = 3000  # far past SQLite's own checkpoint at 1,000 pages of log


@pytest.fixture
def sqlite_database(database: Database) -> Database:
    if not database.is_sqlite:
        pytest.skip("SQLite's write-ahead log; PostgreSQL checkpoints in its own server")
    return database


def _log_bytes(database: Database) -> int:
    path = Path(str(database.url.database) + "-wal")
    return path.stat().st_size if path.exists() else 0


async def _write(database: Database, rows: int) -> None:
    for n in range(rows):
        await run(
            database,
            lambda conn, n=n: conn.execute(insert(RateSlot).values(key=f"k{n}-{os.urandom(4).hex()}", next_at=1.0)),
            inline=True,
        )


async def test_writes_on_the_event_loop_leave_the_checkpoint_to_the_thread(sqlite_database: Database):
    assert sqlite_database.checkpointer is not None
    await _write(sqlite_database, ROWS)
    busy, in_log, copied = sqlite_database.checkpointer.checkpoint()
    # Nothing was copied back by the writes themselves: everything they logged is still there to copy.
    assert busy == 0
    assert in_log >= 1000
    assert copied == in_log


async def test_the_running_thread_keeps_the_log_copied_back(sqlite_database: Database):
    assert sqlite_database.checkpointer is not None
    sqlite_database.checkpointer.interval = 0.05
    sqlite_database.start_checkpoints()
    try:
        await _write(sqlite_database, ROWS)
        await asyncio.sleep(0.3)
        busy, in_log, copied = sqlite_database.checkpointer.checkpoint()
        assert (busy, copied) == (0, in_log)
        # Once copied, the next writer starts the log again from its beginning instead of growing it.
        size = _log_bytes(sqlite_database)
        await _write(sqlite_database, ROWS)
        assert _log_bytes(sqlite_database) <= size * 1.5
    finally:
        sqlite_database.checkpointer.stop()
