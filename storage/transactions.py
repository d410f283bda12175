"""One transaction on one connection: the helper every store opens its transactions with.

    async with transaction(database, read_only=False, inline=True) as conn:
        await outbox.cancel(conn, outbox_id, reason, now)
    counts = await run(database, outbox.counts, read_only=True, inline=True)

A writer first takes this process's turn to write (`Database.writing()`; only SQLite has one), then opens a
connection and begins; the block's error rolls it back, its end commits, and the connection is closed before
the turn is given up. Transient database failures, waiting too long for the turn among them, surface as
`StorageUnavailable` (storage/errors.py).

`inline` chooses how SQLite is reached: True runs statements on the event loop (storage/inline.py says why;
right for short statements), False goes through the async engine's worker thread (right for a query that
may take a while, which must not hold up the event loop). PostgreSQL always goes through the async engine.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TypeVar, cast

from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import Database
from storage.errors import translated
from storage.inline import InlineConnection

T = TypeVar("T")


@asynccontextmanager
async def transaction(database: Database, *, read_only: bool = False, inline: bool) -> AsyncIterator[AsyncConnection]:
    """One transaction: committed when the block ends, rolled back if it raises."""
    async with contextlib.AsyncExitStack() as stack:
        if not read_only:
            # SQLite: queue behind this process's other writers first, so a writer here and one there wait in
            # order instead of one waiting inside SQLite while the other needs the event loop. Waiting too long
            # for our turn is the same as a busy database.
            with translated():
                await stack.enter_async_context(database.writing())
        yield await stack.enter_async_context(_connection(database, read_only=read_only, inline=inline))


async def run(
    database: Database, work: Callable[[AsyncConnection], Awaitable[T]], *, read_only: bool = False, inline: bool
) -> T:
    """`work(conn)` in a transaction of its own; its result once committed."""
    async with transaction(database, read_only=read_only, inline=inline) as conn:
        with translated():
            return await work(conn)


async def each_alone(
    database: Database, work: Callable[[AsyncConnection], Awaitable[T]], *, read_only: bool = False
) -> T:
    """`work(conn)` whose statements each stand alone: each commits as it runs, with no transaction around
    them. Only for work whose every statement is whole by itself (one atomic upsert, one read) and which
    needs no two of them to agree: on PostgreSQL it saves the BEGIN and COMMIT round trips. SQLite runs it
    as `run` does (its statements run in this process: there is no round trip to save)."""
    if database.autocommit is None:
        return await run(database, work, read_only=read_only, inline=True)
    with translated():
        async with database.autocommit.connect() as conn:
            return await work(conn)


@asynccontextmanager
async def _connection(database: Database, *, read_only: bool, inline: bool) -> AsyncIterator[AsyncConnection]:
    with translated():
        if inline and database.inline is not None and database.inline_reader is not None:
            # SQLite: statements run inline (storage/inline.py says why); same interface.
            connection = InlineConnection.connect(
                database.inline_reader if read_only else database.inline,
                busy_timeout_ms=int(database.write_wait * 1000),
            )
            conn = cast(AsyncConnection, connection)
        else:
            conn = await (database.reader if read_only else database.engine).connect()
    try:
        with translated():
            await conn.begin()
        try:
            yield conn
        except BaseException:
            # The original error matters more than a failed rollback on a broken connection.
            with contextlib.suppress(Exception):
                await conn.rollback()
            raise
        with translated():
            await conn.commit()
    finally:
        with contextlib.suppress(Exception):
            await conn.close()
