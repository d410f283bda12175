"""Every staff route needs a session and the right role; forms are checked; errors say what to do."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.routing import Route

from bot.web.staff.auth import FormRefused, read_form
from bot.web.staff.routes import page_routes
from storage.staff.tables import STAFF_ROLES

# The only pages anyone may use: signing in, and signing out (which only ends the sending browser's session).
OPEN = {"/login", "/logout", "/unlock"}  # and a one-time unlock link, which is its own key


def _guarded() -> list[tuple[str, str, tuple[str, ...]]]:
    found = []
    for route in page_routes():
        assert isinstance(route, Route)
        if route.path in OPEN:
            continue
        path = "/staff" + route.path.replace("{pack_id}", "demo").replace("{broadcast_id}", "1").replace(
            "{question_id}", "overall"
        ).replace("{rest:path}", "nothing")  # the not-found pages for a path with a slash on the end
        for method in sorted(route.methods - {"HEAD"}):
            found.append((method, "/staff" if path == "/staff/" else path, route.endpoint.staff_roles))
    return found


GUARDED = _guarded()


def test_every_route_but_sign_in_is_guarded():
    assert len(GUARDED) == len([r for r in page_routes() for m in r.methods - {"HEAD"} if r.path not in OPEN])
    assert all(roles for _, _, roles in GUARDED)


@pytest.mark.parametrize(("method", "path", "roles"), GUARDED, ids=[f"{m} {p}" for m, p, _ in GUARDED])
async def test_without_a_session_every_route_sends_you_to_sign_in(staff_world, method, path, roles):
    response = await staff_world.http.request(method, path, data={"csrf": "x"} if method == "POST" else None)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/staff/login")


async def test_each_role_gets_403_from_routes_it_may_not_use(staff_world):
    for role in STAFF_ROLES:
        client = staff_world.client()
        await staff_world.add(f"{role}@example.org", role)
        assert (await staff_world.sign_in(f"{role}@example.org", client=client)).status_code == 303
        for method, path, roles in GUARDED:
            if role in roles or method != "GET":
                continue
            response = await client.get(path)
            assert response.status_code == 403, (role, path)
            assert "Your role does not include this page" in response.text
        await client.aclose()


async def test_a_post_without_the_sessions_csrf_token_is_refused(staff_world):
    await staff_world.add("a@example.org", "admin")
    await staff_world.sign_in("a@example.org")
    for token in ("", "forged"):
        response = await staff_world.http.post(
            "/staff/comments/tag", data={"csrf": token, "kind": "answer", "id": "1", "theme": "x"}
        )
        assert response.status_code == 400
        assert "out of date" in response.text
    # Another account's token is no good either.
    other = staff_world.client()
    await staff_world.add("b@example.org", "admin")
    await staff_world.sign_in("b@example.org", client=other)
    theirs = (await other.get("/staff")).text
    import re

    their_token = re.search(r'name="csrf" value="([^"]*)"', theirs).group(1)
    response = await staff_world.http.post(
        "/staff/comments/tag", data={"csrf": their_token, "kind": "answer", "id": "1", "theme": "x"}
    )
    assert response.status_code == 400
    await other.aclose()


async def test_a_post_from_another_site_is_refused(staff_world):
    await staff_world.add("a@example.org", "admin")
    await staff_world.sign_in("a@example.org")
    token = await staff_world.csrf()
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        for path in ("/staff/logout", "/staff/comments/tag"):
            response = await staff_world.http.post(path, data={"csrf": token}, headers=headers)
            assert response.status_code == 403
            assert "another site" in response.text


async def test_oversized_and_malformed_forms_get_a_clear_message(staff_world):
    await staff_world.add("a@example.org", "admin")
    await staff_world.sign_in("a@example.org")
    token = await staff_world.csrf()
    big = await staff_world.http.post("/staff/broadcasts/new", data={"csrf": token, "text_en": "x" * 70_000})
    assert big.status_code == 413
    assert "too much to send at once" in big.text
    multipart = await staff_world.http.post("/staff/comments/tag", files={"csrf": ("a", b"b")})
    assert multipart.status_code == 400
    long_theme = await staff_world.post(
        "/staff/comments/tag", {"kind": "answer", "id": "1", "theme": "t" * 61}
    )
    assert long_theme.status_code == 400
    assert "at most 60 characters" in long_theme.text
    bad_kind = await staff_world.post("/staff/comments/tag", {"kind": "person", "id": "1", "theme": "x"})
    assert bad_kind.status_code == 400
    assert "choose one of the options" in bad_kind.text
    long_text = await staff_world.post(
        "/staff/broadcasts/new", {"name": "n", "text_en": "word " * 200, "audience": "updates", "when": "now",
                                  "action": "send"},
    )
    assert long_text.status_code == 400
    assert "use at most 640 characters" in long_text.text


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=3000))
async def test_the_form_reader_never_crashes_on_any_body(body):
    from starlette.requests import Request

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    scope = {
        "type": "http", "method": "POST", "path": "/", "query_string": b"",
        "headers": [(b"content-type", b"application/x-www-form-urlencoded")],
    }
    try:
        form = await read_form(Request(scope, receive))
    except FormRefused as refused:
        assert refused.status in (400, 413)
    else:
        assert all("\x00" not in key for key in form)


@given(st.text(max_size=200))
def test_where_to_go_after_a_form_is_always_inside_the_console(value):
    from urllib.parse import urljoin, urlsplit

    from bot.web.staff.auth import safe_next

    target = safe_next(value)
    resolved = urlsplit(urljoin("https://said.example.org/staff/comments", target))
    assert resolved.netloc == "said.example.org"
    assert resolved.path == "/staff" or resolved.path.startswith("/staff/")
    assert ".." not in resolved.path
