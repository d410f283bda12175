"""Rate slots shared by every process: one atomic upsert hands out the next free moment.

`reserve` (sending): each call reserves the slot `interval` seconds after the previous one (or now, if
the key was idle), so N processes asking at once get N distinct, evenly spaced slots.
`admit` / `blocked` (inbound requests): a GCRA limiter, "one every `interval` seconds, `burst` at
once", that refuses rather than queues. Both without Redis: the database is what every process shares.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, case, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.models import RateSlot
from storage.sql import is_postgres


async def reserve(conn: AsyncConnection, key: str, *, now: float, interval: float) -> float:
    """Reserve the next slot for `key` and return its start (epoch seconds, never before `now`)."""
    insert = pg_insert if is_postgres(conn) else sqlite_insert
    table = cast(Table, RateSlot.__table__)
    statement = insert(table).values(key=key, next_at=now + interval)
    later = case((table.c.next_at > literal(now), table.c.next_at), else_=literal(now))
    upsert = statement.on_conflict_do_update(
        index_elements=[table.c.key], set_={"next_at": later + literal(interval)}
    ).returning(table.c.next_at)
    next_at = (await conn.execute(upsert)).scalar_one()
    return float(next_at) - interval


def _later_of(column: Any, now: float) -> Any:
    return case((column > literal(now), column), else_=literal(now))


async def admit(conn: AsyncConnection, key: str, *, now: float, interval: float, burst: int) -> float | None:
    """Let one request through under "one every `interval` seconds, `burst` at once" (GCRA), or not.

    None when admitted (the key's slot moves on one interval); otherwise the seconds until the key may
    try again, and nothing changes, so refused requests do not push the wait further out. One
    conditional upsert, so the limit holds across processes sharing the database."""
    insert = pg_insert if is_postgres(conn) else sqlite_insert
    table = cast(Table, RateSlot.__table__)
    window = interval * max(burst, 1)
    later = _later_of(table.c.next_at, now)
    statement = (
        insert(table)
        .values(key=key, next_at=now + interval)
        .on_conflict_do_update(
            index_elements=[table.c.key],
            set_={"next_at": later + literal(interval)},
            where=later + literal(interval) - literal(now) <= literal(window),
        )
        .returning(table.c.next_at)
    )
    if (await conn.execute(statement)).first() is not None:
        return None
    next_at = float((await conn.execute(select(table.c.next_at).where(table.c.key == key))).scalar_one())
    return max(next_at + interval - now - window, interval)


async def blocked(conn: AsyncConnection, key: str, *, now: float, interval: float, burst: int) -> float | None:
    """Seconds until `key` may try again if its budget is spent, else None. Reads only."""
    table = cast(Table, RateSlot.__table__)
    next_at = (await conn.execute(select(table.c.next_at).where(table.c.key == key))).scalar_one_or_none()
    if next_at is None:
        return None
    over = float(next_at) - now - interval * (max(burst, 1) - 1)
    return over if over > 0 else None
