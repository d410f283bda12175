"""The staff console in a real app for browser tests: a SQLite file, the dispatcher, Twilio against the
fake API, served by uvicorn (see tests/browser/kit.py). Built the way bot/app/wiring.py builds the service,
with the staff routes the lead mounts there."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware

from bot.app.settings import Settings, load_settings
from bot.app.staff import build_staff
from bot.app.wiring import Parts, build_parts
from bot.web.security import SecurityHeadersMiddleware
from bot.web.staff.console import StaffConsole
from bot.web.staff.passwords import Passwords
from bot.web.staff.routes import staff_routes

from .conftest import CHEAP

TEST_KEY = "k7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js-p2Wq8Ze5Ur7T"  # the app refuses to serve on a weaker key

OUR_NUMBER = "+447700900999"


@dataclass
class LiveStaff:
    app: Starlette
    parts: Parts
    console: StaffConsole
    settings: Settings


def live_staff(tmp_path: Path, fake: Any | None = None, **overrides: Any) -> LiveStaff:
    twilio = {}
    if fake is not None:
        twilio = {
            "twilio_account_sid": fake.account_sid, "twilio_auth_token": fake.auth_token,
            "twilio_phone_number": OUR_NUMBER, "twilio_api_base_url": fake.base_url,
        }
    settings = load_settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'said.db'}", secret_key=TEST_KEY,
        var_dir=tmp_path, scheduler=False, **twilio, **overrides,
    )
    parts = build_parts(settings)
    console = build_staff(
        settings, parts.database, parts.service.prompts, channels=parts.senders, on_planned=parts.dispatcher.kick,
        passwords=Passwords(CHEAP),
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await parts.database.migrate()
        kicker = asyncio.create_task(parts.dispatcher.run_on_kick())
        try:
            yield
        finally:
            kicker.cancel()
            for sender in parts.senders.values():
                close = getattr(sender, "aclose", None)
                if close is not None:
                    await close()  # the Twilio client's HTTP session
            await parts.database.dispose()

    app = Starlette(
        routes=[*parts.channel_routes, *staff_routes(console)],
        lifespan=lifespan,
        middleware=[Middleware(SecurityHeadersMiddleware)],
    )
    return LiveStaff(app, parts, console, settings)
