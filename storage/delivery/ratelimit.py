"""Send-rate slots shared by every process: one atomic upsert hands out the next free moment.

Each call reserves the slot `interval` seconds after the previous one (or now, if the key was idle),
so N processes asking at once get N distinct, evenly spaced slots. A GCRA-style limiter without Redis.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, case, literal
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
