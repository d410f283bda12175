"""Web chat reply latency at a steady load (open loop: requests start on schedule, whether or not
earlier ones have finished, so a slow server shows up as latency rather than as a lower rate).

The real app runs under uvicorn on 127.0.0.1; simulated people each hold their own cookie, open
/chat, then post answers through the JavaScript path (Accept: application/json).
"""

from __future__ import annotations

import asyncio
import re
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn

from bot.app import create_app
from bot.settings import load_settings

CSRF = re.compile(r'name="csrf"\s+value="([^"]+)"')
TURN = re.compile(r'name="turn"\s+value="(\d+)"')
ANSWERS = ["yes", "1", "2", "yes", "3", "Fine, thank you", "DEMO"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(database_url: str) -> tuple[uvicorn.Server, threading.Thread, str]:
    scratch = Path(tempfile.mkdtemp())
    settings = load_settings(database_url=database_url, demo=True, var_dir=scratch)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


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
    server, thread, base = _serve(database_url)
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
        server.should_exit = True
        thread.join(timeout=10)
    latencies.sort()
    return {
        "target_rate": rate,
        "achieved_rate": round(len(latencies) / elapsed, 1),
        "errors": errors,
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p99_ms": round(latencies[max(int(len(latencies) * 0.99) - 1, 0)] * 1000, 2),
    }
