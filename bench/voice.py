"""Voice benchmark: call steps a second through the phone line's webhooks, and their latency.

The phone line's routes (`voice_wiring`) under uvicorn on 127.0.0.1, Twilio configured. Simulated callers
ring and answer the phone pack the way Twilio drives a call: each request is signed over the exact URL
the previous TwiML named (the `<Gather>` action), with keys, confident speech, a repeat and an unsure
answer that is read back and confirmed. Twilio waits at most 15 seconds for an answer; the aim is far
below 100 ms.

First a closed loop finds the capacity (steps a second with 16 calls at once); then an open loop starts
calls at a steady rate for a fixed time, each caller pausing a moment between steps as a person would,
so a slow server shows as latency (p50 / p99) rather than as a lower rate.

    python -m bench.voice [DATABASE_URL]
"""

from __future__ import annotations

import asyncio
import itertools
import socket
import statistics
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import uvicorn
from starlette.applications import Starlette
from twilio.request_validator import RequestValidator

from bot.app.settings import Settings, load_settings
from bot.app.voice import voice_wiring
from bot.app.wiring import build_parts
from channels.twilio_voice.call import VOICE_PATH

OUR_NUMBER = "+447700900999"
ACCOUNT_SID = "AC" + "7" * 32
AUTH_TOKEN = "bench-voice-auth-token"
# One call: ring, yes, a key, a repeat, a key, an unsure answer read back and confirmed, then keys to the end.
SCRIPT: list[tuple[str, str, float | None]] = [
    ("press", "1", None), ("press", "1", None), ("press", "9", None), ("press", "2", None),
    ("say", "yes", 0.3), ("press", "1", None), ("say", "no", 0.9), ("press", "1", None),
]
STEPS_PER_CALL = len(SCRIPT) + 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _settings(database_url: str, public_url: str) -> Settings:
    return load_settings(
        database_url=database_url, secret_key="bench-secret-key-not-for-real-use-Xk7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js",
        var_dir=Path(tempfile.mkdtemp()),
        public_url=public_url, scheduler=False, twilio_account_sid=ACCOUNT_SID, twilio_auth_token=AUTH_TOKEN,
        twilio_phone_number=OUR_NUMBER, twilio_api_base_url="http://127.0.0.1:9",
        office_hours="Mon-Sun 00:00-24:00",
    )


class _Phone:
    """Places calls and follows their TwiML, signing every request as Twilio does."""

    def __init__(self, client: httpx.AsyncClient, public_url: str) -> None:
        self.client = client
        self.public_url = public_url
        self.validator = RequestValidator(AUTH_TOKEN)
        self.serial = itertools.count()
        self.latencies: list[float] = []
        self.sent_at: list[float] = []

    async def call(self, pause: float = 0.0) -> int:
        n = next(self.serial)
        call_sid, caller = f"CA{n:032x}", f"+4477009{n % 100_000:05d}"
        page = await self._post(self.public_url + VOICE_PATH, self._form(call_sid, caller))
        steps = 1
        for action, value, confidence in SCRIPT:
            gather = page.find("Gather")
            if gather is None:
                break  # the call ended (the pack may be shorter than the script)
            if pause:
                await asyncio.sleep(pause)
            extra = {"Digits": value} if action == "press" else {"SpeechResult": value, "Confidence": f"{confidence}"}
            page = await self._post(gather.attrib["action"], self._form(call_sid, caller, **extra))
            steps += 1
        return steps

    @staticmethod
    def _form(call_sid: str, caller: str, **extra: str) -> dict[str, str]:
        return {"AccountSid": ACCOUNT_SID, "CallSid": call_sid, "From": caller, "To": OUR_NUMBER,
                "CallStatus": "in-progress", "Direction": "inbound", "ApiVersion": "2010-04-01", **extra}

    async def _post(self, url: str, form: dict[str, str]) -> ET.Element:
        headers = {"X-Twilio-Signature": self.validator.compute_signature(url, form)}
        parts = urlsplit(url)
        started = time.perf_counter()
        self.sent_at.append(started)
        response = await self.client.post(parts.path + (f"?{parts.query}" if parts.query else ""), data=form,
                                          headers=headers)
        self.latencies.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"voice webhook answered {response.status_code}")
        return ET.fromstring(response.text)


async def run(database_url: str, concurrency: int = 16, capacity_calls: int = 80,
              steady_seconds: float = 15.0, pause: float = 0.5) -> dict[str, Any]:
    port = _free_port()
    public_url = f"http://127.0.0.1:{port}"
    settings = _settings(database_url, public_url)
    parts = build_parts(settings)
    await parts.database.migrate()
    await parts.database.dispose()
    app = Starlette(routes=voice_wiring(settings, parts.service))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        await asyncio.sleep(0.05)
    try:
        async with httpx.AsyncClient(base_url=public_url, timeout=30,
                                     limits=httpx.Limits(max_connections=concurrency * 8)) as client:
            capacity = await _capacity(_Phone(client, public_url), concurrency, capacity_calls)
            steady = await _steady(_Phone(client, public_url), capacity * 0.6, steady_seconds, pause)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    return {"capacity_steps_per_second": round(capacity, 1), **steady}


async def _capacity(phone: _Phone, concurrency: int, calls: int) -> float:
    remaining = itertools.count()
    steps = 0

    async def caller() -> None:
        nonlocal steps
        while next(remaining) < calls:
            made = await phone.call()  # not `steps += await …`: that reads `steps` before awaiting
            steps += made

    started = time.perf_counter()
    await asyncio.gather(*(caller() for _ in range(concurrency)))
    return steps / (time.perf_counter() - started)


async def _steady(phone: _Phone, rate: float, seconds: float, pause: float) -> dict[str, Any]:
    """Open loop: calls start on schedule so that steps arrive at about `rate` a second."""
    call_rate = rate / STEPS_PER_CALL
    total_calls = max(1, int(call_rate * seconds))
    started = time.perf_counter()

    async def one(at: float) -> int:
        await asyncio.sleep(max(0.0, started + at - time.perf_counter()))
        return await phone.call(pause)

    steps = sum(await asyncio.gather(*(one(i / call_rate) for i in range(total_calls))))
    # Over the time requests were being sent: the last calls' pauses would otherwise dilute the rate.
    sending = max(phone.sent_at) - min(phone.sent_at)
    latencies = sorted(phone.latencies)
    return {
        "steady_target_steps_per_second": round(rate, 1),
        "steady_achieved_steps_per_second": round(steps / sending, 1) if sending > 0 else 0.0,
        "steady_steps": steps,
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000, 1),
        "max_ms": round(latencies[-1] * 1000, 1),
    }


if __name__ == "__main__":
    import json
    import sys

    url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/voice.db"
    print(json.dumps(asyncio.run(run(url))))
