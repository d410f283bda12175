"""Staff console fixtures: the console wired as the app wires it, on the test database, over ASGI.

`staff_world` gives the parts, the console, an httpx client (in the test's own event loop, where the
database's connections live) and helpers to add accounts and sign in. Passwords use cheap argon2
settings so a test can sign in many times; the hashing code is the same.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from browser.kit import browser, live_app, new_page  # noqa: F401  (fixtures for the browser tests here)
from starlette.applications import Starlette
from starlette.middleware import Middleware

from bot.app.settings import load_settings
from bot.app.staff import build_staff
from bot.app.wiring import Parts, build_parts
from bot.web.security import SecurityHeadersMiddleware
from bot.web.staff.console import StaffConsole
from bot.web.staff.passwords import Passwords
from bot.web.staff.routes import staff_routes
from storage.staff.records import Actor

PASSWORD = "correct horse battery staple"
SECRET = "staff-test-secret-k7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js-p2Wq8Ze5Ur7Ty1Io3Pa6Sd9Fg4Hj0Kl"
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@dataclass
class StaffWorld:
    parts: Parts
    console: StaffConsole
    http: httpx.AsyncClient
    clock: Clock

    async def add(self, email: str, role: str = "staff", password: str = PASSWORD, *, must_change: bool = False):
        hashed = await self.console.passwords.hash(password)
        return await self.console.store.create_account(email, hashed, role, must_change=must_change,
                                                       actor=Actor("test"))

    async def sign_in(self, email: str, password: str = PASSWORD, *, client: httpx.AsyncClient | None = None):
        client = client or self.http
        page = await client.get("/staff/login")
        token = csrf_in(page.text)
        return await client.post("/staff/login", data={"csrf": token, "email": email, "password": password})

    async def csrf(self, path: str = "/staff") -> str:
        return csrf_in((await self.http.get(path)).text)

    async def post(self, path: str, data: dict[str, Any], *, csrf_from: str = "/staff") -> httpx.Response:
        return await self.http.post(path, data={"csrf": await self.csrf(csrf_from), **data})

    def client(self) -> httpx.AsyncClient:
        """Another browser: its own cookies."""
        return httpx.AsyncClient(transport=self.http._transport, base_url="http://testserver")


def csrf_in(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]*)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def staff_settings(tmp_path: Path, **overrides: Any):
    return load_settings(secret_key=SECRET, var_dir=tmp_path, scheduler=False, **overrides)


def staff_app(console: StaffConsole) -> Starlette:
    return Starlette(routes=staff_routes(console), middleware=[Middleware(SecurityHeadersMiddleware)])


@pytest.fixture
def clock() -> Clock:
    # A Tuesday at noon in London: inside office hours, outside quiet hours.
    return Clock(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))


@pytest.fixture
async def staff_world(database, tmp_path: Path, clock: Clock) -> AsyncIterator[StaffWorld]:
    settings = staff_settings(tmp_path)
    parts = build_parts(settings, database=database, clock=clock)
    console = build_staff(
        settings, database, parts.service.prompts, channels=parts.senders, on_planned=parts.dispatcher.kick,
        clock=clock, passwords=Passwords(CHEAP),
    )
    transport = httpx.ASGITransport(app=staff_app(console))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield StaffWorld(parts, console, http, clock)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives headless Chromium (skips without it locally)")
