"""The webhook refusal limit reads the database once a second per sending address, not once a message: Twilio
sends every text from a few addresses. A refusal counted here is seen at once; one counted by another process
within a second."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from bot.web.ratelimit import Limit, Limits, RateLimitMiddleware


class Slots:
    """The database's refusal counts, shared by every process: `charged` per key."""

    def __init__(self) -> None:
        self.charged: dict[str, int] = {}
        self.reads = 0

    async def blocked(self, key, now, interval, burst):
        self.reads += 1
        return 60.0 if self.charged.get(key, 0) >= burst else None

    async def charge(self, key, now, interval):
        self.charged[key] = self.charged.get(key, 0) + 1

    async def admit(self, checks, now):
        return None


async def _hook(request: Request) -> PlainTextResponse:
    signed = request.headers.get("x-signed") == "yes"
    return PlainTextResponse("ok" if signed else "forbidden", status_code=200 if signed else 403)


def _process(slots: Slots, clock: list[float]) -> RateLimitMiddleware:
    app = Starlette(routes=[Route("/webhooks/twilio/sms", _hook, methods=["POST"])])
    middleware = RateLimitMiddleware(
        app, admit=slots.admit, blocked=slots.blocked, charge=slots.charge, secret=b"k" * 32,
        limits=Limits(webhook_refusals_per_address=Limit.per_hour(60, 2)),
    )
    middleware._monotonic = lambda: clock[0]
    return middleware


def _client(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=("203.0.113.9", 443)),
                             base_url="http://testserver")


async def test_signed_webhooks_from_one_address_read_the_refusals_once_a_second() -> None:
    slots, clock = Slots(), [100.0]
    async with _client(_process(slots, clock)) as twilio:
        for _ in range(50):
            assert (await twilio.post("/webhooks/twilio/sms", headers={"x-signed": "yes"})).status_code == 200
        assert slots.reads == 1
        clock[0] += 1.5
        assert (await twilio.post("/webhooks/twilio/sms", headers={"x-signed": "yes"})).status_code == 200
        assert slots.reads == 2


async def test_refusals_are_seen_at_once_here_and_within_a_second_from_another_process() -> None:
    slots, clock = Slots(), [100.0]
    here, there = _process(slots, clock), _process(slots, clock)
    async with _client(here) as to_here, _client(there) as to_there:
        assert (await to_here.post("/webhooks/twilio/sms", headers={"x-signed": "yes"})).status_code == 200
        # Junk from the same address, counted by the other process until its budget is spent.
        statuses = [(await to_there.post("/webhooks/twilio/sms")).status_code for _ in range(3)]
        assert statuses == [403, 403, 429]
        clock[0] += 1.01
        assert (await to_here.post("/webhooks/twilio/sms")).status_code == 429
        # Refused here, then: this process's own refusals count without waiting.
        assert (await to_here.post("/webhooks/twilio/sms", headers={"x-signed": "yes"})).status_code == 429


async def test_a_refusal_counted_here_is_seen_by_the_next_webhook_at_once() -> None:
    slots, clock = Slots(), [100.0]
    async with _client(_process(slots, clock)) as sender:
        assert (await sender.post("/webhooks/twilio/sms", headers={"x-signed": "yes"})).status_code == 200
        statuses = [(await sender.post("/webhooks/twilio/sms")).status_code for _ in range(3)]
        assert statuses == [403, 403, 429], "no second of grace after this process's own refusals"
