"""Run the benchmarks: `python -m bench [NAME …]`; safeguarding quality is `python -m bench.safeguarding`.

PostgreSQL runs too when SAID_BENCH_POSTGRES_URL (or SAID_TEST_POSTGRES_URL) is set. Results are printed
as JSON lines and saved to bench/results/latest.json."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def _databases() -> list[tuple[str, str]]:
    sqlite = f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/bench.db"
    out = [("sqlite", sqlite)]
    pg = os.environ.get("SAID_BENCH_POSTGRES_URL") or os.environ.get("SAID_TEST_POSTGRES_URL")
    if pg:
        out.append(("postgres", pg))
    return out


async def _reset_postgres(url: str) -> None:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


# name: (module, function); each takes a database URL and returns a dict of figures.
BENCHES = {
    "engine_storage": ("engine_storage", "run"),
    "webchat_latency": ("webchat_latency", "run"),
    "sms_webhooks": ("sms", "run_webhooks"),
    "sms_dispatch": ("sms", "run_dispatch"),
    "telegram_webhooks": ("telegram", "run_webhooks"),
    "telegram_broadcast": ("telegram", "run_broadcast"),
    "voice_steps": ("voice", "run"),
    "staff_results": ("staff", "run_results"),
    "staff_broadcast_plan": ("staff", "run_broadcast_plan"),
    "staff_broadcast_dispatch": ("staff", "run_broadcast_dispatch"),
    "loop_followups": ("loop", "run"),
    "startup": ("startup", "run"),
    "load_inbound": ("load", "run_inbound"),
    "inbound_cpu": ("load", "run_inbound_cpu"),
    "load_webchat": ("load", "run_webchat"),
    "load_slow_input": ("load", "run_slow_input"),
    "load_two_processes": ("load", "run_two_processes"),
    "security": ("security", "run"),
    "inbox_flow": ("inbox", "run"),
    "engine": ("engine", "run"),
    "understanding": ("understanding", "run"),
}
# These use no database: they run once (with SQLite's URL, which they ignore), whatever databases are set.
NO_DATABASE = frozenset({"engine", "understanding", "startup"})


def benches() -> dict[str, Callable[[str], Awaitable[dict[str, float]]]]:
    import importlib

    found: dict[str, Callable[[str], Awaitable[dict[str, float]]]] = {}
    for name, (module_name, function) in BENCHES.items():
        try:
            module = importlib.import_module(f"bench.{module_name}")
        except ModuleNotFoundError:
            continue
        if hasattr(module, function):
            found[name] = getattr(module, function)
    return found


async def main(names: list[str]) -> None:
    RESULTS.mkdir(exist_ok=True)
    results = []
    for name, bench in benches().items():
        if names and name not in names:
            continue
        for db_name, url in _databases():
            if name in NO_DATABASE and db_name != "sqlite":
                continue  # measured once: it does not touch the database
            if db_name == "postgres":
                await _reset_postgres(url)
            figures = await bench(url)
            row = {"bench": name, "database": db_name, **figures}
            print(json.dumps(row), flush=True)
            results.append(row)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
