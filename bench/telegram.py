"""Telegram benchmarks: updates through `/webhooks/telegram`, and a broadcast held at Telegram's rate.

`run_webhooks`: the real app (`create_app`) under uvicorn on 127.0.0.1 in its own process, Telegram
configured against the fake Bot API, updates posted with the secret header as Telegram posts them.
Simulated young people each walk the waiting-list pack from its deep link, tapping buttons (with button
data made as the bot makes it) and typing. First a closed loop finds the capacity (updates a second);
then an open loop sends at a steady 60% of that for a fixed time, requests starting on schedule whether
or not earlier ones have finished, so a slow server shows as latency (p50 / p99) rather than as a lower
rate. The replies pile up in the outbox meanwhile and go out at Telegram's 30 a second from the same
process, as in production.

`run_broadcast`: 10,000 broadcast rows for 10,000 chats in the outbox, then the dispatcher ticking as the
scheduler would, sending through PTB's real Bot to the fake. The rate Telegram sees is measured from the
fake's own arrival times and compared with the sender's configured 30 a second.

    python -m bench.telegram [DATABASE_URL [webhooks] [broadcast]]
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from bot.app.settings import Settings, load_settings
from bot.app.telegram import button_key
from bot.app.wiring import build_parts
from bot.messages import Say
from bot.messages_json import message_to_dict
from channels.telegram.buttons import ButtonCodec
from channels.telegram.routes import SECRET_HEADER, WEBHOOK_PATH
from tests.fakes.telegram_api import FakeTelegram

SECRET = "bench-webhook-secret"
BENCH_KEY = "bench-secret-key-not-for-real-use-Xk7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js"
# (what the person does, with what): the waiting-list pack, by taps and typing.
SCRIPT: list[tuple[str, Any]] = [
    ("say", "/start waiting_list"),
    ("tap", ("consent", "yes", "✅ Yes")),
    ("tap", ("feeling", "ok", "😐 OK")),
    ("say", "Someone to talk to after school"),
    ("tap", ("updates", "yes", "✅ Yes")),
    ("tap", ("checkins", "no", "❌ No")),
    ("say", "SKIP"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _quiet_hours_far_away() -> str:
    # Twelve hours from now, so a run never falls inside them.
    zone = ZoneInfo("Europe/London")
    far = datetime.now(zone) + timedelta(hours=12)
    return f"{far:%H:%M}-{far + timedelta(minutes=1):%H:%M}"


def _settings(database_url: str, fake: FakeTelegram, **overrides: Any) -> Settings:
    return load_settings(
        database_url=database_url, secret_key=BENCH_KEY, var_dir=Path(tempfile.mkdtemp()),
        public_url="https://said.example.org", scheduler=False, quiet_hours=_quiet_hours_far_away(),
        telegram_bot_token=fake.token, telegram_webhook_secret=SECRET, telegram_api_base_url=fake.base_url,
        **overrides,
    )


class _Telegram:
    """Posts updates to the webhook the way Telegram does."""

    def __init__(self, client: httpx.AsyncClient, fake: FakeTelegram) -> None:
        self.client = client
        self.fake = fake
        self.buttons = ButtonCodec(button_key(BENCH_KEY))
        self.updates = itertools.count(1)
        self.messages = itertools.count(1)

    def update(self, person: int, step: tuple[str, Any]) -> dict[str, Any]:
        chat_id = 6_000_000_000 + person
        user = {"id": chat_id, "is_bot": False, "first_name": "Bench", "language_code": "en"}
        chat = {"id": chat_id, "type": "private", "first_name": "Bench"}
        kind, what = step
        if kind == "say":
            message = {"message_id": next(self.messages), "date": int(time.time()), "chat": chat, "from": user,
                       "text": what}
            return {"update_id": next(self.updates), "message": message}
        question, value, label = what
        data = self.buttons.encode(question, value)
        shown = {"message_id": next(self.messages), "date": int(time.time()), "chat": chat, "text": "…",
                 "reply_markup": {"inline_keyboard": [[{"text": label, "callback_data": data}]]}}
        query = {"id": str(next(self.updates) * 7919), "from": user, "chat_instance": "1", "data": data,
                 "message": shown}
        return {"update_id": next(self.updates), "callback_query": query}

    async def post(self, person: int, step: tuple[str, Any]) -> float:
        body = json.dumps(self.update(person, step))
        headers = {SECRET_HEADER: SECRET, "content-type": "application/json"}
        started = time.perf_counter()
        response = await self.client.post(WEBHOOK_PATH, content=body, headers=headers)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise RuntimeError(f"webhook answered {response.status_code}")
        return elapsed


async def run_webhooks(database_url: str, concurrency: int = 16, capacity_people: int = 120,
                       steady_seconds: float = 15.0) -> dict[str, float]:
    with FakeTelegram() as fake:
        port = _free_port()
        # The app in a process of its own, as `said serve` runs it: the benchmark's client and the fake
        # Bot API would otherwise share its interpreter lock.
        server = _serve(database_url, fake, port)
        limits = httpx.Limits(max_connections=concurrency * 8)
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30, limits=limits) as client:
                await _until_up(client, server)
                telegram = _Telegram(client, fake)
                capacity = await _capacity(telegram, concurrency, capacity_people)
                steady = await _steady(telegram, rate=capacity * 0.6, seconds=steady_seconds,
                                       first_person=capacity_people)
        finally:
            server.terminate()
            server.wait(timeout=30)
        replies_sent = len(fake.sent())
    return {"capacity_updates_per_second": round(capacity, 1), **steady,
            "replies_sent_meanwhile": replies_sent}


def _serve(database_url: str, fake: FakeTelegram, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "SAID_DATABASE_URL": database_url, "SAID_SECRET_KEY": BENCH_KEY, "SAID_VAR_DIR": tempfile.mkdtemp(),
        "SAID_PUBLIC_URL": "https://said.example.org", "SAID_QUIET_HOURS": _quiet_hours_far_away(),
        "TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        # The kick after each update drives the outbox; the interval tick would only report, over and
        # over, that the kicked one is still busy sending the backlog at 30 a second.
        "SAID_SCHEDULER": "false",
    }
    command = [sys.executable, "-m", "uvicorn", "bot.app.wiring:create_app", "--factory", "--host", "127.0.0.1",
               "--port", str(port), "--log-level", "warning", "--no-access-log"]
    return subprocess.Popen(command, env=env, cwd=tempfile.mkdtemp())


async def _until_up(client: httpx.AsyncClient, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the app stopped with exit code {server.returncode}")
        try:
            if (await client.get("/healthz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError("the app did not start within a minute")


async def _capacity(telegram: _Telegram, concurrency: int, people: int) -> float:
    queue: asyncio.Queue[int] = asyncio.Queue()
    for person in range(people):
        queue.put_nowait(person)
    count = 0

    async def worker() -> None:
        nonlocal count
        while not queue.empty():
            person = queue.get_nowait()
            for step in SCRIPT:
                await telegram.post(person, step)
                count += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return count / (time.perf_counter() - started)


async def _steady(telegram: _Telegram, *, rate: float, seconds: float, first_person: int) -> dict[str, float]:
    """Open loop: one update every 1/rate seconds; each person sends their next step in turn."""
    total = int(rate * seconds)
    people = max(1, total // len(SCRIPT) + 1)
    # Person p's k-th step goes out as update k*people + p, so nobody has two in flight at once unless
    # the server falls more than `people` requests behind.
    plan = [(first_person + i % people, SCRIPT[(i // people) % len(SCRIPT)]) for i in range(total)]
    latencies: list[float] = []
    started = time.perf_counter()

    async def one(at: float, person: int, step: tuple[str, Any]) -> None:
        await asyncio.sleep(max(0.0, started + at - time.perf_counter()))
        latencies.append(await telegram.post(person, step))

    await asyncio.gather(*(one(i / rate, p, s) for i, (p, s) in enumerate(plan)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "steady_target_per_second": round(rate, 1),
        "steady_achieved_per_second": round(len(latencies) / elapsed, 1),
        "steady_updates": len(latencies),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000, 1),
    }


async def run_broadcast(database_url: str, messages: int = 10_000) -> dict[str, float]:
    with FakeTelegram() as fake:
        settings = _settings(database_url, fake)
        parts = build_parts(settings)
        await parts.database.migrate()
        payload = {"messages": [message_to_dict(Say("We changed the waiting room. Thank you for telling us."))]}
        async with parts.store.unit() as uow:
            for n in range(messages):
                person = await uow.participant("telegram", str(6_100_000_000 + n))
                assert person is not None
                await uow.enqueue(person.id, "telegram", "broadcast", payload)
        sender = parts.senders["telegram"]
        rate = float(sender.rate_per_second)
        started = time.perf_counter()
        deadline = started + messages / rate * 3 + 60
        while len(fake.sent()) < messages and time.perf_counter() < deadline:
            await parts.dispatcher.tick()
            await asyncio.sleep(0.02)
        seconds = time.perf_counter() - started
        await sender.aclose()
        await parts.database.dispose()
        arrivals = sorted(c.at for c in fake.sent())
        refused = sum(1 for c in fake.calls if c.status != 200)
    achieved = (len(arrivals) - 1) / (arrivals[-1] - arrivals[0]) if len(arrivals) > 1 else 0.0
    return {
        "configured_per_second": rate,
        "sent": len(arrivals),
        "achieved_per_second": round(achieved, 2),
        "error_percent": round(abs(achieved - rate) / rate * 100, 2),
        "most_in_any_second": _busiest_second(arrivals),
        "refused_by_telegram": refused,
        "seconds": round(seconds, 1),
    }


def _busiest_second(arrivals: list[float]) -> int:
    """The most sends inside any one-second window (a burst the average hides shows here)."""
    most, start = 0, 0
    for end, at in enumerate(arrivals):
        while at - arrivals[start] >= 1.0:
            start += 1
        most = max(most, end - start + 1)
    return most


if __name__ == "__main__":
    url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/telegram.db"
    names = sys.argv[2:] or ["webhooks", "broadcast"]
    print(json.dumps({"started": datetime.now(UTC).isoformat(), "database": url.split(":", 1)[0]}))

    def fresh() -> str:
        # Each bench starts from an empty database: left-over replies would join the broadcast.
        if url.startswith("sqlite"):
            return f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/telegram.db"
        from bench.__main__ import _reset_postgres

        asyncio.run(_reset_postgres(url))
        return url

    if "webhooks" in names:
        print(json.dumps({"bench": "telegram_webhooks", **asyncio.run(run_webhooks(fresh()))}), flush=True)
    if "broadcast" in names:
        print(json.dumps({"bench": "telegram_broadcast", **asyncio.run(run_broadcast(fresh()))}), flush=True)
