"""Signing in and out, and changing a password.

The sign-in answer never says whether an account exists: a wrong email and a wrong password get the same
words and take the same time (the password is checked against a decoy hash), and the slowing-down counts
tries per typed email whether or not it is an account, and per client address.

Guessing is slowed, not turned into a lockout anyone can cause (see `Lockout`): each try is counted as a
failure before its password is checked, so tries sent together cannot all slip through; past a few free
tries each further one waits 2 s, 4 s, 8 s … up to 5 minutes; a browser that signed in to the account
before is judged only by its own tries. An admin (or the account's one-time unlock link) clears the count.
"""

from __future__ import annotations

import contextlib
import math
from datetime import datetime, timedelta

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.web.ratelimit import client_address
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
    same_secret,
    session_token,
)
from bot.web.staff.console import StaffConsole
from bot.web.staff.passwords import MAX_LENGTH, PasswordRejected, check_new_password
from storage.staff.accounts import MAX_EMAIL, normalise_email

WRONG = "The email or password is not right. Check them and try again."
BUSY = "We are still checking your last try. Please wait a few seconds, then try again."
# A browser that has signed in to an account: its own failures count, not anyone else's.
DEVICE_COOKIE = "said_staff_device"
DEVICE_PREFIX = "device:"
DEVICE_MAX_AGE = 365 * 24 * 3600


def _login_page(
    request: Request, *, cookie: str, error: str = "", email: str = "", status: int = 200, retry_after: int = 0
) -> Response:
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
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
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
    if not same_secret(sent, login_csrf(console, cookie)) or LOGIN_COOKIE not in request.cookies:
        return _login_page(request, cookie=cookie, error="The page had timed out. Please try again.", status=400)
    email = str(form.get("email", "")).strip()
    password = str(form.get("password", ""))
    if not email or not password:
        return _login_page(request, cookie=cookie, error="Type your email and your password.", email=email[:MAX_EMAIL],
                           status=400)
    if len(email) > MAX_EMAIL or len(password) > MAX_LENGTH:
        return _login_page(request, cookie=cookie, error=WRONG, status=400)
    email_key = keyed(console, "email", normalise_email(email))
    device = known_device(request, console, email_key)
    source_key = device or keyed(console, "ip", client_address(request.scope) or "unknown")
    in_flight = console.checking.get(email_key, 0)
    if in_flight >= console.lockout.concurrent_checks:
        # Many tries for one account at the same moment: a person types one password at a time.
        return _login_page(request, cookie=cookie, error=BUSY, email=email, status=429, retry_after=5)
    console.checking[email_key] = in_flight + 1
    try:
        attempt = await console.store.begin_sign_in(email_key, source_key)
        wait = await _wait(request, console, attempt, email_key, source_key, known=device is not None)
        if wait > timedelta(0):
            await console.store.drop_attempt(attempt)  # refused unchecked: not a failure, and waiting helps
            return _login_page(request, cookie=cookie, error=_locked(wait), email=email, status=429,
                               retry_after=math.ceil(wait.total_seconds()))
        member = await console.store.account_by_email(email)
        usable = member if member is not None and member.active else None
        if not await console.passwords.verify(usable.password_hash if usable else None, password):
            await console.store.failed_sign_in(known=member)
            return _login_page(request, cookie=cookie, error=WRONG, email=email, status=400)
    finally:
        left = console.checking.get(email_key, 1) - 1
        if left > 0:
            console.checking[email_key] = left
        else:
            console.checking.pop(email_key, None)
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
    remember_device(response, console, email_key)
    return response


async def _wait(
    request: Request, console: StaffConsole, attempt: int, email_key: str, source_key: str, *, known: bool
) -> timedelta:
    """How much longer this try must wait (zero: check the password). A known browser is judged by its own
    failures only; any other by the account's failures from unknown browsers and by its address's."""
    lockout, store, now = console.lockout, console.store, console.store.now()
    checks: list[tuple[int, datetime | None, int]] = []
    if known:
        checks.append((*await store.failures_before(attempt, window=lockout.window, ip_key=source_key),
                       lockout.per_device))
    else:
        checks.append((*await store.failures_before(attempt, window=lockout.window, email_key=email_key,
                                                    not_ip_prefix=DEVICE_PREFIX), lockout.per_account))
        if client_address(request.scope) is not None:
            checks.append((*await store.failures_before(attempt, window=lockout.window, ip_key=source_key),
                           lockout.per_address))
    longest = timedelta(0)
    for failures, latest, free in checks:
        if latest is not None:
            longest = max(longest, latest + lockout.wait(failures, free) - now)
    return longest


def _locked(wait: timedelta) -> str:
    seconds = math.ceil(wait.total_seconds())
    when = f"{seconds} seconds" if seconds < 120 else f"{math.ceil(seconds / 60)} minutes"
    return (
        f"Too many wrong tries. For your safety, please wait {when}, then try again. On a computer you have "
        "signed in from before, you can try again now. An admin can also unlock your account."
    )


def known_device(request: Request, console: StaffConsole, email_key: str) -> str | None:
    """This browser's key if it has signed in to this account before (its cookie says so), else None."""
    value = request.cookies.get(DEVICE_COOKIE, "")
    device_id, _, mac = value.partition(".")
    if not device_id or len(value) > 100:
        return None
    if not same_secret(mac, keyed(console, "device-cookie", f"{email_key}:{device_id}")[:32]):
        return None
    return DEVICE_PREFIX + keyed(console, "device", device_id)[: 64 - len(DEVICE_PREFIX)]


def remember_device(response: Response, console: StaffConsole, email_key: str) -> None:
    device_id = new_token()[:22]
    mac = keyed(console, "device-cookie", f"{email_key}:{device_id}")[:32]
    response.set_cookie(
        DEVICE_COOKIE, f"{device_id}.{mac}", max_age=DEVICE_MAX_AGE, httponly=True, samesite="strict",
        secure=console.secure_cookies, path=COOKIE_PATH,
    )


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
