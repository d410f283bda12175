"""Web chat at a steady rate, this checkout against another one, in interleaved rounds on one machine.

    python -m bench.webchat_versus OTHER_CHECKOUT [ROUNDS] [SECONDS]

Two `said serve` processes run side by side, one on this code and one on OTHER_CHECKOUT's (a `git worktree`
of the code before a change, say), each with its own empty database: SQLite, and PostgreSQL too when
SAID_BENCH_POSTGRES_URL is set (the other server gets a database named after it with `_versus`, made when
missing). The same simulated people answer each in turn, round after round, so a machine that gets busier
or quieter moves both alike, and each chat grows the same way on both. Prints a JSON line a round (with the
load average and the server's own CPU time an answer, which a busy machine does not move) and the median of
each side's rounds.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.load import ROOT, UNLIMITED_CHAT, _crowd, _load, _session, open_loop, serve


def _cpu_seconds(pid: int) -> float:
    """CPU time the process has used (user + system): work done, however busy the machine is. Linux only."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _fresh_postgres(url: str) -> None:
    from sqlalchemy import text
    from sqlalchemy.engine import make_url
    from sqlalchemy.ext.asyncio import create_async_engine

    from bench.__main__ import _reset_postgres

    name = make_url(url).database
    admin = create_async_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        exists = (await conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})).first()
        if exists is None:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    await _reset_postgres(url)


async def versus(other: Path, database: str, urls: tuple[str, str], rounds: int, seconds: float,
                 rate: float = 100.0, people: int = 100) -> dict[str, Any]:
    sides = {"this": ROOT, "other": other}
    servers = {
        name: serve(url, root=root, **UNLIMITED_CHAT) for (name, root), url in zip(sides.items(), urls, strict=True)
    }
    table: dict[str, list[dict[str, float]]] = {name: [] for name in sides}
    try:
        async with _session() as session:
            crowds = {name: await _crowd(server.base, session, people) for name, server in servers.items()}
            for n in range(rounds):
                # Alternate who goes first, so neither always meets the other's leftovers.
                for name in (list(sides) if n % 2 == 0 else list(sides)[::-1]):
                    crowd = crowds[name]
                    row: dict[str, float] = {"load_average": _load()}
                    cpu = _cpu_seconds(servers[name].process.pid)
                    row |= await open_loop(lambda k, crowd=crowd: crowd[k % people].answer(), rate, seconds)
                    # The server's own CPU time an answer: what the code costs, whatever else the machine does.
                    answered = int(rate * seconds) - row.get("errors", 0)
                    row["server_cpu_ms_an_answer"] = round(
                        (_cpu_seconds(servers[name].process.pid) - cpu) * 1000 / max(answered, 1.0), 2
                    )
                    table[name].append(row)
                    print(json.dumps({"database": database, "code": name, "round": n + 1, **row}), flush=True)
    finally:
        for server in servers.values():
            server.stop()
    out: dict[str, Any] = {"database": database, "other": str(other)}
    for name, rows in table.items():
        for key in ("per_second", "p50_ms", "p99_ms", "server_cpu_ms_an_answer"):
            out[f"{name}_{key}_median"] = statistics.median(row.get(key, -1.0) for row in rows)
        out[f"{name}_p99_ms_rounds"] = [row.get("p99_ms", -1.0) for row in rows]
    return out


async def main(other: Path, rounds: int, seconds: float) -> None:
    scratch = tempfile.mkdtemp()
    runs = [("sqlite", (f"sqlite+aiosqlite:///{scratch}/this.db", f"sqlite+aiosqlite:///{scratch}/other.db"))]
    pg = os.environ.get("SAID_BENCH_POSTGRES_URL")
    if pg:
        from sqlalchemy.engine import make_url

        second = make_url(pg).set(database=f"{make_url(pg).database}_versus").render_as_string(hide_password=False)
        for url in (pg, second):
            await _fresh_postgres(url)
        runs.append(("postgres", (pg, second)))
    for database, urls in runs:
        print(json.dumps(await versus(other, database, urls, rounds, seconds)), flush=True)


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]).resolve(), int(sys.argv[2]) if len(sys.argv) > 2 else 3,
                     float(sys.argv[3]) if len(sys.argv) > 3 else 10.0))
