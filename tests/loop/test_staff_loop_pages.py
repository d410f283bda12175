"""The console's themes, actions, involvement and check-in pages: from "people told us X" to "everyone who told
us X has heard what we did" without leaving the console."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx
import pytest
from argon2 import PasswordHasher
from loop_kit import LoopWorld, Seeder
from starlette.applications import Starlette
from starlette.middleware import Middleware

from bot.app.staff import build_staff
from bot.web.security import SecurityHeadersMiddleware
from bot.web.staff.loop.routes import loop_staff_routes
from bot.web.staff.passwords import Passwords
from bot.web.staff.routes import staff_routes
from storage.staff.records import Actor

PASSWORD = "correct horse battery staple"
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def csrf_in(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]*)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


@dataclass
class Console:
    world: LoopWorld
    console: object
    http: httpx.AsyncClient

    async def sign_in_as(self, role: str) -> None:
        email = f"{role}@example.org"
        hashed = await self.console.passwords.hash(PASSWORD)
        await self.console.store.create_account(email, hashed, role, must_change=False, actor=Actor("test"))
        page = await self.http.get("/staff/login")
        signed = await self.http.post("/staff/login", data={"csrf": csrf_in(page.text), "email": email,
                                                            "password": PASSWORD})
        assert signed.status_code == 303, signed.text

    async def post(self, path: str, data: dict | list, *, csrf_from: str) -> httpx.Response:
        token = csrf_in((await self.http.get(csrf_from)).text)
        pairs = list(data.items()) if isinstance(data, dict) else list(data)
        body = urlencode([("csrf", token), *pairs])  # repeated names (ticked boxes) need pairs, not a dict
        return await self.http.post(path, content=body,
                                    headers={"content-type": "application/x-www-form-urlencoded"})


@pytest.fixture
async def staff(world: LoopWorld) -> AsyncIterator[Console]:
    parts = world.parts
    console = build_staff(parts.settings, parts.database, parts.service.prompts, channels=parts.senders,
                          on_planned=parts.dispatcher.kick, clock=world.clock, passwords=Passwords(CHEAP))
    routes = staff_routes(console, extra=loop_staff_routes(console, world.loop))
    app = Starlette(routes=routes, middleware=[Middleware(SecurityHeadersMiddleware)])
    transport = httpx.ASGITransport(app=app)
    # https: the world's public URL is https, so the console sets Secure cookies.
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as http:
        yield Console(world, console, http)


async def test_from_people_told_us_x_to_everyone_heard_without_leaving_the_console(staff: Console):
    world = staff.world
    seed = Seeder(world)
    for n in range(6):
        await seed.person(f"+44770090070{n}", said="The wait was far too long")
    await seed.person("+447700900710", said="The wait was long", hear_back=False)
    await staff.sign_in_as("staff")

    made = await staff.post("/staff/themes", {"name": "waiting times", "description": "How long people wait",
                                              "keywords": "wait, too long"}, csrf_from="/staff/themes")
    assert made.status_code == 303
    page = (await staff.http.get("/staff/themes")).text
    assert page.count("Put in waiting times") == 7  # every untagged comment matching the words
    for comment_id in re.findall(r'name="id" value="(\d+)"', page):
        accepted = await staff.post("/staff/themes/tag", {"kind": "answer", "id": comment_id,
                                                          "theme": "waiting times"}, csrf_from="/staff/themes")
        assert accepted.status_code == 303
    assert "Nothing to suggest right now." in (await staff.http.get("/staff/themes")).text

    theme_id = re.search(r'name="theme" value="(\d+)"', (await staff.http.get("/staff/actions/new")).text).group(1)
    created = await staff.post("/staff/actions/new", [
        ("you_said_en", "The wait for a first visit was too long."), ("we_did_en", "We added visits on Saturdays."),
        ("status", "done"), ("symbol", "clock"), ("happened_on", "2026-11-02"), ("theme", theme_id),
    ], csrf_from="/staff/actions/new")
    assert created.status_code == 303
    detail_path = created.headers["location"]
    detail = (await staff.http.get(detail_path)).text
    assert "You said: The wait for a first visit was too long." in detail
    assert "Nobody has been sent this yet." in detail

    published = await staff.post(f"{detail_path}/publish", {}, csrf_from=detail_path)
    assert published.status_code == 303
    after = (await staff.http.get(published.headers["location"])).text
    assert "Published. 6 people will get it now" in after
    assert "<dd>7</dd>" in after  # people who raised it, including the one who did not want to hear back
    await world.deliver()
    assert len(world.twilio.messages) == 6
    progress = (await staff.http.get(detail_path)).text
    assert re.search(r"<th scope=\"row\">Sent</th><td class=\"num\">6</td>", progress)
    assert "The wait for a first visit was too long." in (await staff.http.get("/staff/actions")).text


async def test_hard_words_come_back_with_what_to_fix(staff: Console):
    await staff.sign_in_as("staff")
    await staff.post("/staff/themes", {"name": "waiting times"}, csrf_from="/staff/themes")
    theme_id = re.search(r'name="theme" value="(\d+)"', (await staff.http.get("/staff/actions/new")).text).group(1)
    refused = await staff.post("/staff/actions/new", [
        ("you_said_en", "The wait was too long."),
        ("we_did_en", "We've commenced a comprehensive multidisciplinary reconfiguration of the pathway."),
        ("status", "done"), ("symbol", "clock"), ("happened_on", "2026-11-02"), ("theme", theme_id),
    ], csrf_from="/staff/actions/new")
    assert refused.status_code == 400
    assert "Some words need to be easier to read." in refused.text
    assert "We did (en):" in refused.text
    assert "commenced a comprehensive" in refused.text  # what they wrote is kept, to change
    assert await staff.world.loop.store.actions() == []


async def test_a_safeguarding_lead_can_read_but_not_publish(staff: Console):
    await staff.sign_in_as("safeguarding_lead")
    page = await staff.http.get("/staff/actions")
    assert page.status_code == 200
    assert "Record an action" not in page.text
    refused = await staff.post("/staff/themes", {"name": "waiting times"}, csrf_from="/staff/actions")
    assert refused.status_code == 403


async def test_involvement_shows_codes_and_invites_through_the_bot(staff: Console):
    world = staff.world
    person = await Seeder(world).person("+447700900720", pack_id="parent_carer", question_id="involvement",
                                        value="yes", hear_back=None, consents=("involvement",))
    await staff.sign_in_as("staff")
    page = (await staff.http.get("/staff/involvement")).text
    assert "7700900720" not in page and "+44" not in page
    assert re.search(r"<code>[0-9a-f]{10}</code>", page)
    assert "Tell us how we did" in page or "parent" in page.lower()
    sent = await staff.post("/staff/involvement/invite", [
        ("who", "chosen"), ("person", str(person)), ("text_en", "We are planning a new clinic."),
        ("next_en", "Please come to the meeting on Monday at 10 in the morning."),
    ], csrf_from="/staff/involvement")
    assert sent.status_code == 303 and sent.headers["location"] == "/staff/involvement?sent=1"
    await world.deliver()
    [text] = await world.texts_to("+447700900720")
    assert "We are planning a new clinic." in text


async def test_checkins_can_be_added_changed_and_explained(staff: Console):
    await staff.sign_in_as("admin")
    saved = await staff.post("/staff/checkins", {"name": "every two weeks", "pack": "waiting_list",
                                                 "cron": "week=*/2 day_of_week=mon hour=10",
                                                 "text_en": "Hello. How are you feeling this week?",
                                                 "active": "on"}, csrf_from="/staff/checkins")
    assert saved.status_code == 303
    page = (await staff.http.get("/staff/checkins")).text
    assert "Mon 30 Nov 2026, 10:00" in page
    bad = await staff.post("/staff/checkins", {"name": "x", "pack": "waiting_list", "cron": "every day",
                                               "text_en": "Hello."}, csrf_from="/staff/checkins")
    assert bad.status_code == 400
    assert "cannot be read" in bad.text


async def test_an_action_or_theme_with_a_slash_on_the_end_is_not_found_not_redirected(staff: Console):
    # Starlette used to answer these with a 307 to the address without the slash.
    await staff.sign_in_as("staff")
    await staff.post("/staff/themes", {"name": "waiting times"}, csrf_from="/staff/themes")
    theme_id = re.search(r'name="theme" value="(\d+)"', (await staff.http.get("/staff/actions/new")).text).group(1)
    created = await staff.post("/staff/actions/new", [
        ("you_said_en", "The wait for a first visit was too long."), ("we_did_en", "We added visits on Saturdays."),
        ("status", "done"), ("symbol", "clock"), ("happened_on", "2026-11-02"), ("theme", theme_id),
    ], csrf_from="/staff/actions/new")
    detail = created.headers["location"]
    assert (await staff.http.get(detail)).status_code == 200
    unknown = await staff.http.get("/staff/actions/999999")
    assert unknown.status_code == 404
    for path in (f"{detail}/", f"{detail}%2F", f"{detail}/edit/", "/staff/actions/999999/", "/staff/actions/new/"):
        response = await staff.http.get(path)
        assert response.status_code == 404, path
        assert "location" not in response.headers, path
        assert response.text == unknown.text, path  # the page an unknown action gets
    for path, message in ((f"/staff/themes/{theme_id}/edit/", "That theme is not there any more."),
                          (f"{detail}/publish/", "That action is not there.")):
        response = await staff.post(path, {"name": "waiting"}, csrf_from="/staff/themes")
        assert response.status_code == 404 and "location" not in response.headers, path
        assert message in response.text, path
    assert (await staff.world.loop.store.actions())[0].published_at is None  # the slashed publish did nothing
