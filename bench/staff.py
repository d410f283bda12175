"""Staff console benchmarks.

`run_results`: a pack with 1,000,000 answers (200,000 submissions over a year, five questions each), then
the results page rendered through the real app (queries, suppression, charts, template) by a signed-in
member; the time is the median of five renders after one warm-up. Target: under 1 s on PostgreSQL.
The comparisons (this month against last; channel against channel: one query grouping every answer by
its submission's month or channel) and one question's trend page are timed the same way, target 1 s.

`run_broadcast_plan`: 100,000 people who said yes to updates, and a broadcast planned to all of them in
one transaction (INSERT … SELECT). Target: under 10 s. Memory is Python's peak allocation during
planning (tracemalloc), measured at 10,000 and at 100,000 people: flat means it does not grow with them.

`run_broadcast_dispatch`: a broadcast to 400 people on SMS sent by the dispatcher through a sender that
declares 100 messages a second; the achieved rate is measured from the send times. Target: within 5%.

    python -m bench.staff                 # all three, SQLite and (with SAID_BENCH_POSTGRES_URL) PostgreSQL
"""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from argon2 import PasswordHasher
from sqlalchemy import insert

from bot.app.settings import load_settings
from bot.app.staff import build_staff
from bot.app.wiring import build_parts
from bot.delivery.dispatcher import Dispatcher
from bot.hours import QuietHours
from bot.web.staff.passwords import Passwords
from bot.web.staff.routes import staff_routes
from channels.base import Sent
from storage.models import Answer, Consent, Participant, Submission, VaultEntry
from storage.privacy.vault import Keys, Vault
from storage.staff.broadcasts import Audience
from storage.staff.records import Actor

SECRET = "bench-secret-key-not-for-real-use"
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
BATCH = 10_000
ACTOR = Actor("bench")


def _parts(database_url: str) -> Any:
    settings = load_settings(
        database_url=database_url, secret_key=SECRET, var_dir=Path(tempfile.mkdtemp()), scheduler=False
    )
    parts = build_parts(settings, clock=lambda: NOW)
    return settings, parts


def _console(settings: Any, parts: Any, channels: Any = None) -> Any:
    return build_staff(
        settings, parts.database, parts.service.prompts, channels=channels or parts.senders, clock=lambda: NOW,
        passwords=Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)),
    )


