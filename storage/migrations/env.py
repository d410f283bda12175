"""Alembic environment.

The application runs migrations through `storage.db.Database.migrate()`, which hands over an open
connection in `config.attributes["connection"]`. Developers writing a new revision can also run the
`alembic` command with `storage/alembic.ini`; then the URL comes from SAID_DATABASE_URL.
"""

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from storage.models import Base

DEFAULT_URL = "sqlite+aiosqlite:///./var/said.db"

config = context.config
target_metadata = Base.metadata


def run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_from_command_line() -> None:
    url = config.get_main_option("sqlalchemy.url") or os.environ.get("SAID_DATABASE_URL", DEFAULT_URL)
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(run_with)
    finally:
        await engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run them against a database")

given = config.attributes.get("connection")
if given is not None:
    run_with(given)
else:
    asyncio.run(run_from_command_line())
