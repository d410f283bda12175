"""The inbox under load: general messages opening cases, staff replies, answers during a handover, and
how long the inbox and one case take to read with many cases open.

    python -m bench inbox_flow
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.app.inbox import build_inbox
from bot.app.settings import load_settings
from bot.app.staff import build_staff
from bot.app.wiring import build_parts
from bot.messages import Channel, Inbound
from storage.staff.records import Actor


async def _timed(items: list[Any], work: Callable[[Any], Awaitable[object]], concurrency: int) -> list[float]:
    queue: asyncio.Queue[Any] = asyncio.Queue()
    for item in items:
        queue.put_nowait(item)
    latencies: list[float] = []

    async def worker() -> None:
        while not queue.empty():
            item = queue.get_nowait()
            started = time.perf_counter()
            await work(item)
            latencies.append(time.perf_counter() - started)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return sorted(latencies)


def _figures(name: str, latencies: list[float], elapsed: float) -> dict[str, float]:
    return {
        f"{name}_per_second": round(len(latencies) / elapsed, 1),
        f"{name}_p50_ms": round(statistics.median(latencies) * 1000, 2),
        f"{name}_p99_ms": round(latencies[max(int(len(latencies) * 0.99) - 1, 0)] * 1000, 2),
    }


async def run(database_url: str, people: int = 1000, replies: int = 200, concurrency: int = 8) -> dict[str, float]:
    scratch = Path(tempfile.mkdtemp())
    settings = load_settings(database_url=database_url, demo=True, var_dir=scratch, scheduler=False)
    parts = build_parts(settings)
    await parts.database.migrate()
    console = build_staff(settings, parts.database, parts.service.prompts, channels=parts.senders)
    inbox = build_inbox(settings, parts, console)
    figures: dict[str, float] = {"cases": people}

    async def write(n: int, words: str, step: str) -> None:
        message = Inbound(text=words, channel=Channel.SMS, received_at=datetime.now(UTC), provider_id=f"SM{n}{step}")
        await parts.service.handle(Channel.SMS, f"+4477009{n:05d}", message)

    started = time.perf_counter()
    latencies = await _timed(
        list(range(people)), lambda n: write(n, "We have waited nine months for a call back", "a"), concurrency
    )
    figures.update(_figures("new_case_messages", latencies, time.perf_counter() - started))

    payload = inbox.composer.payload("Sorry about the wait. We will phone you this week.", "en")
    actor = Actor("bench@example.org")
    started = time.perf_counter()
    latencies = await _timed(
        list(range(1, replies + 1)),
        lambda case_id: inbox.store.reply(case_id, actor, "Sorry about the wait.", payload),
        concurrency,
    )
    figures.update(_figures("staff_replies", latencies, time.perf_counter() - started))

    started = time.perf_counter()
    latencies = await _timed(list(range(replies)), lambda n: write(n, "Thank you, after 3pm is best", "b"), concurrency)
    figures.update(_figures("handover_answers", latencies, time.perf_counter() - started))

    reads: list[float] = []
    for _ in range(20):
        started = time.perf_counter()
        await inbox.store.listing(statuses=("new", "waiting_us", "waiting_them"), limit=50)
        reads.append(time.perf_counter() - started)
    figures["inbox_page_p50_ms"] = round(statistics.median(reads) * 1000, 2)
    reads = []
    for case_id in range(1, 21):
        started = time.perf_counter()
        await inbox.store.case(case_id)
        reads.append(time.perf_counter() - started)
    figures["case_page_p50_ms"] = round(statistics.median(reads) * 1000, 2)
    await parts.database.dispose()
    return figures
