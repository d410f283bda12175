"""A database that is down or busy gives StorageUnavailable, kindly worded and free of SQL values."""

from __future__ import annotations

import asyncio
import socket
from datetime import UTC, datetime, timedelta

import pytest

from storage.conversations.store import StorageUnavailable, Store
from storage.db import Database
from storage.privacy.vault import Keys


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_an_unreachable_postgres_is_unavailable_not_a_crash(keys: Keys):
    database = Database(f"postgresql+asyncpg://postgres@127.0.0.1:{_closed_port()}/said")
    store = Store(database, keys)
    try:
        assert await database.ping(timeout=2) is False
        with pytest.raises(StorageUnavailable) as raised:
            async with store.unit() as uow:
                await uow.participant("sms", "+447700900123")
        assert "7700" not in str(raised.value)
        assert raised.value.__cause__ is None and raised.value.__suppress_context__
        with pytest.raises(StorageUnavailable):
            await store.claim_outbox("w", now=datetime.now(UTC))
        with pytest.raises(StorageUnavailable):
            await store.mark_sent(1, "SM1")
        with pytest.raises(StorageUnavailable):
            await database.migrate()
    finally:
        await database.dispose()


async def test_a_locked_sqlite_database_is_unavailable_after_the_busy_timeout(tmp_path, keys: Keys):
    url = f"sqlite+aiosqlite:///{tmp_path / 'said.db'}"
    holder = Database(url)
    await holder.migrate()
    impatient = Database(url, sqlite_busy_timeout=0.2)
    store = Store(impatient, keys)
    try:
        async with holder.engine.begin() as conn:  # a long write transaction elsewhere
            await conn.exec_driver_sql("DELETE FROM outbox")
            with pytest.raises(StorageUnavailable, match="OperationalError"):
                async with store.unit() as uow:
                    await uow.record_inbound("sms", "SM-secret-42", {"a": 1})
            # Readers are not blocked by the writer (WAL).
            assert await impatient.ping(timeout=2)
            assert await store.outbox_counts() == dict.fromkeys(
                ("pending", "sending", "sent", "delivered", "failed", "cancelled"), 0
            )
    finally:
        await impatient.dispose()
        await holder.dispose()


async def test_errors_from_the_callers_own_code_pass_through_unchanged(store: Store):
    class EngineBug(Exception):
        pass

    with pytest.raises(EngineBug):
        async with store.unit():
            raise EngineBug
    with pytest.raises(ConnectionResetError):  # an OSError from elsewhere is not a database problem
        async with store.unit():
            raise ConnectionResetError


async def test_a_cancelled_unit_rolls_back(store: Store):
    started = asyncio.Event()

    async def slow():
        async with store.unit() as uow:
            await uow.participant("sms", "+447700900123")
            started.set()
            await asyncio.sleep(10)

    task = asyncio.create_task(slow())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await store.dump_all_text() == ""
    async with store.unit() as uow:  # and the database is still usable
        await uow.participant("sms", "+447700900123")
    assert await store.claim_outbox("w", now=datetime.now(UTC) + timedelta(seconds=1)) == []


async def test_a_burst_of_writers_all_get_their_turn_in_order(database: Database, keys: Keys):
    store = Store(database, keys)
    finished: list[int] = []

    async def message(n: int):
        async with store.unit() as uow:
            await uow.participant("telegram", str(1000 + n))
            await asyncio.sleep(0.01)  # the engine thinking, while the transaction is open
        finished.append(n)

    await asyncio.gather(*(message(n) for n in range(40)))
    assert sorted(finished) == list(range(40))
    if database.is_sqlite:
        assert finished == list(range(40))  # first come, first served


async def test_on_sqlite_waiting_longer_than_the_busy_timeout_is_unavailable(tmp_path, keys: Keys):
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'said.db'}", sqlite_busy_timeout=0.2)
    await database.migrate()
    store = Store(database, keys)
    try:
        holding = asyncio.Event()

        async def slow():
            async with store.unit() as uow:
                await uow.participant("telegram", "1")
                holding.set()
                await asyncio.sleep(0.6)

        task = asyncio.create_task(slow())
        await holding.wait()
        with pytest.raises(StorageUnavailable, match="TimeoutError"):
            async with store.unit() as uow:
                await uow.participant("telegram", "2")
        await task
        assert "participants:" in await store.dump_all_text()  # the slow one still committed
    finally:
        await database.dispose()
