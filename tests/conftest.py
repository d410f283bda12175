"""Fixtures shared by every test folder.

`database`  A migrated `storage.db.Database`, function scope, parametrised by backend:
            - id `sqlite`: a fresh SQLite file in the test's tmp_path (a copy of a file migrated once per
              session);
            - id `postgres`: only when env SAID_TEST_POSTGRES_URL is set (for example
              postgresql+asyncpg://postgres@127.0.0.1:5432/test). A scratch database is created next to
              the one named (so parallel runs do not disturb each other), migrated once per session; before
              each test every table is emptied and every id sequence restarted (the effect of TRUNCATE …
              RESTART IDENTITY CASCADE, done with DELETE because it is 30 times faster). It is dropped when
              the session ends.
            Disposed after the test. A test that uses it (directly or through `store`) runs once per backend.
`keys`      Fixed `storage.privacy.vault.Keys` from a test secret, so pseudonyms are the same in every run.
`store`     `storage.conversations.store.Store(database, keys)` with the real clock and 30 days' vault retention.
            Build your own `Store(database, keys, clock=...)` when a test needs to control time.
`scratch_postgres`  Session factory: `scratch_postgres("prefix")` makes an empty PostgreSQL database and
            returns its URL (dropped at session end); skips the test without SAID_TEST_POSTGRES_URL.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage.conversations.store import Store
from storage.db import Database
from storage.models import Base
from storage.privacy.vault import Keys

# Property tests: no per-example deadline (a loaded CI machine is slow, not wrong), and in CI the same
# examples every run, so a red build is reproducible; locally they roam to find new failures.
settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else "dev")

POSTGRES_ENV = "SAID_TEST_POSTGRES_URL"
TEST_SECRET = "said-and-done test secret - never use in production"

_BACKENDS = ["sqlite", *(["postgres"] if os.environ.get(POSTGRES_ENV) else [])]
_migrated: set[str] = set()


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _admin(url: str, statement: str) -> None:
    """Run one statement outside any transaction (CREATE/DROP DATABASE need that).

    In a thread with its own event loop, because callers may already be inside a test's running loop.
    """
    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(_asyncpg_dsn(url))
        try:
            await conn.execute(statement)
        finally:
            await conn.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, run()).result()


def _create_scratch_postgres(base_url: str, prefix: str) -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    _admin(base_url, f'CREATE DATABASE "{name}"')
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


def _drop_scratch_postgres(base_url: str, scratch_url: str) -> None:
    name = make_url(scratch_url).database
    _admin(base_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def scratch_postgres() -> Iterator[Callable[[str], str]]:
    """A factory: `scratch_postgres("prefix")` creates an empty PostgreSQL database and returns its URL.

    Every database it made is dropped when the session ends. Skips when SAID_TEST_POSTGRES_URL is unset.
    """
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"set {POSTGRES_ENV} to run PostgreSQL tests")
    made: list[str] = []

    def make(prefix: str = "said_test") -> str:
        made.append(_create_scratch_postgres(base, prefix))
        return made[-1]

    try:
        yield make
    finally:
        for url in made:
            _drop_scratch_postgres(base, url)


@pytest.fixture(scope="session")
def postgres_url(scratch_postgres: Callable[[str], str]) -> str:
    """This session's scratch PostgreSQL database for the `database` fixture."""
    return scratch_postgres("said_test")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the session's migrated SQLite file is kept; each test gets a copy (migrating takes ~0.4 s)."""
    return tmp_path_factory.mktemp("sqlite-template") / "said.db"


async def _migrated_sqlite_file(path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{path}")
    await db.migrate()
    # Closing the last connection checkpoints the WAL into the main file, so copying that file is enough.
    await db.dispose()


@pytest.fixture(params=_BACKENDS)
async def database(request: pytest.FixtureRequest, tmp_path) -> AsyncIterator[Database]:
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        if not template.exists():
            await _migrated_sqlite_file(template)
        shutil.copyfile(template, tmp_path / "said.db")
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'said.db'}")
    else:
        url = request.getfixturevalue("postgres_url")
        db = Database(url)
        if url not in _migrated:
            await db.migrate()
            _migrated.add(url)
        await _empty_postgres(db)
    try:
        yield db
    finally:
        await db.dispose()


async def _empty_postgres(db: Database) -> None:
    """Empty every table and restart every id sequence: what TRUNCATE … RESTART IDENTITY CASCADE does.

    TRUNCATE measured 0.35-0.4 s per test here (it replaces each table's files); deleting the few rows a
    test leaves behind takes about 10 ms, and the database ends up in the same state.
    """
    async with db.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            await conn.execute(table.delete())
        used = await conn.scalars(
            text(
                "SELECT quote_ident(sequencename) FROM pg_sequences "
                "WHERE schemaname = current_schema() AND last_value IS NOT NULL"
            )
        )
        for sequence in used.all():
            await conn.execute(text(f"ALTER SEQUENCE {sequence} RESTART"))


@pytest.fixture
def keys() -> Keys:
    return Keys.from_secret(TEST_SECRET)


@pytest.fixture
def store(database: Database, keys: Keys) -> Store:
    return Store(database, keys)
