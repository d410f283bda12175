"""Web chat reply latency at a steady load (open loop: requests start on schedule, whether or not
earlier ones have finished, so a slow server shows up as latency rather than as a lower rate).

The real app runs as `said serve` in its own process on 127.0.0.1; simulated people each hold their own cookie, open
/chat, then post answers through the JavaScript path (Accept: application/json).
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.load import UNLIMITED_CHAT

CSRF = re.compile(r'name="csrf"\s+value="([^"]+)"')
TURN = re.compile(r'name="turn"\s+value="(\d+)"')
ANSWERS = ["yes", "1", "2", "yes", "3", "Fine, thank you", "DEMO"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(database_url: str) -> tuple[subprocess.Popen[bytes], str]:
    """The real `said serve` in its own process, so the load generator does not share its interpreter."""
    scratch = Path(tempfile.mkdtemp())
    port = _free_port()
    # Fifty simulated people share one address and each answers far faster than a person: the limits (per
    # address, per chat) are raised to the most the settings allow (100,000 a minute; this bench sends at
    # most 6,000 a minute), so they are still checked on every request but never refuse one.
    env = {**os.environ, "SAID_DEMO": "1", "SAID_DATABASE_URL": database_url, "SAID_VAR_DIR": str(scratch),
           **UNLIMITED_CHAT}
    server = subprocess.Popen(
        [sys.executable, "-m", "bot.app.cli", "serve", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return server, base
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    server.kill()
    raise RuntimeError("said serve did not start within 120 s")


class Person:
    def __init__(self, base: str) -> None:
        self.client = httpx.AsyncClient(base_url=base, timeout=10)
        self.csrf = ""
        self.turn = "0"
        self.step = 0

    async def open(self) -> None:
        page = await self.client.get("/chat")
        self.csrf = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
        match = TURN.search(page.text)
        self.turn = match.group(1) if match else "0"
        await self.client.post("/chat", data={"csrf": self.csrf, "turn": self.turn, "start": "demo"},
                               headers={"Accept": "application/json"})

    async def answer(self) -> float:
        text = ANSWERS[self.step % len(ANSWERS)]
        self.step += 1
        started = time.perf_counter()
        response = await self.client.post(
            "/chat", data={"csrf": self.csrf, "text": text}, headers={"Accept": "application/json"}
        )
        elapsed = time.perf_counter() - started
        response.raise_for_status()
        return elapsed


async def run(database_url: str, rate: float = 100.0, seconds: float = 20.0, people: int = 50) -> dict[str, float]:
    server, base = _serve(database_url)
    try:
        crowd = [Person(base) for _ in range(people)]
        for person in crowd:
            await person.open()
        latencies: list[float] = []
        errors = 0
        tasks = []
        started = time.perf_counter()
        total = int(rate * seconds)
        for n in range(total):
            target = started + n / rate
            delay = target - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(crowd[n % people].answer()))
        for outcome in await asyncio.gather(*tasks, return_exceptions=True):
            if isinstance(outcome, BaseException):
                errors += 1
            else:
                latencies.append(outcome)
        elapsed = time.perf_counter() - started
        for person in crowd:
            await person.client.aclose()
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies.sort()
    return {
        "target_rate": rate,
        "achieved_rate": round(len(latencies) / elapsed, 1),
        "errors": errors,
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p99_ms": round(latencies[max(int(len(latencies) * 0.99) - 1, 0)] * 1000, 2),
    }
