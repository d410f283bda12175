"""Security test helpers: the whole app (`create_app`) with every channel on, and a raw ASGI client that
can send a body chunk by chunk and count how much of it the app read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.app.settings import Settings, load_settings

PUBLIC_URL = "https://said.example.org"
# 64 random-looking URL-safe characters: a key of the strength the service now asks for.
STRONG_KEY = "kV3q9Xz1Lw7Tn2Bf8Hs5Pd4Rj6Gm0Yc_Ue-Ai3Ko9Ql1Zx5Nv7Wb2Ct8Ep4Fh6Jr"
TWILIO_SID = "AC" + "0" * 32
TWILIO_TOKEN = "f" * 32
OUR_NUMBER = "+447700900999"
TELEGRAM_TOKEN = "123456:" + "A" * 35
TELEGRAM_SECRET = "a-webhook-secret_for_tests"


def app_settings(tmp_path: Path, database_url: str | None = None, **overrides: Any) -> Settings:
    """Settings with Twilio (SMS and voice) and Telegram on; nothing here talks to either."""
    values: dict[str, Any] = {
        "secret_key": STRONG_KEY,
        "var_dir": tmp_path,
        "scheduler": False,
        "database_url": database_url or f"sqlite+aiosqlite:///{tmp_path / 'said.db'}",
        "public_url": PUBLIC_URL,
        "twilio_account_sid": TWILIO_SID,
        "twilio_auth_token": TWILIO_TOKEN,
        "twilio_phone_number": OUR_NUMBER,
        "twilio_api_base_url": "http://127.0.0.1:9",
        "telegram_bot_token": TELEGRAM_TOKEN,
        "telegram_webhook_secret": TELEGRAM_SECRET,
        "telegram_api_base_url": "http://127.0.0.1:9/bot",
    }
    return load_settings(**(values | overrides))


@dataclass
class RawAnswer:
    status: int
    headers: dict[str, str]
    body: bytes
    bytes_read: int  # how much of the request body the app pulled before it answered


async def raw_post(
    app: Any,
    path: str,
    chunks: Iterator[bytes],
    *,
    headers: dict[str, str] | None = None,
    client: str = "203.0.113.7",
    query: str = "",
) -> RawAnswer:
    """POST `chunks` as a body of unknown length (as `Transfer-Encoding: chunked` arrives), counting
    the bytes the app asked for; nothing is read ahead of the app."""
    read = 0
    sent_start: dict[str, Any] = {}
    body = bytearray()
    finished = False

    async def receive() -> dict[str, Any]:
        nonlocal read, finished
        if finished:
            return {"type": "http.disconnect"}
        try:
            chunk = next(chunks)
        except StopIteration:
            finished = True
            return {"type": "http.request", "body": b"", "more_body": False}
        read += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            sent_start.update(message)
        elif message["type"] == "http.response.body":
            body.extend(message.get("body", b""))

    raw_headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": path, "raw_path": path.encode(), "root_path": "", "query_string": query.encode(),
        "headers": [(b"host", b"internal:8000"), *raw_headers], "client": (client, 40000),
        "server": ("internal", 8000), "state": {},
    }
    await app(scope, receive, send)
    answer_headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in sent_start.get("headers", [])}
    return RawAnswer(sent_start.get("status", 0), answer_headers, bytes(body), read)


def endless(chunk: int = 64 * 1024, total: int = 600 * 1024 * 1024) -> Iterator[bytes]:
    """Up to `total` bytes of a form field in `chunk`-sized pieces, made as they are asked for."""
    piece = b"a" * chunk
    sent = 0
    yield b"Body="
    while sent < total:
        sent += chunk
        yield piece
