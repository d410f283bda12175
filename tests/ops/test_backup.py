"""Backups: `said db backup PATH` copies a live SQLite database (SQLite's online backup), and the guide's
`pg_dump` / `pg_restore` do it for PostgreSQL. Each is restored into a fresh database, which the service
then runs on: the answers are there, the vault still opens, a conversation carries on where it was."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app import cli
from bot.app.wiring import build_parts
from bot.messages import Channel, Inbound
from storage.db import Database
from storage.models import Answer, Participant, Submission
from storage.monitoring import backup_sqlite, migration_state

from .conftest import PERSON, SECRET, database_url


class Conversation:
    """One person texting the service on `database`."""

    def __init__(self, make_settings, database: Database) -> None:
        self.parts = build_parts(make_settings(), database=database)
        self.n = 0

    async def say(self, words: str) -> str:
        self.n += 1
        message = Inbound(text=words, channel=Channel.SMS, received_at=datetime.now(UTC),
                          provider_id=f"SM{self.n:030d}")
        reply = await self.parts.service.handle(Channel.SMS, PERSON, message)
        return "\n".join(m.text for m in reply.messages)


async def _counts(database: Database) -> tuple[int, int, int]:
    async with database.engine.connect() as conn:
        return tuple([
            (await conn.execute(select(func.count()).select_from(table))).scalar_one()
            for table in (Participant, Submission, Answer)
        ])


async def _restore(database: Database, backup: Path, tmp_path: Path, scratch_postgres) -> Database:
    if database.is_sqlite:
        # Restoring SQLite: with the service stopped, the backup file becomes the database file.
        restored = tmp_path / "restored" / "said.db"
        restored.parent.mkdir()
        shutil.copyfile(backup, restored)
        return Database(f"sqlite+aiosqlite:///{restored}")
    url = scratch_postgres("said_restored")
    target = Database(url)
    subprocess.run(
        ["pg_restore", "--no-owner", "--dbname", _libpq(url), str(backup)], check=True, capture_output=True
    )
    return target


def _libpq(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _back_up(database: Database, tmp_path: Path) -> Path:
    if database.is_sqlite:
        return await backup_sqlite(database, tmp_path / "backup.db")
    # The guide's command for PostgreSQL.
    path = tmp_path / "said.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", "--file", str(path), _libpq(database_url(database))],
        check=True, capture_output=True,
    )
    return path


async def test_a_backup_restores_into_a_fresh_database_and_the_service_carries_on(
    make_settings, database: Database, tmp_path: Path, scratch_postgres_or_none
) -> None:
    if not database.is_sqlite and shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    person = Conversation(make_settings, database)
    await person.say("DEMO")
    first_question = await person.say("yes")
    assert first_question
    before = await _counts(database)
    assert before[0] == 1 and before[1] == 1

    async with database.engine.connect() as conn:
        state_then = (await conn.execute(select(Participant.conversation))).scalar_one()
    backup = await _back_up(database, tmp_path)  # while the service's connections are open
    await person.say("This is said after the backup was taken")

    restored = await _restore(database, backup, tmp_path, scratch_postgres_or_none)
    try:
        await restored.migrate()  # what `said serve` does first: nothing to do
        assert (await migration_state(restored)).current
        assert await _counts(restored) == before
        again = Conversation(make_settings, restored)
        async with again.parts.store.unit() as uow:
            found = await uow.participant("sms", PERSON)  # the same pseudonym key finds the same person
            assert found is not None and found.id == 1
            await uow.enqueue(found.id, "sms", "followup", {"messages": []})
        # The vault still opens: the outbox gets the person's number back to send to.
        [item] = await again.parts.store.claim_outbox("test", now=datetime.now(UTC), channels={"sms"})
        assert item.address == PERSON
        async with restored.engine.connect() as conn:
            state_now = (await conn.execute(select(Participant.conversation))).scalar_one()
        assert state_now == state_then != {}, "the conversation goes on from where the backup left it"
    finally:
        await restored.dispose()


@pytest.fixture
def scratch_postgres_or_none(request):
    if os.environ.get("SAID_TEST_POSTGRES_URL"):
        return request.getfixturevalue("scratch_postgres")
    return None


def _said(monkeypatch, capsys, url: str, *args: str) -> tuple[int, str, str]:
    monkeypatch.setenv("SAID_DATABASE_URL", url)
    monkeypatch.setenv("SAID_SECRET_KEY", SECRET)
    code = cli.main(["db", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    import asyncio

    url = f"sqlite+aiosqlite:///{tmp_path / 'live.db'}"

    async def migrate() -> None:
        db = Database(url)
        await db.migrate()
        await db.dispose()

    asyncio.run(migrate())
    return url


def test_the_command_backs_up_to_a_file_readable_only_by_its_owner(monkeypatch, capsys, tmp_path, sqlite_url):
    code, out, err = _said(monkeypatch, capsys, sqlite_url, "backup", str(tmp_path / "copy.db"))
    assert code == 0, err
    assert f"Backed up to {tmp_path / 'copy.db'}" in out
    assert (tmp_path / "copy.db").stat().st_mode & 0o777 == 0o600
    assert not list(tmp_path.glob(".*.partial"))


def test_a_folder_gets_a_dated_file(monkeypatch, capsys, tmp_path, sqlite_url):
    folder = tmp_path / "backups"
    folder.mkdir()
    code, out, _ = _said(monkeypatch, capsys, sqlite_url, "backup", str(folder))
    assert "Backed up to" in out
    assert code == 0
    [made] = list(folder.iterdir())
    assert made.name.startswith("said-") and made.suffix == ".db"


def test_an_existing_file_is_never_written_over(monkeypatch, capsys, tmp_path, sqlite_url):
    existing = tmp_path / "keep.db"
    existing.write_text("an older backup")
    code, _, err = _said(monkeypatch, capsys, sqlite_url, "backup", str(existing))
    assert code == 1
    assert "already exists" in err and "Traceback" not in err
    assert existing.read_text() == "an older backup"


def test_a_missing_folder_is_named(monkeypatch, capsys, tmp_path, sqlite_url):
    code, _, err = _said(monkeypatch, capsys, sqlite_url, "backup", str(tmp_path / "nope" / "x.db"))
    assert code == 1 and "does not exist" in err


def test_postgresql_points_to_pg_dump_without_the_password(monkeypatch, capsys, tmp_path):
    url = "postgresql+asyncpg://said:very-secret-pw@db.internal:5432/said"
    code, _, err = _said(monkeypatch, capsys, url, "backup", str(tmp_path / "said.dump"))
    assert code == 1
    assert "pg_dump --format=custom" in err and "db.internal:5432/said" in err
    assert "very-secret-pw" not in err and "asyncpg" not in err
