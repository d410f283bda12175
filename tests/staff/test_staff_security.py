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


async def test_one_rule_for_changing_themes_a_safeguarding_lead_reads_but_does_not_tag(staff_world):
    from bot.web.staff.auth import THEME_EDITORS
    from bot.web.staff.routes import page_routes

    routes = {(r.path, m): r.endpoint for r in page_routes() for m in getattr(r, "methods", ())}
    for path in ("/comments/tag", "/comments/untag"):
        assert routes[(path, "POST")].staff_roles == THEME_EDITORS
    await staff_world.add("lead@example.org", "safeguarding_lead")
    await staff_world.sign_in("lead@example.org")
    page = await staff_world.http.get("/staff/comments")
    assert page.status_code == 200 and 'action="/staff/comments/tag"' not in page.text
    refused = await staff_world.post("/staff/comments/tag", {"kind": "answer", "id": "1", "theme": "x"},
                                     csrf_from="/staff/comments")
    assert refused.status_code == 403


async def test_adding_a_safeguarding_lead_is_audited_and_shown_to_the_other_leads(staff_world):
    await staff_world.add("first-lead@example.org", "safeguarding_lead")
    await staff_world.add("admin@example.org", "admin")
    admin = staff_world.client()
    await staff_world.sign_in("admin@example.org", client=admin)
    page = await admin.get("/staff/accounts")
    added = await admin.post("/staff/accounts", data={"csrf": csrf_in(page.text), "email": "new-lead@example.org",
                                                      "role": "safeguarding_lead"})
    assert added.status_code == 200
    entries, _ = await staff_world.console.store.audit_entries(limit=5, action="safeguarding.lead_added")
    assert [e.actor for e in entries] == ["admin@example.org", "test"]  # the new lead, and the first one
    await staff_world.sign_in("first-lead@example.org")
    home = await staff_world.http.get("/staff")
    assert "New safeguarding leads" in home.text and "new-lead@example.org, added by admin@example.org" in home.text
    assert "If you did not expect one, tell your admin today." in home.text
    assert "New safeguarding leads" not in (await admin.get("/staff")).text  # for leads only
    await admin.aclose()
