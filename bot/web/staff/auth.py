"""Who is signed in, what they may do, and the checks every staff route gets.

    from bot.web.staff.auth import current_staff, requires_role

    @requires_role("safeguarding_lead", "admin")
    async def alerts(request: Request) -> Response:
        member = await current_staff(request)          # never None inside a guarded route
        form = form_of(request)                        # POST: already read, size-checked and CSRF-checked
        ...

A guarded route answers 303 to the sign-in page without a session, 403 with the wrong role, and sends a
person with a one-time password to change it first. Every POST must carry the session's CSRF token in a
`csrf` field, must be a small urlencoded form, and must come from our own pages (Origin and
Sec-Fetch-Site are checked when the browser sends them).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, cast
from urllib.parse import parse_qsl, quote, urlsplit

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from channels.body import BodyTooLarge, read_body
from storage.staff.records import Actor, StaffMember
from storage.staff.tables import STAFF_ROLES

if TYPE_CHECKING:
    from bot.web.staff.console import StaffConsole

Endpoint = Callable[[Request], Awaitable[Response]]

COOKIE = "said_staff"
LOGIN_COOKIE = "said_staff_login"  # ties the sign-in form's CSRF token to this browser
COOKIE_PATH = "/staff"
SCOPE_KEY = "said.staff"
MAX_FORM_BYTES = 64 * 1024
MAX_FIELDS = 200
EVERYONE = STAFF_ROLES
# The one rule for who may change themes: tag and untag comments, and edit themes, actions, invitations and
# check-ins. Everyone signed in may read them; a safeguarding lead reads, and does not change them.
THEME_EDITORS = ("admin", "staff")
CHANGE_PAGE = "/staff/password"
_UNKNOWN = object()


class FormRefused(Exception):
    """A POST that is too big, malformed or forged; `status` and `message` say which, in plain words."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def console_of(request: Request) -> StaffConsole:
    """The staff console serving this request (staff routes run inside its mount)."""
    return request.scope[SCOPE_KEY]


def new_token() -> str:
    return secrets.token_urlsafe(32)


def same_secret(given: str, expected: str) -> bool:
    """Constant-time equality of a sent token and ours. As bytes: compare_digest refuses str with non-ASCII
    characters, and a forged form or cookie may carry any (that would be a 500, not a refusal)."""
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), expected.encode("utf-8"))


def keyed(console: StaffConsole, purpose: str, value: str) -> str:
    return hmac.new(console.secret, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def session_token(request: Request) -> str | None:
    value = request.cookies.get(COOKIE, "")
    return value if 20 <= len(value) <= 100 and value.replace("-", "").replace("_", "").isalnum() else None


async def current_staff(request: Request) -> StaffMember | None:
    """The signed-in, active staff member, or None. Looked up once per request."""
    known = getattr(request.state, "staff", _UNKNOWN)
    if known is not _UNKNOWN:
        return cast("StaffMember | None", known)
    console = console_of(request)
    token = session_token(request)
    member = None
    if token is not None:
        member = await console.store.session_member(token, idle=console.session_idle)
    request.state.staff = member
    return member


def actor_of(member: StaffMember) -> Actor:
    return Actor(member.email, member.id)


def csrf_token(request: Request) -> str:
    """The token every form on a signed-in page carries; bound to the session, so it cannot be reused."""
    console = console_of(request)
    token = session_token(request)
    if token is None:
        return ""
    return keyed(console, "csrf", token)


def login_csrf(console: StaffConsole, login_cookie: str) -> str:
    return keyed(console, "login-csrf", login_cookie)


def form_of(request: Request) -> FormData:
    """The form a guarded POST carried (read and checked by `requires_role`)."""
    return request.state.form


async def read_form(request: Request) -> FormData:
    """Read a small urlencoded form; raises `FormRefused` for anything else."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        raise FormRefused(400, "The form could not be read. Please go back and try again.")
    try:
        body = await read_body(request, limit=MAX_FORM_BYTES)
    except BodyTooLarge:
        raise FormRefused(413, "That was too much to send at once. Please make it shorter.") from None
    try:
        pairs = parse_qsl(
            body.decode("utf-8", errors="strict"), keep_blank_values=True, strict_parsing=False,
            max_num_fields=MAX_FIELDS,
        )
    except (UnicodeDecodeError, ValueError):
        raise FormRefused(400, "The form could not be read. Please go back and try again.") from None
    if any("\x00" in key or "\x00" in value for key, value in pairs):
        raise FormRefused(400, "The form could not be read. Please go back and try again.")
    items: list[tuple[str, str | UploadFile]] = list(pairs)
    return FormData(items)


def same_origin(request: Request) -> bool:
    """False when the browser says the request came from another site."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        # The app sends Referrer-Policy: no-referrer, so browsers send `Origin: null` on our own forms;
        # the CSRF token and SameSite=Strict cookies protect those.
        return True
    return urlsplit(origin).netloc == request.headers.get("host", "")


def requires_role(*roles: str) -> Callable[[Endpoint], Endpoint]:
    """Guard a staff endpoint: a session, one of `roles` (none given: any staff role), and on POST a checked
    form. Admins are not let in implicitly: list "admin" where admins belong."""
    allowed = roles or EVERYONE
    unknown = [role for role in allowed if role not in STAFF_ROLES]
    if unknown:
        raise ValueError(f"unknown role(s) {', '.join(unknown)}; roles are {', '.join(STAFF_ROLES)}")

    def decorate(endpoint: Endpoint) -> Endpoint:
        @functools.wraps(endpoint)
        async def guarded(request: Request) -> Response:
            console = console_of(request)
            member = await current_staff(request)
            if member is None:
                return _to_login(request)
            if member.role not in allowed:
                return console.pages.refused(request, 403, "Your role does not include this page.")
            if member.must_change_password and request.url.path != CHANGE_PAGE:
                return RedirectResponse(CHANGE_PAGE, status_code=303)
            if request.method == "POST":
                if not same_origin(request):
                    return console.pages.refused(request, 403, "This form was sent from another site.")
                try:
                    form = await read_form(request)
                except FormRefused as refused:
                    return console.pages.refused(request, refused.status, refused.message)
                expected = csrf_token(request)
                if not expected or not same_secret(str(form.get("csrf", "")), expected):
                    return console.pages.refused(
                        request, 400, "This form is out of date. Please go back, reload the page and try again."
                    )
                request.state.form = form
            return await endpoint(request)

        guarded.staff_roles = allowed  # type: ignore[attr-defined]  # lets tests list what each route needs
        return guarded

    return decorate


def _to_login(request: Request) -> Response:
    target = request.url.path
    if request.url.query:
        target += "?" + request.url.query
    go = f"/staff/login?next={quote(target, safe='')}" if request.method == "GET" else "/staff/login"
    return RedirectResponse(go, status_code=303)


def safe_next(value: str | None) -> str:
    """Where to go after signing in (or after a form): only a path inside the console, never another site."""
    if not value or any(ord(ch) < 33 for ch in value):
        return "/staff"
    path = value.split("?", 1)[0].split("#", 1)[0]
    # No dot segments or escapes in the path: "/staff/../chat" or "/staff/%2e%2e/" would leave the console.
    if not (path == "/staff" or path.startswith("/staff/")) or ".." in path or "%" in path or "\\" in value:
        return "/staff"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return "/staff"
    return value
