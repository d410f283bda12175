"""Rate slots shared by every process: one atomic upsert hands out the next free moment.

`reserve` (sending): each call reserves the slot `interval` seconds after the previous one (or now, if
the key was idle), so N processes asking at once get N distinct, evenly spaced slots.
`admit` / `blocked` (inbound requests): a GCRA limiter, "one every `interval` seconds, `burst` at
once", that refuses rather than queues. Both without Redis: the database is what every process shares.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Float, Table, bindparam, case, select
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.models import RateSlot
from storage.prepared import Prepared, upsert_for

# Built once (storage/prepared.py): these run on every web chat request and every webhook.
_TABLE = cast(Table, RateSlot.__table__)
_NOW = bindparam("b_now", type_=Float)
_INTERVAL = bindparam("b_interval", type_=Float)
_WINDOW = bindparam("b_window", type_=Float)


def _later_of(column: Any) -> Any:
    return case((column > _NOW, column), else_=_NOW)


def _build_reserve(dialect: str) -> Any:
    statement = upsert_for(dialect, _TABLE).values(key=bindparam("b_key"), next_at=_NOW + _INTERVAL)
    return statement.on_conflict_do_update(
        index_elements=[_TABLE.c.key], set_={"next_at": _later_of(_TABLE.c.next_at) + _INTERVAL}
    ).returning(_TABLE.c.next_at)


def _build_admit(dialect: str) -> Any:
    later = _later_of(_TABLE.c.next_at)
    statement = upsert_for(dialect, _TABLE).values(key=bindparam("b_key"), next_at=_NOW + _INTERVAL)
    return statement.on_conflict_do_update(
        index_elements=[_TABLE.c.key],
        set_={"next_at": later + _INTERVAL},
        where=later + _INTERVAL - _NOW <= _WINDOW,
    ).returning(_TABLE.c.next_at)


_RESERVE = Prepared(_build_reserve)
_ADMIT = Prepared(_build_admit)
_NEXT_AT = Prepared(lambda _: select(_TABLE.c.next_at).where(_TABLE.c.key == bindparam("b_key")))


async def reserve(conn: AsyncConnection, key: str, *, now: float, interval: float) -> float:
    """Reserve the next slot for `key` and return its start (epoch seconds, never before `now`)."""
    next_at = (await conn.execute(_RESERVE(conn), {"b_key": key, "b_now": now, "b_interval": interval})).scalar_one()
    return float(next_at) - interval


async def admit(conn: AsyncConnection, key: str, *, now: float, interval: float, burst: int) -> float | None:
    """Let one request through under "one every `interval` seconds, `burst` at once" (GCRA), or not.

    None when admitted (the key's slot moves on one interval); otherwise the seconds until the key may
    try again, and nothing changes, so refused requests do not push the wait further out. One
    conditional upsert, so the limit holds across processes sharing the database."""
    window = interval * max(burst, 1)
    values = {"b_key": key, "b_now": now, "b_interval": interval, "b_window": window}
    if (await conn.execute(_ADMIT(conn), values)).first() is not None:
        return None
    next_at = float((await conn.execute(_NEXT_AT(conn), {"b_key": key})).scalar_one())
    return max(next_at + interval - now - window, interval)


async def blocked(conn: AsyncConnection, key: str, *, now: float, interval: float, burst: int) -> float | None:
    """Seconds until `key` may try again if its budget is spent, else None. Reads only."""
    next_at = (await conn.execute(_NEXT_AT(conn), {"b_key": key})).scalar_one_or_none()
    if next_at is None:
        return None
    over = float(next_at) - now - interval * (max(burst, 1) - 1)
    return over if over > 0 else None
