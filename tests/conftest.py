"""Fixtures shared by every test folder.

`database`  A migrated `storage.db.Database`, function scope, parametrised by backend:
            - id `sqlite`: a fresh SQLite file in the test's tmp_path, migrated from scratch;
            - id `postgres`: only when env SAID_TEST_POSTGRES_URL is set (for example
              postgresql+asyncpg://postgres@127.0.0.1:5432/test). A scratch database is created next to
              the one named (so parallel runs do not disturb each other), migrated once per session, and
              every table is emptied with TRUNCATE … RESTART IDENTITY CASCADE before each test. It is
              dropped when the session ends.
            Disposed after the test. A test that uses it (directly or through `store`) runs once per backend.
`keys`      Fixed `storage.privacy.Keys` from a test secret, so pseudonyms are the same in every run.
`store`     `storage.store.Store(database, keys)` with the real clock and 30 days' vault retention.
            Build your own `Store(database, keys, clock=...)` when a test needs to control time.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage.db import Database
from storage.models import Base
from storage.privacy import Keys
from storage.store import Store

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


@pytest.fixture(params=_BACKENDS)
async def database(request: pytest.FixtureRequest, tmp_path) -> AsyncIterator[Database]:
    if request.param == "sqlite":
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'said.db'}")
        await db.migrate()
    else:
        url = request.getfixturevalue("postgres_url")
        db = Database(url)
        if url not in _migrated:
            await db.migrate()
            _migrated.add(url)
        tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
        async with db.engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    try:
        yield db
    finally:
        await db.dispose()


@pytest.fixture
def keys() -> Keys:
    return Keys.from_secret(TEST_SECRET)


@pytest.fixture
def store(database: Database, keys: Keys) -> Store:
    return Store(database, keys)
