"""The inbox in headless Chromium: a parent's late-night text waits in the inbox, a staff member starts
from a saved reply, checks it and sends it, and the parent gets it by SMS; axe-core finds nothing on any
page, and the pages reflow at 320 pixels."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from browser.kit import assert_no_axe_violations, assert_reflows, run_async
from fakes.twilio_api import FakeTwilio
from inbox_kit import CHEAP, OUR_NUMBER, PASSWORD, PERSON
from starlette.applications import Starlette
from starlette.middleware import Middleware

from bot.app.inbox import build_inbox
from bot.app.settings import load_settings
from bot.app.staff import build_staff
from bot.app.wiring import build_parts
from bot.messages import Channel, Inbound
from bot.web.security import SecurityHeadersMiddleware
from bot.web.staff.passwords import Passwords
from bot.web.staff.routes import staff_routes
from storage.staff.records import Actor

TEST_KEY = "k7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js-p2Wq8Ze5Ur7T"  # the app refuses to serve on a weaker key

pytestmark = pytest.mark.browser

EMAIL = "nurse@example.org"


@pytest.fixture(scope="module")
def fake_twilio():
    with FakeTwilio() as fake:
        yield fake


@pytest.fixture
def site(live_app, tmp_path: Path, fake_twilio: FakeTwilio) -> str:
    fake_twilio.reset()
    settings = load_settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'said.db'}", secret_key=TEST_KEY,
        var_dir=tmp_path, scheduler=False, quiet_hours="off", twilio_account_sid=fake_twilio.account_sid,
        twilio_auth_token=fake_twilio.auth_token, twilio_phone_number=OUR_NUMBER,
        twilio_api_base_url=fake_twilio.base_url,
    )

    async def seed() -> None:
        parts = build_parts(settings)
        try:
            await parts.database.migrate()
            console = build_staff(settings, parts.database, parts.service.prompts, channels=parts.senders,
                                  passwords=Passwords(CHEAP))
            await console.store.create_account(EMAIL, await console.passwords.hash(PASSWORD), "staff",
                                               must_change=False, actor=Actor("test"))
            late = datetime(2026, 11, 27, 23, 0, tzinfo=UTC)
            for n, words in enumerate(("My son has been waiting 9 months and nobody has called us back",
                                       "Where do we park")):
                message = Inbound(text=words, channel=Channel.SMS, received_at=late, provider_id=f"SM{n}")
                await parts.service.handle(Channel.SMS, f"+44770090012{n + 3}", message)
        finally:
            for sender in parts.senders.values():
                close = getattr(sender, "aclose", None)
                if close is not None:
                    await close()
            await parts.database.dispose()

    run_async(seed())
    parts = build_parts(settings)
    console = build_staff(settings, parts.database, parts.service.prompts, channels=parts.senders,
                          passwords=Passwords(CHEAP))
    inbox = build_inbox(settings, parts, console)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        kicker = asyncio.create_task(parts.dispatcher.run_on_kick())
        try:
            yield
        finally:
            kicker.cancel()
            for sender in parts.senders.values():
                close = getattr(sender, "aclose", None)
                if close is not None:
                    await close()
            await parts.database.dispose()

    app = Starlette(routes=staff_routes(console, extra=inbox.routes()), lifespan=lifespan,
                    middleware=[Middleware(SecurityHeadersMiddleware)])
    return live_app(app)


def check_page(page, where: str) -> None:
    assert_no_axe_violations(page, where=where)
    assert_reflows(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_staff_member_answers_a_late_night_text_from_the_inbox(new_page, site, fake_twilio, javascript) -> None:
    page = new_page(javascript=javascript)
    page.goto(site + "/staff/login?next=/staff/inbox")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/staff/inbox$"))
    main = page.inner_text("main")
    assert "2 cases are waiting for us" in main and "waiting 9 months" in main
    assert PERSON not in page.content()
    check_page(page, "the inbox")
    page.get_by_role("link", name="Case 1", exact=True).click()
    page.wait_for_url(re.compile(r"/staff/inbox/1$"))
    check_page(page, "one case")
    page.get_by_label("Start from a saved reply").select_option(label="When can we phone you?")
    page.get_by_role("button", name="Use this reply").click()
    page.wait_for_url(re.compile(r"canned=call_when"))
    assert "good day and time to phone you" in page.get_by_label("Your reply").input_value()
    page.get_by_label("Your reply").fill("Sorry about the wait. What is a good day and time to phone you?")
    if javascript:
        page.locator("#reply-live .cost").wait_for()  # the live check, as staff type
        assert "SMS:" in page.inner_text("#reply-live")
    page.get_by_role("button", name="Check and preview").click()
    page.wait_for_load_state()
    assert "The easy-read check found nothing to fix" in page.inner_text("main")
    assert "£" in page.inner_text("#reply-live")
    if javascript:  # axe re-fetches a page without scripts by GET, and this one is the answer to a POST
        check_page(page, "a checked reply")
    with page.expect_navigation():
        page.get_by_role("button", name="Send reply").click()
    assert "Your reply is on its way" in page.inner_text("main")
    check_page(page, "after sending")
    for _ in range(100):
        if any("good day and time" in m.body for m in fake_twilio.messages):
            break
        page.wait_for_timeout(50)
    [sent] = [m for m in fake_twilio.messages if "good day and time" in m.body]
    assert sent.to == "+447700900123"
    assert PERSON not in page.content()
