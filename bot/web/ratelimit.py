"""Rate limits on the public doors, held across processes by the database's rate slots.

    /chat (every method)      per client address: SAID_CHAT_REQUESTS_PER_MINUTE (default 60, half of it at once)
    POST /chat, /chat/new     per chat session too: SAID_CHAT_POSTS_PER_MINUTE (default 20, half at once)
    /webhooks/...             per client address, counting only refused requests (a wrong signature or secret,
                              a body too big or unreadable): SAID_WEBHOOK_REFUSALS_PER_HOUR (default 60, 20 at
                              once). Twilio and Telegram send from shared addresses, so their signed traffic
                              is never limited by address; what is limited is someone sending junk.

A refused web chat request gets a kind page (429, Retry-After) and nothing it sent is read or stored. A
refused webhook gets 429 before its body is read.

Addresses and session tokens are never stored: a key is a keyed hash of them. When requests arrive through
a proxy whose X-Forwarded-For is not trusted (uvicorn's FORWARDED_ALLOW_IPS), every client seems to share
the proxy's address, so limiting by address would limit everybody together: then the per-address limits are
skipped (per-session limits still hold) and the log says what to set, once.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("said.ratelimit")

CHAT_COOKIE = b"said_chat"
REFUSED = frozenset({400, 401, 403, 405, 413, 415})


@dataclass(frozen=True)
class Limit:
    """`per_period` requests every `period` seconds on average, `burst` of them at once."""

    per_period: float
    period: float
    burst: int

    @property
    def interval(self) -> float:
        return self.period / self.per_period

    @classmethod
    def per_minute(cls, count: int, burst: int | None = None) -> Limit:
        return cls(count, 60.0, burst if burst is not None else max(count // 2, 1))

    @classmethod
    def per_hour(cls, count: int, burst: int) -> Limit:
        return cls(count, 3600.0, burst)


@dataclass(frozen=True)
class Limits:
    chat_per_address: Limit = Limit(60, 60.0, 30)
    chat_posts_per_session: Limit = Limit(20, 60.0, 10)
    webhook_refusals_per_address: Limit = Limit(60, 3600.0, 20)


# ([(key, interval, burst), ...], now) -> None when every key lets the request through, else the seconds to
# wait for the first that does not (the keys after it are not asked). One transaction for all of them.
Admit = Callable[[list[tuple[str, float, int]], datetime], Awaitable[float | None]]
# (key, now, interval, burst) -> None when not blocked, else seconds to wait
Blocked = Callable[[str, datetime, float, int], Awaitable[float | None]]
# (key, now, interval) -> None: count one refused request
Charge = Callable[[str, datetime, float], Awaitable[None]]


class RateLimitMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        admit: Admit,
        blocked: Blocked,
        charge: Charge,
        secret: bytes,
        limits: Limits | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.app = app
        self.admit = admit
        self.blocked = blocked
        self.charge = charge
        self.secret = secret
        self.limits = limits or Limits()
        self.clock = clock or (lambda: datetime.now(UTC))
        self.warned_proxy = False
        self._clean = _Clean()
        self._monotonic = time.monotonic

    def _key(self, kind: str, value: str) -> str:
        digest = hmac.new(self.secret, f"{kind}:{value}".encode("utf-8", "surrogateescape"), hashlib.sha256)
        return f"{kind}:{digest.hexdigest()[:40]}"

    def _address(self, scope: Scope) -> str | None:
        """The client's address, or None when it cannot tell one client from another."""
        host = client_address(scope)
        if host is None and _header(scope, b"x-forwarded-for") is not None and not self.warned_proxy:
            self.warned_proxy = True
            log.error(
                "requests come through a proxy whose X-Forwarded-For is not trusted, so every client looks the "
                "same; per-address rate limits are off. Set FORWARDED_ALLOW_IPS to the proxy's address (see the "
                "README's security section)."
            )
        return host

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        if path.startswith("/webhooks/"):
            await self._webhook(scope, receive, send)
        elif _is_chat(path):
            await self._chat(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _ask(self, check: Blocked, key: str, limit: Limit) -> float | None:
        try:
            return await check(key, self.clock(), limit.interval, limit.burst)
        except Exception as exc:
            # The limiter must never be why a person cannot reach the service: let the request through.
            log.warning("rate limit not checked (%s); request let through", type(exc).__name__)
            return None

    async def _chat(self, scope: Scope, receive: Receive, send: Send) -> None:
        address = self._address(scope)
        checks: list[tuple[str, float, int]] = []
        if address is not None:
            limit = self.limits.chat_per_address
            checks.append((self._key("chat-a", address), limit.interval, limit.burst))
        token = _cookie(scope, CHAT_COOKIE)
        if scope.get("method") == "POST" and token:
            # Asked only when the address is let through, in the same transaction: one a request, not two.
            limit = self.limits.chat_posts_per_session
            checks.append((self._key("chat-s", token), limit.interval, limit.burst))
        wait = None
        if checks:
            try:
                wait = await self.admit(checks, self.clock())
            except Exception as exc:
                # The limiter must never be why a person cannot reach the service: let the request through.
                log.warning("rate limit not checked (%s); request let through", type(exc).__name__)
        if wait is not None:
            log.info("web chat request refused: too many too fast")
            await _too_fast_page(send, wait)
            return
        await self.app(scope, receive, send)

    async def _webhook(self, scope: Scope, receive: Receive, send: Send) -> None:
        address = self._address(scope)
        limit = self.limits.webhook_refusals_per_address
        key = self._key("hook-a", address) if address is not None else None
        if key is not None and not self._clean.holds(key, self._monotonic()):
            wait = await self._ask(self.blocked, key, limit)
            if wait is None:
                self._clean.remember(key, self._monotonic())
            else:
                log.warning("webhook at %s refused: too many refused requests from one address", scope.get("path"))
                await _plain(send, 429, b"Too many refused requests; try again later", wait)
                return
        status = 0

        async def watched(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        await self.app(scope, receive, watched)
        if key is not None and status in REFUSED:
            self._clean.forget(key)
            try:
                await self.charge(key, self.clock(), limit.interval)
            except Exception as exc:
                log.warning("refused webhook not counted (%s)", type(exc).__name__)


class _Clean:
    """Addresses whose webhooks this process found not blocked in the last `CLEAN_FOR` seconds.

    Twilio and Telegram send every message from a handful of addresses, and reading each one's refusals
    before every webhook was a database transaction a message. A refusal here forgets the address at once,
    so in one process the answer is exact; a refusal counted by another process is seen within
    `CLEAN_FOR` seconds. Bounded: a flood of new addresses empties it instead of growing it."""

    CLEAN_FOR = 1.0
    MOST = 4096

    def __init__(self) -> None:
        self._until: dict[str, float] = {}

    def holds(self, key: str, now: float) -> bool:
        return self._until.get(key, 0.0) > now

    def remember(self, key: str, now: float) -> None:
        if len(self._until) >= self.MOST:
            self._until.clear()
        self._until[key] = now + self.CLEAN_FOR

    def forget(self, key: str) -> None:
        self._until.pop(key, None)


def client_address(scope: Scope) -> str | None:
    """The client's address, or None when it cannot be told apart from others: no address at all, or a
    request through a proxy whose X-Forwarded-For uvicorn did not trust (it would have put the forwarded
    client in scope["client"] had it trusted the proxy), so that every client shares the proxy's."""
    client = scope.get("client")
    host = client[0] if client else None
    forwarded = _header(scope, b"x-forwarded-for")
    if forwarded is not None and host is not None:
        hops = [hop.strip() for hop in forwarded.decode("latin-1").split(",")]
        if host not in hops:
            return None
    return host


def _is_chat(path: str) -> bool:
    # The chat's own pages and posts; its stylesheet, script and pictures are files, cheap to serve.
    return (path == "/chat" or path.startswith("/chat/")) and not path.startswith(("/chat/static/", "/chat/symbols/"))


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value
    return None


def _cookie(scope: Scope, name: bytes) -> str | None:
    raw = _header(scope, b"cookie")
    if not raw:
        return None
    for part in raw.split(b";"):
        key, _, value = part.strip().partition(b"=")
        if key == name and value:
            return value.decode("latin-1")[:100]
    return None


def _retry_after(wait: float) -> bytes:
    return str(max(1, math.ceil(wait))).encode()


async def _plain(send: Send, status: int, body: bytes, wait: float) -> None:
    await send({
        "type": "http.response.start", "status": status,
        "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"retry-after", _retry_after(wait)),
                    (b"content-length", str(len(body)).encode())],
    })
    await send({"type": "http.response.body", "body": body})


TOO_FAST_TITLE = "Please wait a moment"
TOO_FAST_WORDS = (
    "You sent a lot of messages very fast.",
    "We did not read the last one.",
    "Please wait one minute. Then go back to the chat and send it again.",
)


async def _too_fast_page(send: Send, wait: float) -> None:
    paragraphs = "\n".join(f"<p>{escape(line)}</p>" for line in TOO_FAST_WORDS)
    html = (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(TOO_FAST_TITLE)}</title>\n"
        '<link rel="stylesheet" href="/chat/static/chat.css">\n</head>\n<body>\n<main>\n'
        f"<h1>{escape(TOO_FAST_TITLE)}</h1>\n{paragraphs}\n"
        '<p><a href="/chat#latest">Back to the chat</a></p>\n</main>\n</body>\n</html>\n'
    ).encode()
    await send({
        "type": "http.response.start", "status": 429,
        "headers": [(b"content-type", b"text/html; charset=utf-8"), (b"retry-after", _retry_after(wait)),
                    (b"cache-control", b"no-store"), (b"content-length", str(len(html)).encode())],
    })
    await send({"type": "http.response.body", "body": html})
