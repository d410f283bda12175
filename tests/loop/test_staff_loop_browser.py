"""The console's loop pages in headless Chromium: axe-core (WCAG 2.2 AA) at 100% and 200% zoom, and an action
recorded, checked and published with the keyboard and mouse as a staff member would."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from browser.kit import assert_no_axe_violations, assert_reflows, run_async
from starlette.applications import Starlette
from starlette.middleware import Middleware

from bot.app.loop import build_loop
from bot.app.settings import load_settings
from bot.app.staff import build_staff
from bot.app.wiring import build_parts
from bot.web.public.routes import public_routes
from bot.web.security import SecurityHeadersMiddleware
from bot.web.staff.loop.routes import loop_staff_routes
from bot.web.staff.passwords import Passwords
from bot.web.staff.routes import staff_routes
from storage.staff.records import Actor

TEST_KEY = "k7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js-p2Wq8Ze5Ur7T"  # the app refuses to serve on a weaker key

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"
EMAIL = "nurse@example.org"
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
PAGES = ["/staff/themes", "/staff/actions", "/staff/actions/new", "/staff/actions/1", "/staff/involvement",
         "/staff/checkins"]


def _settings(tmp_path: Path):
    return load_settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'said.db'}", secret_key=TEST_KEY,
                         var_dir=tmp_path, scheduler=False, quiet_hours="off")


async def _seed(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    parts = build_parts(settings)
    try:
        await parts.database.migrate()
        console = build_staff(settings, parts.database, parts.service.prompts, channels=parts.senders,
                              passwords=Passwords(CHEAP))
        await console.store.create_account(EMAIL, await console.passwords.hash(PASSWORD), "staff",
                                           must_change=False, actor=Actor("test"))
        for n, (words, consent) in enumerate([("The wait was far too long", "hear_back"),
                                              ("Waiting lists are too long", "hear_back"),
                                              ("I would like to help", "involvement")]):
            submission = str(uuid.uuid4())
            async with parts.store.unit() as uow:
                person = await uow.participant("web", f"web-token-{n:02d}-{uuid.uuid4().hex}")
                await uow.start_submission(submission, person.id, "demo", 1, "en", "web")
                await uow.record_answer(submission, "better", value=None, number=None, text=words, skipped=False)
                await uow.set_consent(person.id, consent, True)
        loop = build_loop(settings, parts)
        actor = Actor(EMAIL)
        theme_id = await loop.store.create_theme("waiting times", keywords=["wait", "waiting"], actor=actor)
        await loop.create_action(you_said={"en": "The wait was too long."}, we_did={"en": "We added visits."},
                                 status="done", symbol="clock", happened_on=datetime.now(UTC).date(),
                                 theme_ids=[theme_id], actor=actor)
        await loop.save_checkin(name="every two weeks", pack_id="waiting_list", cron="0 10 * * mon",
                                texts={"en": "Hello. How are you this week?"}, active=True, actor=actor)
    finally:
        await parts.database.dispose()


@pytest.fixture
def site(live_app, tmp_path: Path) -> str:
    run_async(_seed(tmp_path))
    settings = _settings(tmp_path)
    parts = build_parts(settings)
    console = build_staff(settings, parts.database, parts.service.prompts, channels=parts.senders,
                          passwords=Passwords(CHEAP))
    loop = build_loop(settings, parts)
    routes = [*staff_routes(console, extra=loop_staff_routes(console, loop)), *public_routes(loop)]
    return live_app(Starlette(routes=routes, middleware=[Middleware(SecurityHeadersMiddleware)]))


def _signed_in(new_page, site: str, **options):
    page = new_page(**options)
    page.goto(site + "/staff/login")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site + "/staff")
    return page


@pytest.mark.parametrize(("width", "zoom"), [(1024, 1.0), (1024, 2.0), (390, 1.0)], ids=["100%", "200%", "390px"])
def test_every_loop_page_passes_axe(site, new_page, width, zoom):
    page = _signed_in(new_page, site, width=width, zoom=zoom)
    for path in PAGES:
        page.goto(site + path)
        assert_no_axe_violations(page, where=f"{path} at {zoom:.0%}, {width}px")
        assert_reflows(page)


def test_a_check_in_is_set_up_with_the_form_and_read_back_in_words(site, new_page):
    page = _signed_in(new_page, site, width=390)
    page.goto(site + "/staff/checkins")
    page.get_by_label("Name").fill("After school")
    page.get_by_label("Every 2 weeks").check()
    page.get_by_label("Day").select_option("wed")
    page.get_by_label("Time", exact=True).fill("16:30")
    page.get_by_label("The reminder in English").fill("Hello. How are you this week?")
    page.get_by_role("button", name="Save the check-in").click()
    page.wait_for_url(site + "/staff/checkins")
    row = page.locator("tr", has_text="After school")
    assert "Every 2 weeks on Wednesday at 4:30 pm" in row.inner_text()
    assert_no_axe_violations(page, where="check-ins after saving")
    assert_reflows(page)


def test_a_suggestion_accepted_and_an_action_published_by_hand(site, new_page):
    page = _signed_in(new_page, site, javascript=False)
    page.goto(site + "/staff/themes")
    while page.get_by_role("button", name="Put in waiting times").count():
        page.get_by_role("button", name="Put in waiting times").first.click()
    page.goto(site + "/staff/actions/1")
    page.get_by_role("button", name="Publish and tell everyone who raised it").click()
    assert "Published. 2 people will get it now" in page.locator("main").inner_text()
    assert_no_axe_violations(page, where="after publishing")
    page.goto(site + "/you-said-we-did")
    assert "The wait was too long." in page.locator("main").inner_text()
