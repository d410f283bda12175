"""Messages per second through the engine and storage in one process.

Many people each walk the demo pack (keyword, consent, answers), one message at a time, exactly as
webhooks would arrive, each message its own transaction with a provider id (so de-duplication is paid
for too).
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.app.settings import load_settings
from bot.app.wiring import build_parts
from bot.messages import Channel, Inbound

SCRIPT = ["DEMO", "yes", "1", "2", "yes", "3", "It was fine, thank you"]


async def run(database_url: str, people: int = 300, concurrency: int = 8) -> dict[str, float]:
    scratch = Path(tempfile.mkdtemp())
    settings = load_settings(database_url=database_url, demo=True, var_dir=scratch, scheduler=False)
    parts = build_parts(settings)
    await parts.database.migrate()
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(people):
        queue.put_nowait(n)

    async def person_worker() -> None:
        while not queue.empty():
            n = queue.get_nowait()
            address = f"+4477009{n:05d}"
            for step, text in enumerate(SCRIPT):
                message = Inbound(
                    text=text, channel=Channel.SMS, received_at=datetime.now(UTC), provider_id=f"SM{n}x{step}"
                )
                started = time.perf_counter()
                await parts.service.handle(Channel.SMS, address, message)
                latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(person_worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    await parts.database.dispose()
    latencies.sort()
    return {
        "messages": len(latencies),
        "seconds": round(elapsed, 3),
        "messages_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 2),
    }