async def _insert(conn: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        await conn.execute(insert(table), rows[start : start + BATCH])


async def _answers(database: Any, submissions: int) -> int:
    rng = random.Random(7)
    channels = ["sms"] * 5 + ["web"] * 3 + ["telegram"] * 2 + ["voice"]
    answered = 0
    async with database.engine.begin() as conn:
        for start in range(0, submissions, BATCH):
            subs, answers = [], []
            for n in range(start, min(start + BATCH, submissions)):
                at = NOW - timedelta(minutes=rng.randrange(365 * 24 * 60))
                sid = f"bench-{n:07d}"
                subs.append({"id": sid, "participant_id": None, "pack_id": "demo", "pack_version": 1, "language": "en",
                             "channel": rng.choice(channels), "status": "completed", "started_at": at,
                             "finished_at": at})
                base = {"submission_id": sid, "value": None, "number": None, "text": None, "skipped": False,
                        "answered_at": at}
                answers += [
                    {**base, "question_id": "overall", "value": rng.choice(["good"] * 6 + ["ok"] * 3 + ["poor"])},
                    {**base, "question_id": "listened", "value": rng.choice(["1", "2", "3"])},
                    {**base, "question_id": "better", "text": "It was fine.", "skipped": rng.random() < 0.7},
                    {**base, "question_id": "wait_weeks", "number": float(rng.randrange(0, 53))},
                    {**base, "question_id": "hear_back", "value": rng.choice(["yes", "no"])},
                ]
            await _insert(conn, Submission, subs)
            await _insert(conn, Answer, answers)
            answered += len(answers)
    return answered


async def _analyze(database: Any) -> None:
    """Refresh the planner's statistics, as autovacuum does after a bulk load, so the plans are the ones a
    running service gets (with stale statistics PostgreSQL sorts a million rows instead of hashing)."""
    from sqlalchemy import text

    async with database.engine.connect() as conn:
        await conn.execute(text("ANALYZE"))
        await conn.commit()


async def run_results(database_url: str, submissions: int = 200_000) -> dict[str, float]:
    settings, parts = _parts(database_url)
    await parts.database.migrate()
    try:
        loaded = time.perf_counter()
        answers = await _answers(parts.database, submissions)
        loaded = time.perf_counter() - loaded
        await _analyze(parts.database)
        console = _console(settings, parts)
        password = "bench passphrase for the console"
        await console.store.create_account("bench@example.org", await console.passwords.hash(password), "staff",
                                           must_change=False, actor=ACTOR)
        from starlette.applications import Starlette

        app = Starlette(routes=staff_routes(console))
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as http:
            login = await http.get("/staff/login")
            token = login.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
            signed = await http.post("/staff/login", data={"csrf": token, "email": "bench@example.org",
                                                           "password": password})
            assert signed.status_code == 303, signed.text
            timings = []
            for _ in range(6):
                start = time.perf_counter()
                page = await http.get("/staff/results/demo")
                timings.append(time.perf_counter() - start)
                assert page.status_code == 200, page.text[:500]
            others: dict[str, list[float]] = {}
            for name, path in (("trend_page", "/staff/results/demo/trend/overall"),
                               ("compare_month", "/staff/results/demo/compare?by=month"),
                               ("compare_channel", "/staff/results/demo/compare?by=channel")):
                for _ in range(4):
                    start = time.perf_counter()
                    page = await http.get(path)
                    others.setdefault(name, []).append(time.perf_counter() - start)
                    assert page.status_code == 200, page.text[:500]
        figures = {"answers": answers, "load_s": round(loaded, 1),
                   "render_median_s": round(statistics.median(timings[1:]), 3),
                   "render_max_s": round(max(timings[1:]), 3), "target_s": 1.0}
        for name, times in others.items():
            figures[f"{name}_median_s"] = round(statistics.median(times[1:]), 3)
        return figures
    finally:
        await parts.database.dispose()


async def _people(parts: Any, count: int, *, first: int = 0, channel: str = "sms") -> None:
    vault = Vault(Keys.from_secret(SECRET))
    async with parts.database.engine.begin() as conn:
        for start in range(first, first + count, BATCH):
            ids = range(start + 1, min(start + BATCH, first + count) + 1)
            await _insert(conn, Participant, [
                {"id": i, "pseudonym": f"bench-person-{i}", "channel": channel, "language": "en", "stopped": False,
                 "created_at": NOW, "last_seen_at": NOW} for i in ids])
            await _insert(conn, VaultEntry, [
                {"participant_id": i, "sealed": vault.seal("+447700900123", participant_id=i), "created_at": NOW,
                 "expires_at": None} for i in ids])
            await _insert(conn, Consent, [
                {"participant_id": i, "purpose": "updates", "granted": True, "changed_at": NOW} for i in ids])


async def _plan_once(console: Any) -> tuple[float, int, int]:
    broadcast = await console.store.create_broadcast(
        name="Bench", texts={"en": "We have two new nurses."}, audience=Audience("updates"), send_at=NOW, actor=ACTOR
    )
    tracemalloc.start()
    start = time.perf_counter()
    result = await console.planner.send_now(broadcast, ACTOR)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak, result.total


async def run_broadcast_plan(database_url: str, people: int = 100_000) -> dict[str, float]:
    settings, parts = _parts(database_url)
    await parts.database.migrate()
    try:
        console = _console(settings, parts, channels=["sms", "web"])
        await _people(parts, people // 10)
        small_s, small_peak, small_total = await _plan_once(console)
        await _people(parts, people - people // 10, first=people // 10)
        # The first tenth had one broadcast today; under the daily cap of 2 they get this one too.
        seconds, peak, total = await _plan_once(console)
        return {
            "people": people, "queued": total, "plan_s": round(seconds, 2), "target_s": 10.0,
            "plan_s_at_10k": round(small_s, 2),
            "peak_kib_at_10k": round(small_peak / 1024), "peak_kib_at_100k": round(peak / 1024),
            "queued_at_10k": small_total,
        }
    finally:
        await parts.database.dispose()


class _TimedSender:
    """Records when each message goes; declares a rate the dispatcher must hold."""

    channel = "sms"

    def __init__(self, rate: float) -> None:
        self.rate_per_second = rate
        self.times: list[float] = []

    async def send(self, address: str, messages: list[Any], *, outbox_id: int) -> Sent:
        self.times.append(time.monotonic())
        return Sent(provider_id=f"bench-{outbox_id}", segments=1, encoding="GSM-7")


async def _dispatch_at(database_url: str, people: int, rate: float, interval: float) -> dict[str, float]:
    settings, parts = _parts(database_url)
    await parts.database.migrate()
    try:
        console = _console(settings, parts, channels=["sms"])
        await _people(parts, people)
        broadcast = await console.store.create_broadcast(
            name="Bench", texts={"en": "We have two new nurses."}, audience=Audience("updates"), send_at=NOW,
            actor=ACTOR,
        )
        sender = _TimedSender(rate)
        dispatcher = Dispatcher(parts.store, {"sms": sender}, QuietHours.parse("off"))
        # As the app runs it: kicked when a broadcast is planned (run_on_kick), and ticked by APScheduler's
        # interval job, which never runs twice at once and, after an overrun, waits for the interval's grid.
        console.planner.on_planned = dispatcher.kick
        kicked = asyncio.create_task(dispatcher.run_on_kick())
        await console.planner.send_now(broadcast, ACTOR)
        began = time.monotonic()
        deadline = began + people / rate * 4 + 20
        while len(sender.times) < people and time.monotonic() < deadline:
            await dispatcher.tick()
            elapsed = time.monotonic() - began
            await asyncio.sleep(interval - elapsed % interval)
        kicked.cancel()
        span = sender.times[-1] - sender.times[0]
        achieved = (len(sender.times) - 1) / span if span > 0 else float("inf")
        return {f"achieved_at_{rate:g}": round(achieved, 1), f"off_by_percent_at_{rate:g}": round(
            abs(achieved - rate) / rate * 100, 1)}
    finally:
        await parts.database.dispose()


async def run_broadcast_dispatch(database_url: str, seconds: float = 20, interval: float = 2.0) -> dict[str, float]:
    """The rate held while a broadcast is sent, at the SMS default (1 a second, a UK long code), a short
    code's 10 and Telegram's 30, with the scheduler's default 2-second tick."""
    figures: dict[str, float] = {"tick_s": interval, "target_percent": 5.0}
    for rate in (1.0, 10.0, 30.0):
        if database_url.startswith("postgresql"):
            from bench.__main__ import _reset_postgres

            await _reset_postgres(database_url)
        elif rate != 1.0:
            database_url = f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/bench.db"
        figures.update(await _dispatch_at(database_url, int(rate * seconds) + 1, rate, interval))
    return figures


async def _main() -> None:
    import json
    import sys

    from bench.__main__ import _databases, _reset_postgres

    names = sys.argv[1:] or ["staff_results", "staff_broadcast_plan", "staff_broadcast_dispatch"]
    runs = {"staff_results": run_results, "staff_broadcast_plan": run_broadcast_plan,
            "staff_broadcast_dispatch": run_broadcast_dispatch}
    for name in names:
        for db_name, url in _databases():
            if db_name == "postgres":
                await _reset_postgres(url)
            print(json.dumps({"bench": name, "database": db_name, **(await runs[name](url))}), flush=True)


if __name__ == "__main__":
    asyncio.run(_main())
