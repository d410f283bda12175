"""Signing in and out, and changing a password.

The sign-in answer never says whether an account exists: a wrong email and a wrong password get the same
words and take the same time (the password is checked against a decoy hash), and lockout counts tries per
typed email whether or not it is an account, and per client address.
"""

from __future__ import annotations

import contextlib
import hmac

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.web.staff.auth import (
    COOKIE,
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
    safe_next,
    same_origin,
    session_token,
)
from bot.web.staff.passwords import MAX_LENGTH, PasswordRejected, check_new_password
from storage.staff.accounts import MAX_EMAIL, normalise_email

WRONG = "The email or password is not right. Check them and try again."
LOCKED = "Too many tries. For your safety, please wait 15 minutes before you try again."


def _login_page(request: Request, *, cookie: str, error: str = "", email: str = "", status: int = 200) -> Response:
    console = console_of(request)
    response = console.pages.render(
        request,
        "login.html",
        status=status,
        login_csrf=login_csrf(console, cookie),
        error=error,
        email=email,
        next=safe_next(request.query_params.get("next")),
    )
    response.set_cookie(
        LOGIN_COOKIE, cookie, httponly=True, samesite="strict", secure=console.secure_cookies, path=COOKIE_PATH
    )
    return response


def _login_cookie(request: Request) -> str:
    value = request.cookies.get(LOGIN_COOKIE, "")
    return value if 20 <= len(value) <= 100 else new_token()


async def login_form(request: Request) -> Response:
    if await current_staff(request) is not None:
        return RedirectResponse("/staff", status_code=303)
    return _login_page(request, cookie=_login_cookie(request))


async def login(request: Request) -> Response:
    console = console_of(request)
    cookie = _login_cookie(request)
    if not same_origin(request):
        return console.pages.refused(request, 403, "This form was sent from another site.")
    try:
        form = await read_form(request)
    except FormRefused as refused:
        return console.pages.refused(request, refused.status, refused.message)
    sent = str(form.get("csrf", ""))
    if not hmac.compare_digest(sent, login_csrf(console, cookie)) or LOGIN_COOKIE not in request.cookies:
        return _login_page(request, cookie=cookie, error="The page had timed out. Please try again.", status=400)
    email = str(form.get("email", "")).strip()
    password = str(form.get("password", ""))
    if not email or not password:
        return _login_page(request, cookie=cookie, error="Type your email and your password.", email=email[:MAX_EMAIL],
                           status=400)
    if len(email) > MAX_EMAIL or len(password) > MAX_LENGTH:
        return _login_page(request, cookie=cookie, error=WRONG, status=400)
    email_key = keyed(console, "email", normalise_email(email))
    ip_key = keyed(console, "ip", request.client.host if request.client else "unknown")
    by_email, by_ip = await console.store.recent_failures(email_key, ip_key, window=console.lockout.window)
    if by_email >= console.lockout.per_account or by_ip >= console.lockout.per_address:
        return _login_page(request, cookie=cookie, error=LOCKED, email=email, status=429)
    member = await console.store.account_by_email(email)
    usable = member if member is not None and member.active else None
    if not await console.passwords.verify(usable.password_hash if usable else None, password):
        await console.store.failed_sign_in(email_key, ip_key, known=member)
        return _login_page(request, cookie=cookie, error=WRONG, email=email, status=400)
    assert usable is not None
    if console.passwords.needs_rehash(usable.password_hash):
        fresh = await console.passwords.hash(password)
        await console.store.change_password(
            usable, fresh, must_change=usable.must_change_password, keep_token=None, actor=actor_of(usable)
        )
    token = new_token()
    await console.store.sign_in(usable, token, lifetime=console.session_lifetime, email_key=email_key)
    target = "/staff/password" if usable.must_change_password else safe_next(str(form.get("next", "")))
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        COOKIE, token, httponly=True, samesite="strict", secure=console.secure_cookies, path=COOKIE_PATH
    )
    response.delete_cookie(LOGIN_COOKIE, path=COOKIE_PATH)
    return response


async def logout(request: Request) -> Response:
    """Signing out always works: with a one-time password not yet changed, from a page that has gone
    stale, or after the session has already ended. It needs no CSRF token because it can only end the
    session of the browser that sends it: the session cookie is SameSite=Strict, so a post from another
    site arrives without it and ends nothing; other sites are refused outright when the browser says so."""
    console = console_of(request)
    if not same_origin(request):
        return console.pages.refused(request, 403, "This form was sent from another site.")
    # Read (capped like every other body) only to drain it; a sign-out is never refused for its form.
    with contextlib.suppress(FormRefused):
        await read_form(request)
    token = session_token(request)
    member = await current_staff(request)  # None when the session had already ended (and is gone)
    if token is not None and member is not None:
        await console.store.sign_out(token, actor_of(member))
    response = RedirectResponse("/staff/login", status_code=303)
    response.delete_cookie(COOKIE, path=COOKIE_PATH)
    return response


@requires_role()
async def password_form(request: Request) -> Response:
    return console_of(request).pages.render(request, "password.html", errors=[])


@requires_role()
async def change_password(request: Request) -> Response:
    console = console_of(request)
    member = await current_staff(request)
    assert member is not None
    form = form_of(request)
    current = str(form.get("current", ""))
    new = str(form.get("new", ""))
    again = str(form.get("again", ""))
    errors: list[str] = []
    if len(current) > MAX_LENGTH or not await console.passwords.verify(member.password_hash, current):
        errors.append("Your current password is not right.")
    try:
        check_new_password(new, email=member.email)
    except PasswordRejected as rejected:
        errors.append(f"New password: {rejected}")
    if new != again:
        errors.append("The two new passwords are not the same.")
    if new and new == current:
        errors.append("Choose a new password that is not the same as the old one.")
    if errors:
        return console.pages.render(request, "password.html", errors=errors, status=400)
    hashed = await console.passwords.hash(new)
    await console.store.change_password(
        member, hashed, must_change=False, keep_token=session_token(request), actor=actor_of(member)
    )
    return RedirectResponse("/staff?done=password", status_code=303)
