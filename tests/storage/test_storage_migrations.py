"""Migrations build the schema from nothing, match the models exactly, and can be run by several processes."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Integer, MetaData, Table, inspect, text
from sqlalchemy.exc import StatementError

from storage.conversations.store import Store
from storage.db import MIGRATIONS, Database
from storage.models import Base
from storage.privacy.vault import Keys

TABLES = {
    "participants",
    "vault_entries",
    "consents",
    "submissions",
    "answers",
    "feedback",
    "inbound_messages",
    "outbox",
    "web_sessions",
    "rate_slots",
}


def _drift(connection) -> list:
    options = {"compare_type": True, "compare_server_default": True}
    context = MigrationContext.configure(connection, opts=options)
    return compare_metadata(context, Base.metadata)


def _heads() -> list[str]:

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_heads()


def _tables(connection) -> set[str]:
    return set(inspect(connection).get_table_names())


def _alembic(connection, *args: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    getattr(command, args[0])(config, *args[1:])


async def test_migrations_build_every_table_from_nothing_with_no_drift(empty_database_url):
    database = Database(empty_database_url)
    try:
        await database.migrate()
        async with database.engine.connect() as conn:
            assert await conn.run_sync(_tables) >= TABLES
            assert await conn.run_sync(_drift) == []
            versions = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
        assert sorted(versions) == sorted(_heads())
        await database.migrate()  # running again at start-up is harmless
        assert await database.ping()
    finally:
        await database.dispose()


async def test_downgrade_removes_everything_and_upgrade_rebuilds_it(empty_database_url):
    database = Database(empty_database_url)
    try:
        await database.migrate()
        async with database.engine.begin() as conn:
            await conn.run_sync(_alembic, "downgrade", "base")
        async with database.engine.connect() as conn:
            assert not (await conn.run_sync(_tables)) & TABLES
        await database.migrate()
        async with database.engine.connect() as conn:
            assert await conn.run_sync(_drift) == []
    finally:
        await database.dispose()


async def test_several_processes_starting_at_once_all_migrate_cleanly(empty_database_url):
    databases = [Database(empty_database_url) for _ in range(3)]
    try:
        await asyncio.gather(*(db.migrate() for db in databases))
        async with databases[0].engine.connect() as conn:
            assert await conn.run_sync(_drift) == []
    finally:
        for db in databases:
            await db.dispose()


async def test_sqlite_folder_is_created_when_missing(tmp_path: Path):
    path = tmp_path / "var" / "deeper" / "said.db"
    database = Database(f"sqlite+aiosqlite:///{path}")
    try:
        await database.migrate()
        assert path.exists()
        async with database.engine.connect() as conn:
            pragmas = {
                name: (await conn.exec_driver_sql(f"PRAGMA {name}")).scalar_one()
                for name in ("journal_mode", "foreign_keys", "busy_timeout")
            }
        assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 5000}
    finally:
        await database.dispose()


async def test_times_read_back_as_aware_utc_whatever_zone_went_in(database: Database, keys: Keys):
    london_summer = timezone(timedelta(hours=1))
    written = datetime(2025, 7, 1, 9, 30, tzinfo=london_summer)
    store = Store(database, keys, clock=lambda: written)
    async with store.unit() as uow:
        person = await uow.participant("sms", "+447700900123")
        outbox_id = await uow.enqueue(person.id, "sms", "reminder", {"messages": []})
    claimed = await store.claim_outbox("w", now=written)
    assert [item.id for item in claimed] == [outbox_id]
    assert claimed[0].created_at == written
    assert claimed[0].created_at.tzinfo is not None
    assert claimed[0].created_at.utcoffset() == timedelta(0)
    assert claimed[0].created_at.hour == 8  # 09:30 at +01:00 is 08:30 UTC


async def test_naive_times_are_refused(store: Store):
    async with store.unit() as uow:
        person = await uow.participant("sms", "+447700900123")
    # SQLAlchemy wraps the column type's ValueError in a StatementError.
    with pytest.raises(StatementError, match="timezone-aware"):
        async with store.unit() as uow:
            await uow.enqueue(person.id, "sms", "reminder", {}, not_before=datetime(2025, 1, 1))
    assert (await store.outbox_counts())["pending"] == 0


async def test_the_drift_check_notices_a_model_change(database: Database):
    # Guards the no-drift tests above against passing vacuously.
    changed = MetaData()
    for table in Base.metadata.sorted_tables:
        table.to_metadata(changed)
    Table("outbox", changed, Column("priority", Integer), extend_existing=True)

    def drift(connection) -> list:
        return compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), changed)

    async with database.engine.connect() as conn:
        differences = await conn.run_sync(drift)
    assert [(d[0], d[3].name) for d in differences] == [("add_column", "priority")]
