"""Signing in: cookies, sessions, lockout, no account enumeration, one-time passwords, the audit log."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from bot.app.staff import build_staff
from bot.app.wiring import build_parts
from bot.web.staff.demo import DEMO_EMAIL, ensure_demo_admin
from bot.web.staff.passwords import Passwords

from .conftest import CHEAP, PASSWORD, csrf_in, staff_app, staff_settings


def error_text(response: httpx.Response) -> str:
    found = re.search(r'<div class="notice notice-error" role="alert" id="error"><p>(.*?)</p>', response.text)
    return found.group(1) if found else ""


async def test_a_session_cookie_is_httponly_samesite_strict_and_rotates(staff_world):
    await staff_world.add("a@example.org")
    first = await staff_world.sign_in("a@example.org")
    assert first.status_code == 303 and first.headers["location"] == "/staff"
    cookie = next(h for h in first.headers.get_list("set-cookie") if h.startswith("said_staff="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/staff" in cookie
    token = first.cookies["said_staff"]
    second = await staff_world.sign_in("a@example.org", client=staff_world.client())
    assert second.cookies["said_staff"] != token


async def test_cookies_are_secure_when_the_console_is_served_over_https(database, tmp_path: Path, clock):
    settings = staff_settings(tmp_path, public_url="https://said.example.org")
    parts = build_parts(settings, database=database, clock=clock)
    console = build_staff(settings, database, parts.service.prompts, channels=parts.senders, clock=clock,
                          passwords=Passwords(CHEAP))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=staff_app(console)),
                                 base_url="https://testserver") as http:
        page = await http.get("/staff/login")
        assert "Secure" in page.headers["set-cookie"]


async def test_wrong_email_and_wrong_password_get_the_same_answer(staff_world):
    await staff_world.add("a@example.org")
    known = await staff_world.sign_in("a@example.org", "not the right password")
    unknown = await staff_world.sign_in("nobody@example.org", "not the right password")
    assert known.status_code == unknown.status_code == 400
    assert error_text(known) == error_text(unknown) == "The email or password is not right. Check them and try again."
    assert "said_staff=" not in known.headers.get("set-cookie", "")


async def test_failures_slow_an_account_down_and_the_right_password_works_after_a_short_wait(staff_world):
    await staff_world.add("a@example.org")
    for _ in range(5):
        assert (await staff_world.sign_in("a@example.org", "wrong wrong wrong")).status_code == 400
    slowed = await staff_world.sign_in("a@example.org")
    assert slowed.status_code == 429
    assert "please wait 2 seconds" in error_text(slowed) and slowed.headers["retry-after"] == "2"
    # An email with no account slows down the same way, so it reveals nothing either.
    for _ in range(5):
        await staff_world.sign_in("ghost@example.org", "wrong wrong wrong")
    assert error_text(await staff_world.sign_in("ghost@example.org", "x")) == error_text(slowed)
    staff_world.clock.advance(seconds=3)
    assert (await staff_world.sign_in("a@example.org")).status_code == 303


async def test_each_further_failure_waits_longer_up_to_five_minutes(staff_world):
    await staff_world.add("a@example.org")
    waits = []
    for _ in range(16):
        answer = await staff_world.sign_in("a@example.org", "wrong wrong wrong")
        if answer.status_code == 429:
            waits.append(int(answer.headers["retry-after"]))
            staff_world.clock.advance(seconds=waits[-1])
            assert (await staff_world.sign_in("a@example.org", "wrong wrong wrong")).status_code == 400
    assert waits == sorted(waits) and waits[0] == 2 and max(waits) == 300
    staff_world.clock.advance(minutes=5)
    assert (await staff_world.sign_in("a@example.org")).status_code == 303


async def test_a_browser_that_signed_in_before_is_not_locked_out_by_someone_elses_failures(staff_world):
    await staff_world.add("lead@example.org", "safeguarding_lead")
    theirs = staff_world.client()
    assert (await staff_world.sign_in("lead@example.org", client=theirs)).status_code == 303
    await theirs.post("/staff/logout", data={})
    attacker = staff_world.client()
    for _ in range(30):  # an attacker elsewhere guessing for hours, as fast as they are let
        staff_world.clock.advance(minutes=5)
        assert (await staff_world.sign_in("lead@example.org", "guess guess guess", client=attacker)).status_code == 400
    assert (await staff_world.sign_in("lead@example.org", client=attacker)).status_code == 429
    # The lead's own browser signs in at once, during the incident.
    assert (await staff_world.sign_in("lead@example.org", client=theirs)).status_code == 303
    await theirs.aclose()
    await attacker.aclose()


async def test_many_guesses_from_one_address_do_not_keep_a_colleague_on_it_out(staff_world):
    await staff_world.add("a@example.org", "admin")
    own = staff_world.client()
    assert (await staff_world.sign_in("a@example.org", client=own)).status_code == 303
    await own.post("/staff/logout", data={})
    for n in range(20):  # someone sharing the office's address guesses with made-up emails
        await staff_world.sign_in(f"guess{n}@example.org", "wrong wrong wrong")
    new_browser = staff_world.client()
    assert (await staff_world.sign_in("a@example.org", client=new_browser)).status_code == 429  # briefly
    assert (await staff_world.sign_in("a@example.org", client=own)).status_code == 303
    staff_world.clock.advance(seconds=3)
    assert (await staff_world.sign_in("a@example.org", client=new_browser)).status_code == 303
    await own.aclose()
    await new_browser.aclose()


async def test_wrong_passwords_sent_all_at_once_are_not_all_checked(staff_world):
    import asyncio

    await staff_world.add("a@example.org")
    browsers = [staff_world.client() for _ in range(60)]
    pages = [await browser.get("/staff/login") for browser in browsers]
    answers = await asyncio.gather(*(
        browser.post("/staff/login", data={"csrf": csrf_in(page.text), "email": "a@example.org",
                                           "password": f"guess number {n}"})
        for n, (browser, page) in enumerate(zip(browsers, pages, strict=True))
    ))
    checked = [a for a in answers if a.status_code == 400]
    assert 1 <= len(checked) <= 5  # the free tries at most; every other one waited unchecked
    assert all(a.status_code in (400, 429) for a in answers)
    for browser in browsers:
        await browser.aclose()


async def test_an_idle_session_ends_and_a_turned_off_account_cannot_sign_in(staff_world):
    member = await staff_world.add("a@example.org")
    await staff_world.sign_in("a@example.org")
    assert (await staff_world.http.get("/staff")).status_code == 200
    staff_world.clock.advance(minutes=31)
    assert (await staff_world.http.get("/staff")).status_code == 303
    await staff_world.sign_in("a@example.org")
    from storage.staff.records import Actor

    await staff_world.console.store.set_active(member, False, actor=Actor("test"))
    assert (await staff_world.http.get("/staff")).status_code == 303
    assert (await staff_world.sign_in("a@example.org")).status_code == 400


async def test_a_one_time_password_must_be_changed_first_and_other_sessions_end(staff_world):
    await staff_world.add("a@example.org", must_change=True)
    other = staff_world.client()
    await staff_world.sign_in("a@example.org", client=other)
    signed = await staff_world.sign_in("a@example.org")
    assert signed.headers["location"] == "/staff/password"
    assert (await staff_world.http.get("/staff/results/demo")).headers["location"] == "/staff/password"
    weak = await staff_world.post("/staff/password", {"current": PASSWORD, "new": "short", "again": "short"},
                                  csrf_from="/staff/password")
    assert weak.status_code == 400 and "at least 12 characters" in weak.text
    changed = await staff_world.post(
        "/staff/password",
        {"current": PASSWORD, "new": "maple river lantern quietly", "again": "maple river lantern quietly"},
        csrf_from="/staff/password",
    )
    assert changed.status_code == 303
    assert (await staff_world.http.get("/staff/results/demo")).status_code == 200
    assert (await other.get("/staff")).status_code == 303  # the other browser was signed out
    await other.aclose()
    assert (await staff_world.sign_in("a@example.org", "maple river lantern quietly",
                                      client=staff_world.client())).status_code == 303


async def test_sign_ins_and_failures_are_in_the_audit_log_without_passwords(staff_world):
    await staff_world.add("a@example.org", "admin")
    await staff_world.sign_in("a@example.org", "my secret guess")
    await staff_world.sign_in("a@example.org")
    entries, _ = await staff_world.console.store.audit_entries(limit=10)
    assert [(e.actor, e.action) for e in entries][:2] == [("a@example.org", "sign_in"),
                                                          ("a@example.org", "sign_in.failed")]
    page = await staff_world.http.get("/staff/audit")
    assert "sign_in.failed" in page.text and "my secret guess" not in page.text


async def test_after_sign_in_you_land_where_you_were_going_but_never_on_another_site(staff_world):
    await staff_world.add("a@example.org")
    for target, expected in (("/staff/comments", "/staff/comments"), ("https://evil.example/", "/staff"),
                             ("//evil.example", "/staff"), ("/staff/../chat", "/staff")):
        client = staff_world.client()
        login = await client.get("/staff/login")
        token = re.search(r'name="csrf" value="([^"]*)"', login.text).group(1)
        response = await client.post(
            "/staff/login", data={"csrf": token, "email": "a@example.org", "password": PASSWORD, "next": target}
        )
        assert response.headers["location"] == expected
        await client.aclose()


async def test_demo_mode_makes_one_admin_and_prints_the_password_once(staff_world):
    import io

    out = io.StringIO()
    assert await ensure_demo_admin(staff_world.console, public_url="http://127.0.0.1:8000", out=out)
    password = re.search(r"password: (\S+)", out.getvalue()).group(1)
    assert not await ensure_demo_admin(staff_world.console, public_url="http://127.0.0.1:8000", out=io.StringIO())
    signed = await staff_world.sign_in(DEMO_EMAIL, password)
    assert signed.headers["location"] == "/staff/password"


async def _slowed_down(staff_world, email: str) -> None:
    for _ in range(12):
        await staff_world.sign_in(email, "wrong wrong wrong")
        staff_world.clock.advance(seconds=40)
    assert (await staff_world.sign_in(email)).status_code == 429


async def test_an_admin_clears_an_accounts_wrong_tries_and_it_is_audited(staff_world):
    await staff_world.add("admin@example.org", "admin")
    member = await staff_world.add("a@example.org")
    await _slowed_down(staff_world, "a@example.org")
    admin = staff_world.client()
    assert (await staff_world.sign_in("admin@example.org", client=admin)).status_code == 303
    page = await admin.get("/staff/accounts")
    done = await admin.post("/staff/accounts/unlock", data={"csrf": csrf_in(page.text), "id": str(member.id)})
    assert done.status_code == 303
    assert "Wrong sign-in tries cleared" in (await admin.get(done.headers["location"])).text
    assert (await staff_world.sign_in("a@example.org")).status_code == 303
    entries, _ = await staff_world.console.store.audit_entries(limit=5, action="account.unlock")
    assert entries and entries[0].actor == "admin@example.org"
    await admin.aclose()


async def test_a_one_time_link_unlocks_once_and_makes_the_browser_known(staff_world):
    from bot.app.commands.staff import CLI
    from bot.web.staff.unlock import LINK_LIFETIME, unlock_path

    member = await staff_world.add("a@example.org")
    await _slowed_down(staff_world, "a@example.org")
    token = await staff_world.console.store.create_unlock_link(member, lifetime=LINK_LIFETIME, actor=CLI)
    browser = staff_world.client()
    page = await browser.get(unlock_path(token))
    assert page.status_code == 200 and "Unlock my account" in page.text
    assert (await staff_world.sign_in("a@example.org", client=browser)).status_code == 429  # the link is not used yet
    form = {"csrf": csrf_in(page.text), "t": token}
    used = await browser.post("/staff/unlock", data=form)
    assert used.status_code == 303 and used.headers["location"] == "/staff/login?unlocked=1"
    again = await browser.post("/staff/unlock", data=form)
    assert again.status_code == 400 and "used already" in again.text
    await _slowed_down(staff_world, "a@example.org")  # someone else keeps guessing …
    assert (await staff_world.sign_in("a@example.org", client=browser)).status_code == 303  # … it does not matter
    stale = await staff_world.console.store.create_unlock_link(member, lifetime=LINK_LIFETIME, actor=CLI)
    staff_world.clock.advance(hours=25)
    late = await browser.get(unlock_path(stale))
    assert (await browser.post("/staff/unlock", data={"csrf": csrf_in(late.text), "t": stale})).status_code == 400
    await browser.aclose()
