"""SQLite's WAL is copied into the database file by a thread of its own (storage/checkpoints.py), never by a
commit on the event loop, and it still does not grow without end under a steady stream of writes."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from sqlalchemy import text

from storage.checkpoints import RESTART_AT_FRAMES
from storage.db import Database
from storage.transactions import transaction


def _wal_frames(path: Path) -> int:
    """How many frames the WAL holds now (since it last started over)."""
    with sqlite3.connect(path) as connection:
        # The only way SQLite tells: a PASSIVE checkpoint, which waits for no one and reports the WAL's length.
        _, frames, _ = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return int(frames)


async def _write_rows(database: Database, rows: int, start: int = 0) -> None:
    """Short write transactions one after another, the way the store writes (inline, on the event loop)."""
    for n in range(start, start + rows):
        async with transaction(database, inline=True) as conn:
            key = f"key-{n:06d}" + "x" * 60
            await conn.execute(text("INSERT INTO rate_slots (key, next_at) VALUES (:k, 1.0)"), {"k": key})


async def test_commits_on_the_event_loop_never_checkpoint(tmp_path) -> None:
    path = tmp_path / "said.db"
    database = Database(f"sqlite+aiosqlite:///{path}")
    try:
        await database.migrate()
        assert database.checkpointer is not None
        database.checkpointer.stop()  # only the writes below may move the WAL now
        await _write_rows(database, 3000)  # well past SQLite's own 1,000-page checkpoint point
        # Every page written is still in the WAL: no commit copied it into the database file and started over.
        assert _wal_frames(path) > 1000
        assert database.inline is not None
        with database.inline.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
    finally:
        await database.dispose()


async def test_the_checkpointer_keeps_the_wal_short_under_steady_writes(tmp_path) -> None:
    path = tmp_path / "said.db"
    database = Database(f"sqlite+aiosqlite:///{path}")
    try:
        await database.migrate()
        assert database.checkpointer is not None
        written = 0
        deadline = time.monotonic() + 60
        while database.checkpointer.restarts == 0 and time.monotonic() < deadline:
            await _write_rows(database, 500, start=written)  # no pause between writes: no quiet moment
            written += 500
        assert database.checkpointer.restarts >= 1, "the WAL was never started over"
        # Started over at RESTART_AT_FRAMES frames (of 4 KiB) and what one pass adds: not without end.
        assert _wal_frames(path) < RESTART_AT_FRAMES * 2
    finally:
        await database.dispose()
