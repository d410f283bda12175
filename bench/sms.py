"""SMS benchmarks: signed inbound webhooks, and outbox dispatch against the fake Twilio API.

`run_webhooks`: the real app (`create_app`) under uvicorn on 127.0.0.1, Twilio configured against the
fake API. Simulated parents each walk the demo pack by text, every request signed as Twilio signs it.
First a closed loop finds the capacity (webhooks a second); then an open loop sends at a steady 60% of
that for a fixed time, requests starting on schedule whether or not earlier ones have finished, so a
slow server shows as latency (p50 / p99) rather than as a lower rate.

`run_dispatch`: a batch of broadcasts queued in the outbox, then the dispatcher ticking as the scheduler
would, sending through the real `twilio` client to the fake API. The rate Twilio sees is measured from
the fake's own arrival times and compared with `SAID_SMS_RATE_PER_SECOND`.

    python -m bench sms_webhooks sms_dispatch
"""

from __future__ import annotations

import asyncio
import itertools
import socket
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import uvicorn
from twilio.request_validator import RequestValidator

from bot.app.settings import Settings, load_settings
from bot.app.wiring import build_parts, create_app
from bot.messages import Say
from bot.messages_json import message_to_dict
from tests.fakes.twilio_api import FakeTwilio
from tests.fakes.twilio_webhooks import inbound_form

OUR_NUMBER = "+447700900999"
SCRIPT = ["DEMO", "yes", "1", "2", "Kind staff, long wait", "3", "yes"]
PATH = "/webhooks/twilio/sms"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _settings(database_url: str, fake: FakeTwilio, public_url: str, **overrides: Any) -> Settings:
    return load_settings(
        database_url=database_url, secret_key="bench-secret-key-not-for-real-use-Xk7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js",
        var_dir=Path(tempfile.mkdtemp()),
        public_url=public_url, scheduler=False, twilio_account_sid=fake.account_sid,
        twilio_auth_token=fake.auth_token, twilio_phone_number=OUR_NUMBER, twilio_api_base_url=fake.base_url,
        **overrides,
    )


class _Texter:
    """Signs and posts inbound texts the way Twilio does."""

    def __init__(self, client: httpx.AsyncClient, fake: FakeTwilio, public_url: str) -> None:
        self.client = client
        self.fake = fake
        self.url = public_url + PATH
        self.validator = RequestValidator(fake.auth_token)
        self.serial = itertools.count()

    async def text(self, person: int, body: str) -> float:
        n = next(self.serial)
        form = inbound_form(f"+4477009{person:05d}", OUR_NUMBER, body, sid=f"SM{n:032x}",
                            account_sid=self.fake.account_sid)
        headers = {"X-Twilio-Signature": self.validator.compute_signature(self.url, form)}
        started = time.perf_counter()
        response = await self.client.post(PATH, data=form, headers=headers)
        elapsed = time.perf_counter() - started
        if response.status_code != 200 or "<Message>" not in response.text:
            raise RuntimeError(f"webhook answered {response.status_code}")
        return elapsed


async def run_webhooks(database_url: str, concurrency: int = 4, capacity_people: int = 120,
                       steady_seconds: float = 15.0) -> dict[str, float]:
    with FakeTwilio() as fake:
        port = _free_port()
        public_url = f"http://127.0.0.1:{port}"
        app = create_app(_settings(database_url, fake, public_url))
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            await asyncio.sleep(0.05)
        limits = httpx.Limits(max_connections=concurrency * 8)
        try:
            async with httpx.AsyncClient(base_url=public_url, timeout=30, limits=limits) as client:
                texter = _Texter(client, fake, public_url)
                capacity = await _capacity(texter, concurrency, capacity_people)
                steady = await _steady(texter, rate=capacity * 0.6, seconds=steady_seconds,
                                       first_person=capacity_people)
        finally:
            server.should_exit = True
            thread.join(timeout=10)
    return {"capacity_webhooks_per_second": round(capacity, 1), **steady}


