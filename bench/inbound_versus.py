"""Signed inbound SMS, this checkout against another one, in interleaved rounds on one machine.

    python -m bench.inbound_versus OTHER_CHECKOUT [ROUNDS] [TEXTS_A_ROUND]

Two `said serve` processes run side by side, one on this code and one on OTHER_CHECKOUT's (a `git worktree`
of the code before a change, say), each with its own empty database: SQLite, and PostgreSQL too when
SAID_BENCH_POSTGRES_URL is set (the other server gets a database named after it with `_versus`). Each round
sends the same texts to each server in turn (who goes first alternates), as fast as 8 in flight allow, and
reads the server's own CPU time a text from /proc: on a machine shared with other work the rate moves with
everyone else, the CPU a text much less, and both sides meet the same moments. Prints a JSON line a round
and the median of each side's rounds.
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

from bench.load import ROOT, _capacity, _cpu_seconds, _Inbound, _load, _session, serve, signed_texts
from bench.webchat_versus import _fresh_postgres


async def versus(other: Path, database: str, urls: tuple[str, str], rounds: int, per_round: int,
                 concurrency: int = 8) -> dict[str, Any]:
    sides = {"this": ROOT, "other": other}
    servers = {name: serve(url, root=root, SAID_DETECTION_PROCESSES="1")
               for (name, root), url in zip(sides.items(), urls, strict=True)}
    table: dict[str, list[dict[str, float]]] = {name: [] for name in sides}
    try:
        targets = {name: _Inbound(server, signed_texts(server.base, 50 + rounds * per_round))
                   for name, server in servers.items()}
        async with _session() as session:
            for target in targets.values():
                await _capacity(session, target, 50, 1)  # warm up: connections, first-use caches
            for n in range(rounds):
                for name in (list(sides) if n % 2 == 0 else list(sides)[::-1]):
                    pid = servers[name].process.pid
                    row: dict[str, float] = {"load_average": _load()}
                    cpu = _cpu_seconds(pid)
                    row["per_second"] = await _capacity(session, targets[name], per_round, concurrency)
                    row["server_cpu_ms_a_text"] = round((_cpu_seconds(pid) - cpu) * 1000 / per_round, 3)
                    table[name].append(row)
                    print(json.dumps({"database": database, "code": name, "round": n + 1, **row}), flush=True)
    finally:
        for server in servers.values():
            server.stop()
    out: dict[str, Any] = {"database": database, "other": str(other)}
    for name, rows in table.items():
        for key in ("per_second", "server_cpu_ms_a_text"):
            out[f"{name}_{key}_median"] = statistics.median(row[key] for row in rows)
        out[f"{name}_server_cpu_ms_a_text_rounds"] = [row["server_cpu_ms_a_text"] for row in rows]
    return out


async def main(other: Path, rounds: int, per_round: int) -> None:
    scratch = tempfile.mkdtemp()
    runs = [("sqlite", (f"sqlite+aiosqlite:///{scratch}/this.db", f"sqlite+aiosqlite:///{scratch}/other.db"))]
    pg = os.environ.get("SAID_BENCH_POSTGRES_URL")
    if pg:
        from sqlalchemy.engine import make_url

        second = make_url(pg).set(database=f"{make_url(pg).database}_versus").render_as_string(hide_password=False)
        for url in (pg, second):
            await _fresh_postgres(url)
        runs.append(("postgres", (pg, second)))
    only = os.environ.get("SAID_BENCH_ONLY")  # "sqlite" or "postgres": one of the two
    for database, urls in runs:
        if only and database != only:
            continue
        print(json.dumps(await versus(other, database, urls, rounds, per_round)), flush=True)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    asyncio.run(main(Path(sys.argv[1]).resolve(), int(sys.argv[2]) if len(sys.argv) > 2 else 6,
                     int(sys.argv[3]) if len(sys.argv) > 3 else 700))
