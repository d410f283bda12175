"""PostgreSQL LISTEN/NOTIFY: a message queued by any process wakes every process's dispatcher at once.

Queuing an outbox row on PostgreSQL also sends `NOTIFY said_outbox` in the same transaction, so the
notification goes out when, and only if, the row is committed (several in one transaction arrive as one).
Each serving process listens on a connection of its own and kicks its dispatcher, so a broadcast planned by
`said broadcast create`, or a reply queued by another process, is sent within milliseconds instead of at the
next poll. The poll stays, as the backstop for a notification missed while a connection was being remade.

SQLite has no such thing; it runs one serving process, which kicks its own dispatcher.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import asyncpg
from sqlalchemy import text

from storage.db import Database

log = logging.getLogger("said.wakeups")

OUTBOX_CHANNEL = "said_outbox"
NOTIFY_OUTBOX = text(f"NOTIFY {OUTBOX_CHANNEL}")
RECONNECT_SECONDS = 5.0
CHECK_SECONDS = 5.0  # how often a quiet listening connection is checked for having gone away


async def notify_outbox(conn: Any) -> None:
    """Wake every process's dispatcher when this transaction commits (PostgreSQL; nothing elsewhere)."""
    if conn.dialect.name == "postgresql":
        await conn.execute(NOTIFY_OUTBOX)


def _dsn(database: Database) -> str:
    # The asyncpg driver's own URL form: SQLAlchemy's is postgresql+asyncpg://
    return database.url.set(drivername="postgresql").render_as_string(hide_password=False)


async def listen(database: Database, channel: str, on_notify: Callable[[], None]) -> None:
    """Call `on_notify` for every notification on `channel`, until cancelled. Reconnects on its own."""
    if not database.is_postgres:
        return
    while True:
        connection: Any = None
        try:
            connection = await asyncpg.connect(_dsn(database))
            await connection.add_listener(channel, lambda *_: on_notify())
            log.info("listening for queued messages from other processes")
            on_notify()  # anything queued while we were not listening
            while not connection.is_closed():
                await asyncio.sleep(CHECK_SECONDS)
                await connection.execute("SELECT 1")  # a dead connection shows itself here
        except asyncio.CancelledError:
            raise
        except Exception as error:  # the database restarting, a network blip: listen again shortly
            log.warning("listening for queued messages stopped (%s); trying again in %.0f s",
                        type(error).__name__, RECONNECT_SECONDS)
        finally:
            if connection is not None and not connection.is_closed():
                await connection.close()
        await asyncio.sleep(RECONNECT_SECONDS)
