"""The console pages over HTTP: a safeguarding lead reads an alert, acknowledges, closes and reveals; staff
and admins cannot open alerts; admins see who revealed what and why."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from safeguarding_kit import PERSON, SECRET, Clock, Texter
from starlette.applications import Starlette

from bot.app.settings import load_settings
from bot.app.staff import build_staff
from bot.app.wiring import Parts, build_parts
from bot.safeguarding.loading import shipped_safeguarding
from bot.web.staff.passwords import Passwords
from bot.web.staff.routes import staff_routes
from bot.web.staff.safeguarding.routes import install, safeguarding_routes
from storage.privacy.vault import Keys
from storage.safeguarding.store import SafeguardingStore
from storage.staff.records import Actor

PASSWORD = "correct horse battery staple"
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@dataclass
class Console:
    parts: Parts
    app: Starlette
    clock: Clock

    def browser(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://testserver")


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]*)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


@asynccontextmanager
async def _signed_in(console: Console, email: str) -> AsyncIterator[httpx.AsyncClient]:
    async with console.browser() as browser:
        page = await browser.get("/staff/login")
        done = await browser.post("/staff/login", data={"csrf": _csrf(page.text), "email": email, "password": PASSWORD})
        assert done.status_code == 303
        yield browser


@pytest.fixture
async def console(database, tmp_path: Path, clock: Clock) -> AsyncIterator[Console]:
    settings = load_settings(secret_key=SECRET, var_dir=tmp_path, scheduler=False)
    parts = build_parts(settings, database=database, clock=clock)
    staff = build_staff(settings, database, parts.service.prompts, channels=parts.senders, clock=clock,
                        passwords=Passwords(CHEAP))
    install(staff)
    store = SafeguardingStore(database, Keys.from_secret(SECRET), clock=clock)
    routes = staff_routes(staff, extra=safeguarding_routes(store, shipped_safeguarding().detector))
    for email, role in (("lead@example.org", "safeguarding_lead"), ("staff@example.org", "staff"),
                        ("admin@example.org", "admin")):
        await staff.store.create_account(email, await staff.passwords.hash(PASSWORD), role, must_change=False,
                                         actor=Actor("test"))
    yield Console(parts, Starlette(routes=routes), clock)


async def test_a_lead_reads_acknowledges_and_closes_an_alert(console: Console) -> None:
    await Texter(console.parts, console.clock).send("I want to kill myself tonight")
    async with _signed_in(console, "lead@example.org") as lead:
        listing = await lead.get("/staff/safeguarding/alerts")
        assert listing.status_code == 200
        assert "says they want to die or end their life" in listing.text and "Urgent" in listing.text
        assert "kill myself" not in listing.text, "the list never shows the words"
        page = await lead.get("/staff/safeguarding/alerts/1")
        assert "I want to kill myself tonight" in page.text and page.headers["cache-control"] == "no-store"
        assert PERSON not in page.text
        done = await lead.post("/staff/safeguarding/alerts/1/acknowledge", data={"csrf": _csrf(page.text)})
        assert done.status_code == 303
        empty = await lead.post("/staff/safeguarding/alerts/1/close", data={"csrf": _csrf(page.text), "outcome": ""})
        assert empty.status_code == 400 and "Outcome: please fill this in." in empty.text
        closed = await lead.post("/staff/safeguarding/alerts/1/close",
                                 data={"csrf": _csrf(page.text), "outcome": "Called 999 with the family"})
        assert closed.status_code == 303
        after = await lead.get("/staff/safeguarding/alerts/1?done=closed")
        assert "This alert is closed." in after.text and "Called 999 with the family" in after.text
        assert "lead@example.org, acknowledge" in after.text


async def test_break_glass_over_http_shows_the_number_once_and_admins_see_the_reason(console: Console) -> None:
    await Texter(console.parts, console.clock).send("my dad hits me")
    async with _signed_in(console, "lead@example.org") as lead:
        page = await lead.get("/staff/safeguarding/alerts/1")
        assert "Reveal contact details" in page.text and PERSON not in page.text
        short = await lead.post("/staff/safeguarding/alerts/1/reveal", data={"csrf": _csrf(page.text), "reason": "x"})
        assert short.status_code == 400 and PERSON not in short.text and "Please write why" in short.text
        shown = await lead.post("/staff/safeguarding/alerts/1/reveal",
                                data={"csrf": _csrf(page.text), "reason": "Child at risk of harm at home tonight"})
        assert shown.status_code == 200 and PERSON in shown.text
        assert PERSON not in (await lead.get("/staff/safeguarding/alerts/1")).text, "shown once, not kept on the page"
    async with _signed_in(console, "admin@example.org") as admin:
        log = await admin.get("/staff/safeguarding/reveals")
        assert log.status_code == 200
        assert "Child at risk of harm at home tonight" in log.text and "lead@example.org" in log.text
        assert PERSON not in log.text
        assert (await admin.get("/staff/safeguarding/alerts/1")).status_code == 403
        assert (await admin.get("/staff/safeguarding/alerts")).status_code == 403


@pytest.mark.parametrize("email", ["staff@example.org", "admin@example.org"])
async def test_nobody_but_a_lead_can_open_alerts_or_reveal(console: Console, email: str) -> None:
    await Texter(console.parts, console.clock).send("I want to die")
    async with _signed_in(console, email) as browser:
        home = await browser.get("/staff")
        assert "/staff/safeguarding/alerts" not in home.text, "no menu link"
        assert (await browser.get("/staff/safeguarding/alerts/1")).status_code == 403
        refused = await browser.post("/staff/safeguarding/alerts/1/reveal",
                                     data={"csrf": _csrf(home.text), "reason": "I would like to see it please"})
        assert refused.status_code == 403 and PERSON not in refused.text
    if email == "staff@example.org":
        async with console.browser() as anonymous:
            assert (await anonymous.get("/staff/safeguarding/alerts")).status_code == 303


async def test_a_forged_reveal_without_the_form_token_is_refused(console: Console) -> None:
    await Texter(console.parts, console.clock).send("I want to die")
    async with _signed_in(console, "lead@example.org") as lead:
        forged = await lead.post("/staff/safeguarding/alerts/1/reveal", data={"reason": "Risk to life, need it now"})
        assert forged.status_code == 400 and PERSON not in forged.text


async def test_an_alert_number_with_a_slash_on_the_end_is_not_found_not_redirected(console: Console) -> None:
    # Starlette used to answer these with a 307 to the address without the slash.
    await Texter(console.parts, console.clock).send("my dad hits me")
    async with _signed_in(console, "lead@example.org") as lead:
        page = await lead.get("/staff/safeguarding/alerts/1")
        assert page.status_code == 200
        unknown = await lead.get("/staff/safeguarding/alerts/999999")
        assert unknown.status_code == 404
        for path in ("/staff/safeguarding/alerts/1/", "/staff/safeguarding/alerts/1%2F",
                     "/staff/safeguarding/alerts/999999/"):
            response = await lead.get(path)
            assert response.status_code == 404 and "location" not in response.headers, path
            assert response.text == unknown.text, path  # the page an unknown alert gets
        reveal = await lead.post("/staff/safeguarding/alerts/1/reveal/",
                                 data={"csrf": _csrf(page.text), "reason": "Child at risk of harm at home tonight"})
        assert reveal.status_code == 404 and PERSON not in reveal.text
    async with _signed_in(console, "admin@example.org") as admin:
        assert (await admin.get("/staff/safeguarding/alerts/1/")).status_code == 403


async def test_acknowledging_or_closing_an_alert_that_does_not_exist_is_not_found(console: Console) -> None:
    async with _signed_in(console, "lead@example.org") as lead:
        token = _csrf((await lead.get("/staff/safeguarding/alerts")).text)
        missing = await lead.post("/staff/safeguarding/alerts/999/acknowledge", data={"csrf": token})
        assert missing.status_code == 404 and "There is no such alert." in missing.text
        closing = await lead.post("/staff/safeguarding/alerts/999/close", data={"csrf": token, "outcome": "done"})
        assert closing.status_code == 404 and "There is no such alert." in closing.text


async def test_acknowledging_an_alert_already_acknowledged_does_not_say_done_again(console: Console) -> None:
    await Texter(console.parts, console.clock).send("I want to kill myself tonight")
    async with _signed_in(console, "lead@example.org") as lead:
        token = _csrf((await lead.get("/staff/safeguarding/alerts/1")).text)
        first = await lead.post("/staff/safeguarding/alerts/1/acknowledge", data={"csrf": token})
        assert first.headers["location"].endswith("?done=acknowledged")
        again = await lead.post("/staff/safeguarding/alerts/1/acknowledge", data={"csrf": token})
        assert again.status_code == 303 and "done=" not in again.headers["location"]
