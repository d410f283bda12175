"""Security findings in the staff console: signing out always works, and every page keeps other sites
from framing it."""

from __future__ import annotations

from .conftest import csrf_in


async def test_a_person_with_a_one_time_password_can_sign_out(staff_world):
    await staff_world.add("new@example.org", "staff", must_change=True)
    signed_in = await staff_world.sign_in("new@example.org")
    assert signed_in.headers["location"] == "/staff/password"
    token = csrf_in((await staff_world.http.get("/staff/password")).text)
    out = await staff_world.http.post("/staff/logout", data={"csrf": token})
    assert out.status_code == 303 and out.headers["location"] == "/staff/login"
    # The session is over: the console sends the browser to sign in again.
    again = await staff_world.http.get("/staff/password")
    assert again.status_code == 303 and again.headers["location"].startswith("/staff/login")


async def test_signing_out_from_a_stale_page_still_signs_out(staff_world):
    await staff_world.add("a@example.org", "admin")
    await staff_world.sign_in("a@example.org")
    out = await staff_world.http.post("/staff/logout", data={"csrf": "from-a-page-open-since-yesterday"})
    assert out.status_code == 303
    assert (await staff_world.http.get("/staff")).status_code == 303


async def test_every_console_page_forbids_framing(staff_world):
    await staff_world.add("a@example.org", "admin")
    login = await staff_world.http.get("/staff/login")
    assert "frame-ancestors 'none'" in login.headers["content-security-policy"]
    await staff_world.sign_in("a@example.org")
    for path in ("/staff", "/staff/accounts", "/staff/audit", "/staff/nothing-here"):
        page = await staff_world.http.get(path)
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"], path
