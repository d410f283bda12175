"""Where the slowest web chat answers lose their time, on SQLite: the real app in this process, one answer at a
time, each timed whole and split into what can hold the event loop.

    python -m bench.webchat_tail [ANSWERS]

For every answer: wall time, the CPU time this thread spent (time.thread_time: wall time well above it is time
the process was off the CPU, or waiting), garbage-collection pauses (gc.callbacks) and the time spent in SQLite
commits (where a WAL checkpoint used to copy pages and sync the disk). Prints p50/p99 and the slowest 1% with
that split, so a slow answer can be put down to the collector, the disk, our code (CPU) or the machine.
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import sys
import tempfile
import time
from typing import Any

import storage.inline as inline
from bench.load import WEB_ANSWERS
from bench.profile_webchat import open_chats
from bench.sms import _settings
from bot.app.wiring import create_app
from tests.fakes.twilio_api import FakeTwilio

PEOPLE = 100


class Split:
    """What the current answer spent in collections and commits."""

    def __init__(self) -> None:
        self.gc = self.commit = self.commit_longest = 0.0
        self._gc_started = 0.0

    def reset(self) -> None:
        self.gc = self.commit = self.commit_longest = 0.0

    def on_gc(self, phase: str, _info: dict[str, Any]) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            self.gc += time.perf_counter() - self._gc_started


def _time_commits(split: Split) -> None:
    commit = inline.InlineConnection.commit

    async def timed(self: inline.InlineConnection) -> None:
        started = time.perf_counter()
        await commit(self)
        spent = time.perf_counter() - started
        split.commit += spent
        split.commit_longest = max(split.commit_longest, spent)

    inline.InlineConnection.commit = timed  # type: ignore[method-assign]


async def drive(url: str, answers: int) -> list[tuple[float, float, float, float, float]]:
    split = Split()
    _time_commits(split)
    gc.callbacks.append(split.on_gc)
    rows = []
    with FakeTwilio() as fake:
        app = create_app(_settings(url, fake, "http://127.0.0.1:8000", chat_requests_per_minute=100_000,
                                   chat_posts_per_minute=100_000))
        async with app.router.lifespan_context(app):
            people, tokens = await open_chats(app, "http://127.0.0.1:8000", PEOPLE)
            for n in range(answers):
                who = n % PEOPLE
                words = WEB_ANSWERS[(n // PEOPLE) % len(WEB_ANSWERS)]
                split.reset()
                started, cpu = time.perf_counter(), time.thread_time()
                answered = await people[who].post("/chat", data={"csrf": tokens[who], "text": words},
                                                  headers={"Accept": "application/json"})
                assert answered.status_code == 200, answered.status_code
                wall = time.perf_counter() - started
                rows.append((wall, time.thread_time() - cpu, split.gc, split.commit, split.commit_longest))
            for person in people:
                await person.aclose()
    gc.callbacks.remove(split.on_gc)
    return rows


def main() -> None:
    answers = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    rows = asyncio.run(drive(f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/tail.db", answers))
    walls = sorted(row[0] for row in rows)
    print(f"{answers} answers, one at a time: p50 {statistics.median(walls) * 1000:.1f} ms, "
          f"p99 {walls[int(len(walls) * 0.99) - 1] * 1000:.1f} ms, longest {walls[-1] * 1000:.1f} ms")
    print(f"median an answer: CPU {statistics.median(r[1] for r in rows) * 1000:.1f} ms, "
          f"commits {statistics.median(r[3] for r in rows) * 1000:.2f} ms")
    print("slowest 1%: wall / CPU / garbage collection / commits (longest commit), ms")
    for wall, cpu, collecting, commits, longest in sorted(rows, reverse=True)[: max(len(rows) // 100, 5)]:
        figures = (wall, cpu, collecting, commits)
        print("  " + " ".join(f"{x * 1000:6.1f}" for x in figures) + f" ({longest * 1000:.1f})")


if __name__ == "__main__":
    main()
