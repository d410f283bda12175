"""Unlocking sign-in: an admin clears an account's wrong tries, or the person uses a one-time link.

    GET  /staff/unlock?t=TOKEN     a page with one button (a link checker that follows the link uses nothing)
    POST /staff/unlock             uses the link: the account's wrong tries are cleared, this browser becomes
                                   one that has signed in before, and the person is sent to sign in
    POST /staff/accounts/unlock    an admin clears an account's wrong tries

Links come from `said staff unlock EMAIL --link`; they work once, for 24 hours, and only their hash is
stored. Everything is audited.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.web.staff import fields
from bot.web.staff.auth import (
    COOKIE_PATH,
    LOGIN_COOKIE,
    FormRefused,
    actor_of,
    console_of,
    current_staff,
    form_of,
    keyed,
    login_csrf,
    new_token,
    read_form,
    requires_role,
    same_origin,
    same_secret,
)
from bot.web.staff.console import StaffConsole
from bot.web.staff.signin import remember_device
from storage.staff.accounts import normalise_email

LINK_LIFETIME = timedelta(hours=24)
PATH = "/staff/unlock"
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def email_key(console: StaffConsole, email: str) -> str:
    return keyed(console, "email", normalise_email(email))


def unlock_path(token: str) -> str:
    return f"{PATH}?t={quote(token, safe='')}"


def _token(value: str) -> str | None:
    return value if 20 <= len(value) <= 100 and set(value) <= _TOKEN_CHARS else None


def _page(request: Request, *, token: str, cookie: str, error: str = "", status: int = 200) -> Response:
    console = console_of(request)
    response = console.pages.render(
        request, "unlock.html", status=status, token=token, login_csrf=login_csrf(console, cookie), error=error
    )
    response.set_cookie(
        LOGIN_COOKIE, cookie, httponly=True, samesite="strict", secure=console.secure_cookies, path=COOKIE_PATH
    )
    return response


async def unlock_form(request: Request) -> Response:
    token = _token(request.query_params.get("t", "")) or ""
    cookie = request.cookies.get(LOGIN_COOKIE, "")
    cookie = cookie if 20 <= len(cookie) <= 100 else new_token()
    if not token:
        return _page(request, token="", cookie=cookie, status=400,
                     error="This link is not complete. Copy the whole link, or ask an admin for a new one.")
    return _page(request, token=token, cookie=cookie)


async def unlock(request: Request) -> Response:
    console = console_of(request)
    if not same_origin(request):
        return console.pages.refused(request, 403, "This form was sent from another site.")
    try:
        form = await read_form(request)
    except FormRefused as refused:
        return console.pages.refused(request, refused.status, refused.message)
    cookie = request.cookies.get(LOGIN_COOKIE, "")
    token = _token(str(form.get("t", ""))) or ""
    if not cookie or not same_secret(str(form.get("csrf", "")), login_csrf(console, cookie)):
        return _page(request, token=token, cookie=new_token(), status=400,
                     error="The page had timed out. Please press the button again.")
    member = await console.store.use_unlock_link(token, lambda email: email_key(console, email)) if token else None
    if member is None:
        return _page(request, token="", cookie=cookie, status=400,
                     error="This link has been used already, or is too old. Ask an admin for a new one.")
    response = RedirectResponse("/staff/login?unlocked=1", status_code=303)
    remember_device(response, console, email_key(console, member.email))
    return response


@requires_role("admin")
async def admin_unlock(request: Request) -> Response:
    console = console_of(request)
    member = await current_staff(request)
    assert member is not None
    try:
        staff_id = fields.number(form_of(request), "id", label="Account", low=1, high=2**62)
    except fields.FieldProblem as problem:
        return console.pages.refused(request, 400, problem.message)
    target = await console.store.account(staff_id)
    if target is None:
        return console.pages.refused(request, 404, "There is no account with that number.")
    await console.store.unlock(target, email_key(console, target.email), actor=actor_of(member))
    return RedirectResponse("/staff/accounts?done=unlocked", status_code=303)
