"""SQLite statements run inline on the event loop, behind the AsyncConnection interface.

Why: aiosqlite hands every cursor call to a worker thread, and through SQLAlchemy that is about four
thread hand-offs a statement (about 1.2 ms each statement on a busy 2-core machine), while SQLite itself
answers a statement of ours in a few hundredths of a millisecond. Running the statement directly is
faster than handing it off. Writers in this process queue in `Database.writing()` first, so the only wait
left is for another *process* holding SQLite's write lock (`said broadcast create` while the server runs):
that wait is done off the loop. A writer's BEGIN IMMEDIATE is tried inline with a busy timeout of a few
milliseconds; when the lock is taken, the BEGIN is tried again in a worker thread that may wait the full
busy timeout, and the loop answers everyone else meanwhile. Once begun, a writer holds the lock, so its
statements never wait. A service that runs several processes belongs on PostgreSQL
(docs/scaling.md, docs/architecture.md).

Only the methods the storage modules use are provided; each returns what AsyncConnection would.
"""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

from sqlalchemy.engine import Connection, Engine, Result
from sqlalchemy.exc import OperationalError

# Set on the DB-API connection's info when we have issued BEGIN ourselves (storage/db.py skips its own).
BEGUN = "said_begun"
# Execution option marking a transaction that only reads: on SQLite it may start as a plain (deferred)
# BEGIN and so does not queue behind writers. (storage.db.READ_ONLY is this one.)
READ_ONLY = "said_read_only"
INLINE_BUSY_MS = 10  # how long an inline statement may wait for a lock before the wait moves off the loop


class InlineConnection:
    """Looks like `AsyncConnection` to the query modules; really a synchronous SQLite connection."""

    def __init__(self, connection: Connection, *, busy_timeout_ms: int = 5000) -> None:
        self.sync_connection = connection
        self.busy_timeout_ms = busy_timeout_ms

    @classmethod
    def connect(cls, engine: Engine, *, busy_timeout_ms: int = 5000) -> InlineConnection:
        return cls(engine.connect(), busy_timeout_ms=busy_timeout_ms)

    @property
    def dialect(self) -> Any:
        return self.sync_connection.dialect

    async def begin(self) -> None:
        if not self.sync_connection.get_execution_options().get(READ_ONLY, False):
            raw = self.sync_connection.connection.dbapi_connection
            assert raw is not None
            try:
                try:
                    raw.execute("BEGIN IMMEDIATE")
                except sqlite3.OperationalError as error:
                    if "locked" not in str(error) and "busy" not in str(error):
                        raise
                    # Another process is writing: wait for it in a thread, so the event loop is not held.
                    await asyncio.to_thread(_begin_waiting, raw, self.busy_timeout_ms)
            except sqlite3.OperationalError as error:
                # As SQLAlchemy would have raised it, so storage/errors.py reads it as "busy, try again".
                raise OperationalError("BEGIN IMMEDIATE", None, error) from None
            self.sync_connection.connection.info[BEGUN] = True
        self.sync_connection.begin()

    async def commit(self) -> None:
        self.sync_connection.commit()

    async def rollback(self) -> None:
        self.sync_connection.rollback()

    async def close(self) -> None:
        self.sync_connection.close()

    async def execute(self, statement: Any, parameters: Any = None, **options: Any) -> Result[Any]:
        return self.sync_connection.execute(statement, parameters, **options)

    async def exec_driver_sql(self, statement: str, parameters: Any = None, **options: Any) -> Result[Any]:
        return self.sync_connection.exec_driver_sql(statement, parameters, **options)

    async def scalar(self, statement: Any, parameters: Any = None, **options: Any) -> Any:
        return self.sync_connection.scalar(statement, parameters, **options)

    async def scalars(self, statement: Any, parameters: Any = None, **options: Any) -> Any:
        return self.sync_connection.scalars(statement, parameters, **options)

    async def run_sync(self, function: Any, *args: Any, **kwargs: Any) -> Any:
        return function(self.sync_connection, *args, **kwargs)

    def get_execution_options(self) -> Any:
        return self.sync_connection.get_execution_options()


def _begin_waiting(raw: Any, busy_timeout_ms: int) -> None:
    raw.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
    try:
        raw.execute("BEGIN IMMEDIATE")
    finally:
        raw.execute(f"PRAGMA busy_timeout={INLINE_BUSY_MS}")
