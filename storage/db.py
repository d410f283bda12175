"""The database connection: one async engine per process, tuned for SQLite or PostgreSQL, and migrations."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry, NullPool, PoolProxiedConnection

from storage.checkpoints import Checkpointer
from storage.errors import StorageUnavailable, translated
from storage.inline import BEGUN, INLINE_BUSY_MS, READ_ONLY

__all__ = ["READ_ONLY", "Database"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

# Any fixed number shared by every process; PostgreSQL holds this lock while one process migrates.
_MIGRATION_LOCK = 0x5A1D_D0E
MIGRATION_WAIT_MS = 120_000
MIGRATION_TRIES = 5  # SQLite only; see migrate()
POOL_RECYCLE_SECONDS = 3600
# PostgreSQL connections a process keeps open, and how many more it may open for a burst (closed after).
# N processes hold up to N x (POOL_SIZE + POOL_OVERFLOW): docs/scaling.md says to put a pooler in front.
POOL_SIZE = 10
POOL_OVERFLOW = 10


class Database:
    """Owns the engine. Construct once per process; call `dispose()` on shutdown."""

    def __init__(self, url: str, *, sqlite_busy_timeout: float = 5.0, echo: bool = False) -> None:
        self.url = make_url(url)
        backend = self.url.get_backend_name()
        self.is_postgres: bool = backend == "postgresql"
        self.is_sqlite: bool = backend == "sqlite"
        options: dict[str, Any] = {"hide_parameters": True, "echo": echo}
        if self.is_postgres:
            # No pool_pre_ping: it cost a round trip on every checkout, on every message. A connection the
            # server closed (a restart, pg_terminate_backend, an idle timeout) is found without asking: see
            # _refuse_closed. Recycling after an hour bounds what a silent network drop can leave behind.
            options["pool_recycle"] = POOL_RECYCLE_SECONDS
            # Enough pooled connections for a busy process's messages in flight: a connection past the pool's
            # size is closed when it is given back, and the next one costs a fresh connect (TCP, the TLS
            # offer, authentication, the driver's type set-up: milliseconds of this process's CPU). With the
            # default 5, eight texts in flight reconnected for about one text in twenty.
            options["pool_size"] = POOL_SIZE
            options["max_overflow"] = POOL_OVERFLOW
        self.engine: AsyncEngine = create_async_engine(self.url, **options)
        if self.is_postgres:
            event.listen(self.engine.sync_engine, "checkout", _refuse_closed)
        # PostgreSQL: statements that each stand alone (one atomic upsert, one read) run without BEGIN and
        # COMMIT, two round trips fewer (storage.transactions.each_alone). None elsewhere.
        self.autocommit: AsyncEngine | None = (
            self.engine.execution_options(isolation_level="AUTOCOMMIT") if self.is_postgres else None
        )
        self.reader: AsyncEngine = self.engine.execution_options(**{READ_ONLY: True})
        self.write_wait = sqlite_busy_timeout
        self._write_lock: asyncio.Lock | None = None
        # SQLite only: a synchronous engine on the same file for `storage.inline` (see there for why).
        self.inline: Engine | None = None
        self.inline_reader: Engine | None = None
        self.checkpointer: Checkpointer | None = None
        if self.is_sqlite:
            _tune_sqlite(self.engine.sync_engine, busy_timeout_ms=int(sqlite_busy_timeout * 1000))
            self.inline = create_engine(
                self.url.set(drivername="sqlite+pysqlite"),
                hide_parameters=True,
                echo=echo,
                # One coroutine uses a pooled connection at a time, from whichever thread runs the loop.
                connect_args={"check_same_thread": False},
            )
            # A short busy timeout inline: a longer wait for the write lock happens in a thread (storage/inline.py).
            # No checkpoint inside an inline commit: the checkpointer's thread does them (storage/checkpoints.py).
            _tune_sqlite(self.inline, busy_timeout_ms=INLINE_BUSY_MS, autocheckpoint=False)
            self.inline_reader = self.inline.execution_options(**{READ_ONLY: True})
            self.checkpointer = self._start_checkpointer()

    def __repr__(self) -> str:
        return f"Database({self.url.render_as_string(hide_password=True)!r})"

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[None]:
        """Hold this process's turn to write. Only SQLite needs one; elsewhere it returns at once.

        SQLite lets one transaction write at a time, and waiters poll with growing sleeps, so under a burst
        a waiter can lose every race until busy_timeout runs out. Queueing writers here first, in order,
        leaves SQLite's own waiting for other processes only. Raises TimeoutError after the busy timeout.
        """
        if not self.is_sqlite:
            yield
            return
        if self._write_lock is None:
            self._write_lock = asyncio.Lock()
        async with asyncio.timeout(self.write_wait):
            await self._write_lock.acquire()
        try:
            yield
        finally:
            self._write_lock.release()

    async def migrate(self, *, vault_key: bytes | None = None) -> None:
        """Apply every Alembic migration up to head. Safe to run from several processes at once.

        `vault_key` lets a migration re-seal vault entries (0004_security binds them to their participant);
        without it such a migration reads SAID_SECRET_KEY, and stops with a clear message if it needs a key
        and has none."""
        if self.is_sqlite:
            self._create_sqlite_folder()
            # Several processes starting at once each wait their turn for the whole migration, which
            # takes longer than an ordinary write may wait: a connection of its own that waits longer,
            # from the moment it connects (switching the file to WAL already needs the lock).
            engine = create_async_engine(
                self.url, hide_parameters=True, poolclass=NullPool,
                connect_args={"timeout": MIGRATION_WAIT_MS / 1000},
            )
            _tune_sqlite(engine.sync_engine, busy_timeout_ms=MIGRATION_WAIT_MS)
        else:
            engine = self.engine
        try:
            for attempt in range(MIGRATION_TRIES):
                try:
                    with translated():
                        async with engine.connect() as conn:
                            await self._migrate_on(conn, vault_key)
                    return
                except StorageUnavailable:
                    # SQLite can refuse a lock at once, without waiting (a journal-mode switch or a snapshot
                    # another process moved on from). Each try is one transaction, rolled back whole, and a
                    # later try finds the migrations another process finished: trying again is safe.
                    if not self.is_sqlite or attempt == MIGRATION_TRIES - 1:
                        raise
                    await asyncio.sleep(0.2 * 2**attempt)
        finally:
            if engine is not self.engine:
                await engine.dispose()

    async def _migrate_on(self, conn: AsyncConnection, vault_key: bytes | None = None) -> None:
        if self.is_sqlite:
            # Batch migrations copy tables; with foreign keys on, dropping the old copy would
            # cascade-delete rows. The pragma only works outside a transaction.
            await conn.run_sync(_sqlite_foreign_keys, False)
        try:
            async with conn.begin():
                if self.is_postgres:
                    await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
                await conn.run_sync(_upgrade_to_head, vault_key)
                if self.is_sqlite:
                    broken = (await conn.exec_driver_sql("PRAGMA foreign_key_check")).all()
                    if broken:
                        raise RuntimeError(f"the migration left {len(broken)} broken references")
        finally:
            if self.is_sqlite:
                await conn.run_sync(_sqlite_foreign_keys, True)

    async def ping(self, timeout: float = 5.0) -> bool:
        """True when the database answers a trivial query within `timeout` seconds."""
        try:
            async with asyncio.timeout(timeout):
                async with self.reader.connect() as conn:
                    await conn.execute(text("SELECT 1"))
        except Exception:  # a health check reports, it never raises
            return False
        return True

    async def dispose(self) -> None:
        if self.checkpointer is not None:
            await asyncio.to_thread(self.checkpointer.stop)
        await self.engine.dispose()
        if self.inline is not None:
            self.inline.dispose()

    def _start_checkpointer(self) -> Checkpointer | None:
        database = self.url.database
        if not database or database == ":memory:" or database.startswith("file:"):
            return None  # no WAL file of its own to look after
        checkpointer = Checkpointer(Path(database).expanduser().resolve())
        checkpointer.start()
        return checkpointer

    def _create_sqlite_folder(self) -> None:
        database = self.url.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)


def _upgrade_to_head(connection: Connection, vault_key: bytes | None = None) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    config.attributes["vault_key"] = vault_key
    command.upgrade(config, "heads")


def _sqlite_foreign_keys(connection: Connection, enabled: bool) -> None:
    # Through the DB-API cursor: a SQLAlchemy execute would first open a transaction.
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    cursor.execute(f"PRAGMA foreign_keys={'ON' if enabled else 'OFF'}")
    cursor.close()


def _tune_sqlite(engine: Engine, *, busy_timeout_ms: int, autocheckpoint: bool = True) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself (below) instead of the driver's lazy, deferred one.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
        cursor.execute("PRAGMA synchronous=NORMAL")  # durable enough with WAL, much faster
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        if not autocheckpoint:
            cursor.execute("PRAGMA wal_autocheckpoint=0")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # BEGIN IMMEDIATE takes the write lock up front. With a deferred BEGIN, two transactions that
        # read and then write can deadlock on lock upgrade, which busy_timeout cannot resolve.
        if conn.connection.info.pop(BEGUN, False):
            return  # storage/inline.py began it already, waiting for the lock off the event loop
        read_only = conn.get_execution_options().get(READ_ONLY, False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _refuse_closed(
    _dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: PoolProxiedConnection
) -> None:
    """Hand out no pooled connection the server has closed; the pool then connects afresh.

    When PostgreSQL ends a session it says so and closes the socket; asyncpg reads that on the event loop
    while the connection sits in the pool and marks it closed. Asking it costs nothing, where a pre-ping
    costs a round trip. (A DisconnectionError raised here is the pool's signal to discard and retry.)"""
    driver = record.driver_connection
    is_closed = getattr(driver, "is_closed", None)
    if is_closed is not None and is_closed():
        raise DisconnectionError("the database server closed this pooled connection")
