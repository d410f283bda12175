"""What operations needs to see of the database: backlogs and waiting times, migration state, backups.

    snap = await snapshot(database, now)        # outbox backlog, open alerts, notices due (counts and ages)
    state = await migration_state(database)     # which migrations are applied, and which the code expects
    path = await backup_sqlite(database, Path("backups/"))

Every number here is a count or an age in seconds, grouped by channel, level or status; nothing that names
or points at a person.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from storage import transactions
from storage.db import MIGRATIONS, Database
from storage.models import OutboxMessage
from storage.safeguarding.tables import ALERT_LEVELS, SafeguardingAlert

_O = OutboxMessage
_A = SafeguardingAlert


@dataclass(frozen=True)
class Snapshot:
    """Counts and ages (seconds) read in one go. Ages are 0 when nothing waits."""

    # (channel, state) -> rows; state is "due" (may go now), "waiting" (a retry or quiet hours ahead), "sending".
    outbox: dict[tuple[str, str], int] = field(default_factory=dict)
    # channel -> seconds the oldest due row has waited past the moment it was due.
    outbox_oldest_due: dict[str, float] = field(default_factory=dict)
    # level -> alerts not yet closed, and level -> alerts nobody has acknowledged yet.
    alerts_open: dict[str, int] = field(default_factory=dict)
    alerts_unacknowledged: dict[str, int] = field(default_factory=dict)
    oldest_unacknowledged: float = 0.0  # seconds since the oldest alert nobody has acknowledged was raised
    notices_due: int = 0  # alerts whose duty notices are due and not yet sent
    oldest_notice_due: float = 0.0  # seconds the oldest due duty notice has waited


def _age(now: datetime, since: datetime | None) -> float:
    if since is None:
        return 0.0
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return max(0.0, (now - since).total_seconds())


async def snapshot(database: Database, now: datetime) -> Snapshot:
    """One read-only transaction; through the async engine, so a slow count never holds up the event loop."""

    async def work(conn: AsyncConnection) -> Snapshot:
        outbox: dict[tuple[str, str], int] = {}
        oldest: dict[str, float] = {}
        due = (_O.status == "pending") & (_O.next_attempt_at <= now)
        due_rows = await conn.execute(
            select(_O.channel, func.count(), func.min(_O.next_attempt_at)).where(due).group_by(_O.channel)
        )
        for channel, count, first in due_rows:
            outbox[(channel, "due")] = int(count)
            oldest[channel] = _age(now, first)
        waiting = (_O.status == "pending") & (_O.next_attempt_at > now)
        for state, where in (("waiting", waiting), ("sending", _O.status == "sending")):
            counted = await conn.execute(select(_O.channel, func.count()).where(where).group_by(_O.channel))
            outbox.update({(channel, state): int(count) for channel, count in counted})

        open_by_level = {level: 0 for level in ALERT_LEVELS}
        unacknowledged = {level: 0 for level in ALERT_LEVELS}
        alert_rows = await conn.execute(
            select(_A.level, _A.status, func.count()).where(_A.status != "closed").group_by(_A.level, _A.status)
        )
        for level, status, count in alert_rows:
            open_by_level[level] = open_by_level.get(level, 0) + int(count)
            if status == "open":
                unacknowledged[level] = unacknowledged.get(level, 0) + int(count)
        first_open = await conn.scalar(select(func.min(_A.created_at)).where(_A.status == "open"))
        notice = (
            await conn.execute(
                select(func.count(), func.min(_A.notice_due_at)).where(_A.notice_due_at <= now)
            )
        ).one()
        return Snapshot(
            outbox=outbox,
            outbox_oldest_due=oldest,
            alerts_open=open_by_level,
            alerts_unacknowledged=unacknowledged,
            oldest_unacknowledged=_age(now, first_open),
            notices_due=int(notice[0]),
            oldest_notice_due=_age(now, notice[1]),
        )

    return await transactions.run(database, work, read_only=True, inline=False)


@dataclass(frozen=True)
class MigrationState:
    applied: frozenset[str]
    expected: frozenset[str]

    @property
    def current(self) -> bool:
        return self.applied == self.expected


@lru_cache(maxsize=1)
def expected_heads() -> frozenset[str]:
    """The migration heads shipped with this code (read once: Alembic parses every migration file)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return frozenset(ScriptDirectory.from_config(config).get_heads())


async def migration_state(database: Database) -> MigrationState:
    def applied(conn: Connection) -> frozenset[str]:
        return frozenset(MigrationContext.configure(conn).get_current_heads())

    async def work(conn: AsyncConnection) -> frozenset[str]:
        return await conn.run_sync(applied)

    found = await transactions.run(database, work, read_only=True, inline=False)
    return MigrationState(applied=found, expected=expected_heads())


class BackupError(Exception):
    """A backup could not be made; the message says why and what to do instead."""


def backup_target(path: Path, now: datetime) -> Path:
    """A folder gets a file named by the time; an existing file is never overwritten."""
    if path.is_dir():
        path = path / f"said-{now:%Y%m%d-%H%M%S}.db"
    if path.exists():
        raise BackupError(f"{path} already exists. Choose a new name (backups are never written over).")
    if not path.parent.is_dir():
        raise BackupError(f"the folder {path.parent} does not exist. Create it first, or choose another path.")
    return path


def postgres_dump_command(database: Database, path: Path) -> str:
    """The pg_dump line for this database, without its password (pg_dump reads PGPASSWORD or ~/.pgpass)."""
    url = database.url.set(drivername="postgresql", password=None)
    return f"pg_dump --format=custom --file {path} '{url.render_as_string(hide_password=True)}'"


async def backup_sqlite(database: Database, path: Path, *, now: datetime | None = None) -> Path:
    """Copy a live SQLite database with SQLite's online backup API, check the copy and return its path.

    The service may keep running: the copy is one consistent moment, taken under a read lock that writers
    in WAL mode do not wait for. The copy is written beside its final name and moved there only once
    `PRAGMA integrity_check` passes, so a failed backup never leaves a half-written file looking like one.
    """
    if not database.is_sqlite:
        raise BackupError(
            "`said db backup` copies SQLite databases. For PostgreSQL use pg_dump, for example:\n  "
            + postgres_dump_command(database, path)
        )
    source = database.url.database
    if not source or source == ":memory:" or source.startswith("file:"):
        raise BackupError("this SQLite database is not a file, so there is nothing to back up.")
    if not Path(source).exists():
        raise BackupError(f"there is no database at {source} yet. Run `said db upgrade` first.")
    target = backup_target(path, now or datetime.now(UTC))
    partial = target.with_name(f".{target.name}.partial")
    await asyncio.to_thread(_copy, Path(source), partial, int(database.write_wait * 1000))
    os.replace(partial, target)
    return target


def _copy(source: Path, partial: Path, busy_ms: int) -> None:
    # The copy holds the vault's sealed addresses: readable by the service's user only, from the first byte.
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    try:
        # Opened read-write: a read-only connection cannot join a WAL database whose -shm file is missing.
        src = sqlite3.connect(source, timeout=busy_ms / 1000)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
                # A backup on its own is one file: no WAL beside it to copy or lose.
                dst.execute("PRAGMA journal_mode=DELETE")
                result = dst.execute("PRAGMA integrity_check").fetchone()
                if result is None or result[0] != "ok":
                    raise BackupError(f"the copy failed SQLite's integrity check ({result}); the backup was not kept.")
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"SQLite could not copy the database ({exc}); nothing was written. Try again.") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
