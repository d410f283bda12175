"""Where the time of one signed inbound SMS goes: the real app, in this process, under cProfile.

    python -m bench.profile_inbound [MESSAGES] [DATABASE_URL]
    python -m bench.profile_inbound --cpu [MESSAGES] [DATABASE_URL]


Requests go straight into the ASGI app (no sockets), so the profile shows our code and the libraries it
calls, not the network. Prints the total time a message and the functions with the most cumulative time,
then a summary by area (SQLAlchemy, the vault, the engine, safeguarding, Starlette, the Twilio signature).

`--cpu` runs without the profiler, three times, and prints the CPU time of this process a message (the app
and the in-process client together; the client's share does not change with the app's code): the least of
the three, since a busy machine only ever adds to it. A PostgreSQL URL's schema is emptied before each run
(the texts are the same each time, and a second run would meet them as already answered).
"""

from __future__ import annotations

import asyncio
import cProfile
import io
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx
from twilio.request_validator import RequestValidator

from bench.sms import OUR_NUMBER, PATH, SCRIPT, _settings
from bot.app.wiring import create_app
from tests.fakes.twilio_api import FakeTwilio
from tests.fakes.twilio_webhooks import inbound_form

AREAS = {
    "sqlalchemy": ("sqlalchemy",),
    "sqlite driver": ("sqlite3", "aiosqlite"),
    "asyncpg": ("asyncpg",),
    "vault (cryptography)": ("cryptography", "storage/privacy/vault"),
    "engine": ("bot/engine",),
    "safeguarding": ("bot/safeguarding",),
    "scrub": ("storage/privacy/scrub",),
    "starlette": ("starlette",),
    "twilio signature": ("twilio/request_validator", "channels/twilio_sms/signature"),
}


class _Stopwatch:
    """In place of the profiler: the CPU time of this process between enable() and disable()."""

    def __init__(self) -> None:
        self.cpu = 0.0

    def enable(self) -> None:
        self.cpu = -time.process_time()

    def disable(self) -> None:
        self.cpu += time.process_time()


async def _drive(url: str, messages: int, profile: cProfile.Profile | _Stopwatch) -> float:
    with FakeTwilio() as fake:
        public_url = "http://127.0.0.1:8000"
        app = create_app(_settings(url, fake, public_url))
        validator = RequestValidator(fake.auth_token)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url=public_url) as client:

                async def text(n: int) -> None:
                    person, body = divmod(n, len(SCRIPT))
                    form = inbound_form(f"+4477009{person:05d}", OUR_NUMBER, SCRIPT[body], sid=f"SM{n:032x}",
                                        account_sid=fake.account_sid)
                    headers = {"X-Twilio-Signature": validator.compute_signature(public_url + PATH, form)}
                    response = await client.post(PATH, data=form, headers=headers)
                    assert response.status_code == 200, response.status_code

                for n in range(50):  # warm up: first-use imports and caches are not per-message costs
                    await text(70_000 + n)
                profile.enable()
                started = time.perf_counter()
                for n in range(messages):
                    await text(n)
                elapsed = time.perf_counter() - started
                profile.disable()
    return elapsed


PROJECT = str(Path(__file__).resolve().parent.parent) + "/"  # wherever the checkout is


def _other(where: str) -> str:
    for area in ("asyncio", "httpx", "json", "logging", "uuid", "re", "pydantic", "zoneinfo", "datetime"):
        if f"/{area}/" in where or f"/{area}.py" in where or f"{area}." in where:
            return area
    if where.startswith(PROJECT) and "site-packages" not in where:
        return "our code (" + where[len(PROJECT):].split("/")[0] + ")"
    return "other"


def summary(stats: pstats.Stats, total: float) -> dict[str, float]:
    """Seconds of own time (tottime) by area, so nothing is counted twice."""
    by_area: dict[str, float] = defaultdict(float)
    for (filename, _line, name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        where = filename if filename != "~" else name  # built-ins are named by what they are
        area = next((a for a, keys in AREAS.items() if any(k in where for k in keys)), _other(where))
        by_area[area] += tottime
    return {area: round(seconds / total * 100, 1) for area, seconds in sorted(by_area.items(), key=lambda x: -x[1])}


def cpu(messages: int, url: str, runs: int = 3) -> None:
    per_message = []
    for _ in range(runs):
        if url.startswith("postgresql"):
            from bench.__main__ import _reset_postgres

            asyncio.run(_reset_postgres(url))
        else:
            url = f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/profile.db"
        watch = _Stopwatch()
        asyncio.run(_drive(url, messages, watch))
        per_message.append(round(watch.cpu / messages * 1000, 3))
    print(f"CPU ms a message (app and in-process client), {runs} runs of {messages}: least {min(per_message)}, "
          f"all {per_message}")


def main() -> None:
    if sys.argv[1:2] == ["--cpu"]:
        del sys.argv[1]
        cpu(int(sys.argv[1]) if len(sys.argv) > 1 else 700, sys.argv[2] if len(sys.argv) > 2 else "sqlite")
        return
    messages = int(sys.argv[1]) if len(sys.argv) > 1 else 700
    url = sys.argv[2] if len(sys.argv) > 2 else f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/profile.db"
    profile = cProfile.Profile()
    elapsed = asyncio.run(_drive(url, messages, profile))
    print(f"{messages} messages in {elapsed:.2f} s under the profiler: {elapsed / messages * 1000:.2f} ms a message")
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    total = sum(t for (_c, _n, t, _ct, _cl) in stats.stats.values())  # type: ignore[attr-defined]
    print("share of own time by area (%):", summary(stats, total))
    stats.sort_stats("cumulative").print_stats(35)
    print(out.getvalue())


if __name__ == "__main__":
    main()
