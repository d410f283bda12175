"""Fixtures for the storage tests: a controllable clock and empty (unmigrated) databases."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from storage.conversations.store import Store
from storage.db import Database
from storage.privacy.vault import Keys

_BACKENDS = ["sqlite", *(["postgres"] if os.environ.get("SAID_TEST_POSTGRES_URL") else [])]


class ManualClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def timed_store(database: Database, keys: Keys, clock: ManualClock) -> Store:
    """A Store on `database` whose idea of now is `clock`."""
    return Store(database, keys, clock=clock, vault_retention=timedelta(days=30))


@pytest.fixture(params=_BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A database with no tables yet: a new SQLite path, or a new scratch PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'nested' / 'folder' / 'said.db'}"
        return
    yield request.getfixturevalue("scratch_postgres")("said_empty")
