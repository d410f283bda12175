"""/healthz says the process is alive; /readyz says whether it should get traffic: the database answers,
its migrations are current, and the scheduler (where this process runs it) is not stuck."""

from __future__ import annotations

from sqlalchemy import text

from bot.app.ops import readiness
from bot.delivery.scheduler import STALE_GRACE, TickMonitor
from storage.db import Database

from .conftest import Running


async def test_alive_and_ready_on_a_migrated_database(make_settings, run_app) -> None:
    async with run_app(make_settings()) as running:
        running: Running
        alive = await running.http.get("/healthz")
        assert alive.status_code == 200 and alive.json() == {"status": "alive"}
        ready = await running.http.get("/readyz")
        assert ready.status_code == 200
        assert ready.json() == {
            "status": "ready",
            "checks": {"database": "ok", "migrations": "ok", "scheduler": "not run here"},
        }
        assert ready.headers["cache-control"] == "no-store"


async def test_not_ready_while_a_migration_is_missing(make_settings, run_app, database: Database) -> None:
    async with run_app(make_settings()) as running:
        async with database.engine.begin() as conn:
            head = (await conn.execute(text("SELECT min(version_num) FROM alembic_version"))).scalar_one()
            await conn.execute(text("DELETE FROM alembic_version WHERE version_num = :v"), {"v": head})
        try:
            ready = await running.http.get("/readyz")
            assert ready.status_code == 503
            assert ready.json()["checks"]["migrations"] == "not current: run `said db upgrade`"
            assert (await running.http.get("/healthz")).status_code == 200, "alive all the same: do not restart it"
        finally:  # the PostgreSQL test database is shared by the session's tests
            async with database.engine.begin() as conn:
                await conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": head})


async def test_a_database_that_does_not_answer_is_named() -> None:
    nowhere = Database("postgresql+asyncpg://said@127.0.0.1:9/said")  # port 9: nothing listens
    try:
        checks = await readiness(nowhere, None)
    finally:
        await nowhere.dispose()
    assert checks["database"] == "not answering"
    assert checks["migrations"].startswith("unknown")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_tick_that_stops_starting_makes_the_scheduler_late() -> None:
    clock = Clock()
    monitor = TickMonitor(clock=clock)
    monitor.add("outbox", 2.0)
    monitor.add("safeguarding-notices", 30.0)
    monitor.start()
    assert monitor.late() == []
    clock.now += 2 * 2.0 + STALE_GRACE - 1
    assert monitor.late() == [], "one slow tick is not yet a stuck scheduler"
    monitor.began("outbox")
    monitor.ended("outbox", ok=True)
    clock.now += 2 * 30.0 + STALE_GRACE + 1
    assert monitor.late() == ["outbox", "safeguarding-notices"]
    monitor.began("outbox")  # a tick that starts and never ends is stuck too
    assert monitor.late() == ["safeguarding-notices"]
    clock.now += 2 * 2.0 + STALE_GRACE + 1
    assert monitor.late() == ["outbox", "safeguarding-notices"]


async def test_the_scheduler_is_checked_where_it_runs(make_settings, run_app) -> None:
    async with run_app(make_settings(scheduler=True)) as running:
        ready = await running.http.get("/readyz")
        assert ready.status_code == 200
        assert ready.json()["checks"]["scheduler"] == "ok"
        monitor = running.app.state.background.monitor
        assert {"outbox", "retention", "checkins", "safeguarding-notices", "broadcasts"} <= set(monitor.jobs)
        real = monitor.clock
        monitor.clock = lambda: real() + 3600  # an hour on with no tick: the scheduler is stuck
        stuck = await running.http.get("/readyz")
        assert stuck.status_code == 503
        assert stuck.json()["status"] == "not ready"
        assert "outbox" in stuck.json()["checks"]["scheduler"]