async def _capacity(texter: _Texter, concurrency: int, people: int) -> float:
    queue: asyncio.Queue[int] = asyncio.Queue()
    for person in range(people):
        queue.put_nowait(person)
    count = 0

    async def worker() -> None:
        nonlocal count
        while not queue.empty():
            person = queue.get_nowait()
            for body in SCRIPT:
                await texter.text(person, body)
                count += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return count / (time.perf_counter() - started)


async def _steady(texter: _Texter, *, rate: float, seconds: float, first_person: int) -> dict[str, float]:
    """Open loop: one webhook every 1/rate seconds; each person sends their next line in turn."""
    total = int(rate * seconds)
    people = max(1, total // len(SCRIPT) + 1)
    # Person p's k-th message goes out as message k*people + p, so nobody has two in flight at once
    # unless the server falls more than `people` requests behind.
    plan = [(first_person + i % people, SCRIPT[(i // people) % len(SCRIPT)]) for i in range(total)]
    latencies: list[float] = []
    started = time.perf_counter()

    async def one(at: float, person: int, body: str) -> None:
        await asyncio.sleep(max(0.0, started + at - time.perf_counter()))
        latencies.append(await texter.text(person, body))

    await asyncio.gather(*(one(i / rate, p, b) for i, (p, b) in enumerate(plan)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "steady_target_per_second": round(rate, 1),
        "steady_achieved_per_second": round(len(latencies) / elapsed, 1),
        "steady_webhooks": len(latencies),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000, 1),
    }


async def run_dispatch(database_url: str, rate: float = 5.0, messages: int = 100) -> dict[str, float]:
    with FakeTwilio() as fake:
        # Quiet hours twelve hours away, so the run never falls inside them.
        zone = ZoneInfo("Europe/London")
        far = (datetime.now(zone) + timedelta(hours=12)).strftime("%H:%M")
        later = (datetime.now(zone) + timedelta(hours=12, minutes=1)).strftime("%H:%M")
        settings = _settings(database_url, fake, "http://127.0.0.1:9", sms_rate_per_second=rate,
                             quiet_hours=f"{far}-{later}")
        parts = build_parts(settings)
        await parts.database.migrate()
        payload = {"messages": [message_to_dict(Say("We changed the waiting room. Thank you for telling us."))]}
        async with parts.store.unit() as uow:
            for n in range(messages):
                person = await uow.participant("sms", f"+4477009{n:05d}")
                assert person is not None
                await uow.enqueue(person.id, "sms", "broadcast", payload)
        sender_rate = getattr(parts.senders.get("sms"), "rate_per_second", None)
        started = time.perf_counter()
        deadline = started + messages / rate * 3 + 30
        while len(fake.messages) < messages and time.perf_counter() < deadline:
            await parts.dispatcher.tick()
            await asyncio.sleep(0.02)
        for sender in parts.senders.values():
            close = getattr(sender, "aclose", None)
            if close is not None:
                await close()
        await parts.database.dispose()
        arrivals = sorted(m.at for m in fake.messages)
    achieved = (len(arrivals) - 1) / (arrivals[-1] - arrivals[0]) if len(arrivals) > 1 else 0.0
    # Twilio queues by the second: a burst inside the average shows here.
    busiest = max((sum(1 for t in arrivals if start <= t < start + 1.0) for start in arrivals), default=0)
    return {
        "configured_per_second": rate,
        "sender_declares_per_second": float(sender_rate) if sender_rate is not None else -1.0,
        "sent": len(arrivals),
        "achieved_per_second": round(achieved, 2),
        "error_percent": round(abs(achieved - rate) / rate * 100, 1),
        "most_in_any_second": busiest,
        "seconds": round(time.perf_counter() - started, 1),
    }


if __name__ == "__main__":
    import json
    import sys

    url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/sms.db"
    print(json.dumps({"started": datetime.now(UTC).isoformat()}))
    print(json.dumps(asyncio.run(run_webhooks(url))))
