"""Signing in: cookies, sessions, lockout, no account enumeration, one-time passwords, the audit log."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from bot.app.staff import build_staff
from bot.app.wiring import build_parts
from bot.web.staff.demo import DEMO_EMAIL, ensure_demo_admin
from bot.web.staff.passwords import Passwords

from .conftest import CHEAP, PASSWORD, staff_app, staff_settings


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


async def test_five_failures_lock_an_account_even_against_the_right_password(staff_world):
    await staff_world.add("a@example.org")
    for _ in range(5):
        assert (await staff_world.sign_in("a@example.org", "wrong wrong wrong")).status_code == 400
    locked = await staff_world.sign_in("a@example.org")
    assert locked.status_code == 429
    assert "wait 15 minutes" in error_text(locked)
    # An email with no account locks the same way, so the lockout reveals nothing either.
    for _ in range(5):
        await staff_world.sign_in("ghost@example.org", "wrong wrong wrong")
    assert error_text(await staff_world.sign_in("ghost@example.org", "x")) == error_text(locked)
    staff_world.clock.advance(minutes=16)
    assert (await staff_world.sign_in("a@example.org")).status_code == 303


async def test_many_failures_from_one_address_lock_that_address_for_every_account(staff_world):
    await staff_world.add("a@example.org")
    for n in range(20):
        await staff_world.sign_in(f"guess{n}@example.org", "wrong wrong wrong")
    assert (await staff_world.sign_in("a@example.org")).status_code == 429


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
