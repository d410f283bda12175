"""Security figures for issue 17, on the real app (`create_app`) in this process over ASGI:

- `huge_body_read_kib` / `huge_body_peak_mib`: what an unsigned, chunked 600 MB POST to the Twilio SMS
  webhook makes the server read and hold before its 413 (target: the 64 KiB cap and one chunk).
- `participants_after_300_views`: participants stored by 300 page views of /chat from new browsers (target 0).
- `chat_get_ms_limited` / `chat_get_ms_unlimited`: median time of GET /chat with and without the rate limiter,
  so its cost per request is seen.
- `signin_checked_of_60`: of 60 wrong passwords for one account sent at once, how many were checked (target <= 5).
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

KEY = "bench-security-k7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js_k7Qz2Lp9Xv4Rt1Bm8"


def _app(database_url: str, **overrides: Any) -> Any:
    from bot.app.settings import load_settings
    from bot.app.wiring import create_app

    settings = load_settings(
        database_url=database_url, secret_key=KEY, var_dir=Path(tempfile.mkdtemp()), scheduler=False,
        public_url="https://said.example.org", twilio_account_sid="AC" + "0" * 32, twilio_auth_token="f" * 32,
        twilio_phone_number="+447700900999", twilio_api_base_url="http://127.0.0.1:9", **overrides,
    )
    return create_app(settings)


async def _huge_body(app: Any) -> tuple[float, float]:
    chunk, read = b"a" * 65536, 0

    async def receive() -> dict[str, Any]:
        nonlocal read
        if read >= 600 * 1024 * 1024:
            return {"type": "http.request", "body": b"", "more_body": False}
        read += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        return None

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": "/webhooks/twilio/sms", "raw_path": b"/webhooks/twilio/sms", "root_path": "", "query_string": b"",
             "headers": [(b"host", b"internal"), (b"content-type", b"application/x-www-form-urlencoded")],
             "client": ("203.0.113.1", 1), "server": ("internal", 80), "state": {}}
    tracemalloc.start()
    await app(scope, receive, send)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return read / 1024, peak / 1024 / 1024


def _client(app: Any, host: str = "198.51.100.1") -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(host, 1)), base_url="https://internal")


async def _views(app: Any) -> tuple[int, float]:
    from storage.models import Participant

    times = []
    for n in range(300):
        async with _client(app, f"198.51.{n // 250}.{n % 250}") as browser:
            started = time.perf_counter()
            assert (await browser.get("/chat")).status_code == 200
            times.append(time.perf_counter() - started)
    async with app.state.parts.database.engine.connect() as conn:
        count = int((await conn.execute(select(func.count()).select_from(Participant))).scalar_one())
    return count, statistics.median(times) * 1000


async def _signins(app: Any) -> int:
    import re

    from bot.app.staff import build_staff
    from storage.staff.records import Actor

    parts = app.state.parts
    staff = build_staff(parts.settings, parts.database, parts.service.prompts, channels={})
    await staff.store.create_account("a@example.org", await staff.passwords.hash("right password here"), "admin",
                                     must_change=False, actor=Actor("bench"))
    browsers = [_client(app, "198.51.100.200") for _ in range(60)]
    pages = [await b.get("/staff/login") for b in browsers]
    tokens = [re.search(r'name="csrf" value="([^"]*)"', p.text).group(1) for p in pages]
    answers = await asyncio.gather(*(
        b.post("/staff/login", data={"csrf": t, "email": "a@example.org", "password": f"wrong {n}"})
        for n, (b, t) in enumerate(zip(browsers, tokens, strict=True))))
    for b in browsers:
        await b.aclose()
    return sum(a.status_code == 400 for a in answers)


async def run(database_url: str) -> dict[str, float]:
    from bot.web.ratelimit import RateLimitMiddleware

    app = _app(database_url, chat_requests_per_minute=100_000)
    await app.state.parts.database.migrate()
    try:
        read_kib, peak_mib = await _huge_body(app)
        participants, limited_ms = await _views(app)
        checked = await _signins(app)
    finally:
        await app.state.parts.database.dispose()
    unlimited = _app(database_url)
    unlimited.user_middleware = [m for m in unlimited.user_middleware if m.cls is not RateLimitMiddleware]
    try:
        _, unlimited_ms = await _views(unlimited)
    finally:
        await unlimited.state.parts.database.dispose()
    return {"huge_body_read_kib": round(read_kib), "huge_body_peak_mib": round(peak_mib, 1),
            "participants_after_300_views": participants, "chat_get_ms_limited": round(limited_ms, 2),
            "chat_get_ms_unlimited": round(unlimited_ms, 2), "signin_checked_of_60": checked}
