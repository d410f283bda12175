"""SQLite statements run inline on the event loop, behind the AsyncConnection interface.

Why: aiosqlite hands every cursor call to a worker thread, and through SQLAlchemy that is about four
thread hand-offs a statement (about 1.2 ms each statement on a busy 2-core machine), while SQLite itself
answers a statement of ours in a few hundredths of a millisecond. Running the statement directly is
faster than handing it off. The event loop can only be held up when another *process* holds SQLite's
write lock (up to the busy timeout); writers in this process queue in `Database.writing()` first, and a
service that runs several processes belongs on PostgreSQL (docs/architecture.md, "Scale").

Only the methods the storage modules use are provided; each returns what AsyncConnection would.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection, Engine, Result


class InlineConnection:
    """Looks like `AsyncConnection` to the query modules; really a synchronous SQLite connection."""

    def __init__(self, connection: Connection) -> None:
        self.sync_connection = connection

    @classmethod
    def connect(cls, engine: Engine) -> InlineConnection:
        return cls(engine.connect())

    @property
    def dialect(self) -> Any:
        return self.sync_connection.dialect

    async def begin(self) -> None:
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
