"""Claiming a job's tick, so that with N processes each scheduled job runs once a tick, not N times.

    ticks = SchedulerTicks(database)
    if await ticks.claim("broadcasts", tick=int(time.time() // 30), worker="host:123"):
        ...  # this process runs the job for this window; the others skip it

One atomic upsert on SQLite and PostgreSQL alike: the row moves forward to `tick` only if it was behind, and
the statement returns a row only to the process that moved it. No lock is held while the job runs, and a
process that dies mid-job loses nothing: the job's own work is claimed from tables (the outbox lease) and
the next window runs it again.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, select

from storage import transactions
from storage.db import Database
from storage.prepared import Prepared, upsert_for
from storage.scheduling.tables import SchedulerTick


def _build_claim(dialect: str) -> Any:
    claim = upsert_for(dialect, SchedulerTick).values(
        job=bindparam("b_job"), tick=bindparam("b_tick"), first_tick=bindparam("b_tick"), runs=1,
        claimed_by=bindparam("b_worker"), claimed_at=bindparam("b_now"),
    )
    return claim.on_conflict_do_update(
        index_elements=[SchedulerTick.job],
        set_={
            "tick": claim.excluded.tick, "runs": SchedulerTick.runs + 1,
            "claimed_by": claim.excluded.claimed_by, "claimed_at": claim.excluded.claimed_at,
        },
        where=SchedulerTick.tick < claim.excluded.tick,
    ).returning(SchedulerTick.job)


_CLAIM = Prepared(_build_claim)


class SchedulerTicks:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def claim(self, job: str, *, tick: int, worker: str, now: datetime | None = None) -> bool:
        """True for the one process that claims `tick` of `job` first; False for everyone after it."""
        keys = {"b_job": job, "b_tick": tick, "b_worker": worker[:128], "b_now": now or datetime.now(UTC)}

        async def work(conn: Any) -> bool:
            return (await conn.execute(_CLAIM(conn), keys)).first() is not None

        return await transactions.run(self.database, work, inline=True)

    async def runs(self) -> dict[str, tuple[int, int, int]]:
        """{job: (first_tick, tick, runs)}, for tests and the curious."""
        async def read(conn: Any) -> dict[str, tuple[int, int, int]]:
            rows = await conn.execute(
                select(SchedulerTick.job, SchedulerTick.first_tick, SchedulerTick.tick, SchedulerTick.runs)
            )
            return {row.job: (row.first_tick, row.tick, row.runs) for row in rows}

        return await transactions.run(self.database, read, read_only=True, inline=True)
