"""The public page and its posters in headless Chromium: axe-core (WCAG 2.2 AA) on every view, at 100% and
200% zoom and on a phone-sized screen, keyboard use, and the poster printing one action a page."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from browser.kit import assert_no_axe_violations, assert_reflows, run_async
from playwright.sync_api import expect
from starlette.applications import Starlette
from starlette.middleware import Middleware

from bot.app.loop import build_loop
from bot.app.settings import load_settings
from bot.app.wiring import build_parts
from bot.web.public.routes import public_routes
from bot.web.security import SecurityHeadersMiddleware
from storage.staff.records import Actor

TEST_KEY = "k7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js-p2Wq8Ze5Ur7T"  # the app refuses to serve on a weaker key

pytestmark = pytest.mark.browser
STAFF = Actor("staff@example.org")


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _settings(tmp_path: Path):
    return load_settings(
        secret_key=TEST_KEY, var_dir=tmp_path, scheduler=False,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'said.db'}",
    )


async def _seed(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    clock = Clock(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    parts = build_parts(settings, clock=clock)
    try:
        await parts.database.migrate()
        loop = build_loop(settings, parts, clock=clock)
        themes = {name: await loop.store.create_theme(name, actor=STAFF) for name in ("waiting times", "parking")}
        entries = [
            ("waiting times", "clock", "done", "The wait for a first visit was too long.",
             "We added more visits on Saturdays.", "Roedd yr aros yn rhy hir.", "Rydyn ni wedi ychwanegu ymweliadau."),
            ("parking", "no", "not_possible", "It was hard to park.", "The car park is not ours.", None, None),
            ("waiting times", "message", "in_progress", "Letters were hard to read.", "We are writing them again.",
             None, None),
        ]
        for theme, symbol, status, said, did, said_cy, did_cy in entries:
            you_said, we_did = {"en": said}, {"en": did}
            if said_cy and did_cy:
                you_said["cy"], we_did["cy"] = said_cy, did_cy
            action_id, _ = await loop.create_action(
                you_said=you_said, we_did=we_did, status=status, symbol=symbol, happened_on=date(2026, 11, 2),
                theme_ids=[themes[theme]], actor=STAFF,
            )
            await loop.publish(action_id, actor=STAFF)
    finally:
        await parts.database.dispose()


@pytest.fixture
def site(live_app, tmp_path: Path) -> str:
    run_async(_seed(tmp_path))
    settings = _settings(tmp_path)
    parts = build_parts(settings)
    loop = build_loop(settings, parts)
    app = Starlette(routes=public_routes(loop), middleware=[Middleware(SecurityHeadersMiddleware)])
    return live_app(app)


@pytest.mark.parametrize(
    "path",
    ["/you-said-we-did", "/you-said-we-did?lang=cy", "/you-said-we-did?theme=1", "/you-said-we-did/poster",
     "/you-said-we-did/poster?action=1&lang=cy"],
)
def test_every_view_passes_axe_at_100_and_200_percent_and_on_a_phone(site, new_page, path):
    for options in ({}, {"zoom": 2.0}, {"width": 320, "height": 640}):
        page = new_page(**options)
        page.goto(site + path)
        assert_no_axe_violations(page, where=f"{path} {options}")
        assert_reflows(page)


def test_the_page_reads_in_order_and_works_by_keyboard(site, new_page):
    page = new_page(javascript=False)
    page.goto(site + "/you-said-we-did")
    headings = page.locator("h3").all_inner_texts()
    assert [" ".join(h.split()) for h in headings] == [
        "You said: Letters were hard to read.", "You said: It was hard to park.",
        "You said: The wait for a first visit was too long.",
    ]
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the list"
    page.select_option("#theme", label="parking")
    page.get_by_role("button", name="Show").click()
    # expect() waits for the new page: the address changes before its list has loaded.
    expect(page).to_have_url(re.compile(r"theme=2"))
    expect(page.locator("h3")).to_have_count(1)
    page.get_by_role("link", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")


def test_a_printed_poster_is_one_action_a_page(site, new_page):
    page = new_page()
    page.goto(site + "/you-said-we-did/poster")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 3
