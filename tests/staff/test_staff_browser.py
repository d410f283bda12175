"""The staff console in headless Chromium: sign-in, results, tagging, a broadcast from compose to
delivery against the fake Twilio API, and axe-core on every page, at 100% and 200% zoom."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from browser.kit import assert_no_axe_violations, assert_reflows, run_async
from fakes.twilio_api import FakeTwilio
from fakes.twilio_webhooks import signed, status_form

from storage.conversations.store import Store
from storage.db import Database
from storage.privacy.vault import Keys
from storage.staff.records import Actor
from storage.staff.store import StaffStore

from .conftest import CHEAP, PASSWORD, Clock
from .live import OUR_NUMBER, live_staff
from .seed import FORMULA_COMMENT, HOSTILE_COMMENT, seed_answers, seed_comment, seed_people

pytestmark = pytest.mark.browser

ADMIN = "admin@example.org"
STAFF = "nurse@example.org"


@pytest.fixture(scope="module")
def fake_twilio():
    with FakeTwilio() as fake:
        yield fake


@pytest.fixture
def site(live_app, tmp_path: Path, fake_twilio):
    fake_twilio.reset()
    live = live_staff(tmp_path, fake_twilio, quiet_hours="off", sms_rate_per_second=50)

    async def setup() -> dict[str, int]:
        from bot.web.staff.passwords import Passwords

        database = Database(live.settings.database_url)
        try:
            await database.migrate()
            clock = Clock(datetime(2026, 9, 1, 8, 0, tzinfo=UTC))
            store = Store(database, Keys.from_secret(live.settings.secret()), clock=clock)
            await seed_answers(store, clock, good=40, ok=12, poor=3)
            await seed_comment(store, HOSTILE_COMMENT, submission="hostile")
            await seed_comment(store, FORMULA_COMMENT, submission="formula")
            yes = await seed_people(store, 3)
            await seed_people(store, 2, updates=False, first=10)
            stopped = await seed_people(store, 1, first=20)
            async with store.unit() as uow:
                await uow.set_stopped(stopped[0], True)
            staff = StaffStore(database)
            passwords = Passwords(CHEAP)
            await staff.create_account(ADMIN, await passwords.hash(PASSWORD), "admin", must_change=False,
                                       actor=Actor("test"))
            await staff.create_account(STAFF, await passwords.hash(PASSWORD), "staff", must_change=True,
                                       actor=Actor("test"))
            return {"yes": len(yes)}
        finally:
            await database.dispose()

    counts = run_async(setup())
    url = live_app(live.app)
    return url, live, counts


def sign_in(page, url: str, email: str = ADMIN, password: str = PASSWORD) -> None:
    page.goto(url + "/staff/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def check_page(page, where: str) -> None:
    assert_no_axe_violations(page, where=where)
    assert_reflows(page)


def test_sign_in_by_keyboard_with_a_one_time_password_then_sign_out(new_page, site):
    url, _, _ = site
    page = new_page()
    page.goto(url + "/staff/results/demo")
    assert "/staff/login" in page.url
    check_page(page, "sign-in page")
    # Wrong password: the same words as for an account that does not exist.
    page.keyboard.press("Tab")  # the skip link
    page.get_by_label("Email").fill(STAFF)
    page.get_by_label("Password").fill("not the password at all")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    wrong = page.locator("#error").inner_text()
    page.get_by_label("Email").fill("nobody@example.org")
    page.get_by_label("Password").fill("not the password at all")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#error").inner_text() == wrong
    check_page(page, "sign-in error")
    # The right one-time password leads to choosing a new password before anything else.
    page.get_by_label("Email").fill(STAFF)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/staff/password$"))
    check_page(page, "change password")
    page.goto(url + "/staff/comments")
    assert page.url.endswith("/staff/password")
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("maple river lantern quietly")
    page.get_by_label("New password again").fill("maple river lantern quietly")
    page.get_by_role("button", name="Change password").click()
    page.wait_for_url(re.compile(r"/staff\?done=password$"))
    assert "Your password is changed" in page.inner_text("main")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/staff/login"))
    page.goto(url + "/staff")
    assert "/staff/login" in page.url


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_results_at_a_glance_with_every_answer_shown_against_its_base(new_page, site, javascript):
    url, _, _ = site
    page = new_page(javascript=javascript)
    sign_in(page, url)
    page.get_by_role("link", name="Results for For parents: your last visit").click()
    page.wait_for_url(re.compile(r"/staff/results/demo$"))
    table = page.locator("#t-overall")
    assert table.locator("tbody tr").nth(0).inner_text().split("\t")[:2] == ["Good", "40"]
    # 55 people answered: the 3 who said "Poor" are shown, as a share of the 55.
    assert table.locator("tbody tr").nth(2).inner_text().split("\t")[:2] == ["Poor", "3"]
    assert "55" in table.locator("tfoot").inner_text()
    chart = page.locator("#q-overall .bars")
    assert chart.get_attribute("role") == "img"
    assert chart.locator(".bar-words").all_inner_texts() == [
        "40 of 55 people, 73%", "12 of 55 people, 22%", "3 of 55 people, 5%"]
    assert "at least 5 people answered it" in page.locator("#rule").inner_text()
    check_page(page, "results")
    details = page.locator("details").first
    details.locator("summary").click()
    check_page(page, "results with a table opened")


RESULT_PAGES = ("/staff/results/demo", "/staff/results/demo/compare?by=channel", "/staff/results/demo/compare?by=month",
                "/staff/results/demo/trend/overall", "/staff/results/demo/trend/overall?by=week", "/staff")


def _smallest_chart_text(page) -> float:
    sizes = page.eval_on_selector_all(
        ".bar-label, .bar-words", "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    return min(sizes, default=99.0)


@pytest.mark.parametrize(("width", "zoom"), [(390, 1), (1024, 2), (390, 2)], ids=["390px", "200%", "390px-200%"])
def test_results_and_comparisons_read_well_on_a_phone_and_zoomed(new_page, site, width, zoom):
    url, _, _ = site
    page = new_page(width=width, zoom=zoom)
    sign_in(page, url)
    for path in RESULT_PAGES:
        page.goto(url + path)
        check_page(page, f"{path} at {width}px, {zoom * 100:.0f}%")
        # Chart words are page text at the body's size: the old 800 px pictures shrank them to about 6 px.
        assert _smallest_chart_text(page) >= 16, path


def test_a_comment_with_html_and_script_is_shown_as_text_and_nothing_runs(new_page, site):
    url, _, _ = site
    page = new_page()
    sign_in(page, url)
    page.goto(url + "/staff/comments?pack=demo")
    assert page.evaluate("() => window.__pwned === undefined")
    assert page.get_by_text("<script>window.__pwned = true</script>", exact=False).count() == 1
    assert page.locator("main script, main img:not(.chart)").count() == 0
    assert page.get_by_text(FORMULA_COMMENT).count() == 1


def test_tagging_comments_into_themes_by_keyboard(new_page, site):
    url, _, _ = site
    page = new_page()
    sign_in(page, url)
    page.goto(url + "/staff/comments?pack=demo")
    first = page.locator("li.comment").nth(2)
    comment_id = first.get_attribute("id")
    field = first.get_by_label("Add a theme")
    field.focus()
    page.keyboard.type("Waiting room")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tagged = page.locator(f"#{comment_id}")
    assert "Waiting room" in tagged.locator(".chips").inner_text()
    check_page(page, "comments with a theme")
    # The theme is offered as a filter and finds the comment.
    page.get_by_label("Theme", exact=True).select_option("Waiting room")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    assert page.locator("li.comment").count() == 1
    with page.expect_navigation():
        page.get_by_role("button", name="Remove theme Waiting room from this comment").click()
    assert page.locator(f"#{comment_id} .chips").count() == 0


def test_a_broadcast_from_compose_to_delivery(new_page, site, fake_twilio):
    url, live, counts = site
    page = new_page()
    sign_in(page, url)
    page.get_by_role("link", name="Broadcasts").click()
    page.get_by_role("link", name="Write a new broadcast").click()
    page.get_by_label("Name (only staff see this)").fill("New nurses")
    words = page.get_by_label("What to say in English")
    words.fill("Your appointment will be soon & we'll call you.")
    live_box = page.locator("#text_en-live")
    # The easy-read check runs as you type: hard word, short form and symbol are all flagged.
    live_box.locator(".finding-error").first.wait_for()
    assert "appointment" in live_box.inner_text()
    assert "SMS: 1 part" in live_box.inner_text()
    check_page(page, "compose with live check")
    words.fill("We have two new nurses. You will hear from us soon.")
    page.wait_for_function("() => document.querySelector('#text_en-live .finding-ok') !== null")
    with page.expect_navigation():
        page.get_by_role("button", name="Check and preview").click()
    assert "SMS" in page.locator("#preview-title").locator("..").inner_text()
    assert f"SMS: {counts['yes']}" in page.locator("main").inner_text()
    check_page(page, "compose with previews")
    page.get_by_role("button", name="Send or schedule").click()
    page.wait_for_url(re.compile(r"/staff/broadcasts/\d+$"))
    detail = page.url
    # The dispatcher sends at the channel's rate; the page shows progress per channel.
    deadline = time.monotonic() + 20
    while len(fake_twilio.messages) < counts["yes"] and time.monotonic() < deadline:
        time.sleep(0.1)
    sent = fake_twilio.messages
    assert len(sent) == counts["yes"], "only the people who said yes to updates, and did not stop, get it"
    assert {m.to for m in sent} == {f"+4477009{n:05d}" for n in range(counts["yes"])}
    assert all("We have two new nurses." in m.body for m in sent)
    page.goto(detail)
    assert page.locator('#progress td[data-status="sent"]').inner_text() == str(counts["yes"])
    # Twilio reports delivery to the status webhook; the page then counts them as delivered.
    for message in sent:
        parts = urlsplit(message.status_callback)
        path = parts.path + "?" + parts.query
        form = status_form(message.sid, "delivered", to=message.to, from_=OUR_NUMBER,
                           account_sid=fake_twilio.account_sid)
        request = signed(fake_twilio.auth_token, live.settings.public_url, path, form)
        assert httpx.post(url + path, data=form, headers=request.headers).status_code == 200
    page.goto(detail)
    assert page.locator('#progress td[data-status="delivered"]').inner_text() == str(counts["yes"])
    check_page(page, "broadcast progress")


def test_a_scheduled_broadcast_can_be_changed_then_cancelled(new_page, site, fake_twilio):
    url, _, _ = site
    page = new_page(javascript=False)
    sign_in(page, url)
    page.goto(url + "/staff/broadcasts/new")
    page.get_by_label("Name (only staff see this)").fill("Clinic closed")
    page.get_by_label("What to say in English").fill("The clinic is closed on Friday.")
    page.get_by_label("Send later, at:").check()
    page.get_by_label("Date", exact=True).fill("2027-01-05")
    page.get_by_label("Time", exact=True).fill("10:00")
    page.get_by_role("button", name="Send or schedule").click()
    page.wait_for_url(re.compile(r"/staff/broadcasts/\d+$"))
    assert "Scheduled" in page.inner_text("main")
    check_page(page, "scheduled broadcast")
    page.get_by_role("link", name="Change it").click()
    page.get_by_label("What to say in English").fill("The clinic is closed on Monday.")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(re.compile(r"/staff/broadcasts/\d+$"))
    assert "closed on Monday" in page.inner_text("main")
    with page.expect_navigation():
        page.get_by_role("button", name="Cancel this broadcast").click()
    assert "Nobody will get it" in page.inner_text("main")
    assert fake_twilio.messages == []


def test_every_page_passes_axe_and_an_admin_sees_who_did_what(new_page, site):
    url, _, _ = site
    page = new_page()
    sign_in(page, url)
    for path in ("/staff", "/staff/results/demo", "/staff/comments", "/staff/messages", "/staff/broadcasts",
                 "/staff/broadcasts/new", "/staff/accounts", "/staff/password", "/staff/results/nope",
                 "/staff/results/demo/trend/overall", "/staff/results/demo/compare?by=channel"):
        page.goto(url + path)
        check_page(page, path)
    with page.expect_download() as download:
        page.goto(url + "/staff/results/demo")
        page.get_by_role("link", name="Download CSV").click()
    assert download.value.suggested_filename.endswith(".csv")
    page.goto(url + "/staff/accounts")
    page.get_by_label("Email").fill("lead@example.org")
    page.get_by_label("Role").select_option("safeguarding_lead")
    with page.expect_navigation():
        page.get_by_role("button", name="Add account").click()
    assert page.locator(".otp code").inner_text()
    check_page(page, "account added")
    page.goto(url + "/staff/audit")
    text = page.inner_text("main")
    for action in ("sign_in", "export.csv", "account.create"):
        assert action in text
    assert ADMIN in text
    check_page(page, "/staff/audit")
