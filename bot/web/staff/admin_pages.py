"""Admin screens: the audit log (who did what, when) and staff accounts."""

from __future__ import annotations

import math

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.web.staff import fields
from bot.web.staff.auth import actor_of, console_of, current_staff, form_of, requires_role
from bot.web.staff.passwords import one_time_password
from storage.staff.accounts import MAX_EMAIL, AccountExists
from storage.staff.tables import STAFF_ROLES

PER_PAGE = 50
ROLE_WORDS = {"admin": "Admin", "staff": "Staff", "safeguarding_lead": "Safeguarding lead"}


@requires_role("admin")
async def audit(request: Request) -> Response:
    console = console_of(request)
    action = request.query_params.get("action", "").strip()[:64] or None
    _, total = await console.store.audit_entries(limit=1, action=action)
    pages = max(1, math.ceil(total / PER_PAGE))
    page = fields.page_number(request.query_params.get("page"), pages=pages)
    entries, total = await console.store.audit_entries(limit=PER_PAGE, offset=(page - 1) * PER_PAGE, action=action)
    return console.pages.render(
        request, "audit.html", entries=entries, total=total, page=page, pages=pages, action=action or ""
    )


async def _accounts_page(request: Request, *, errors: dict[str, str] | None = None, created: tuple[str, str] | None
                         = None, email: str = "", role: str = "staff", status: int = 200) -> Response:
    console = console_of(request)
    return console.pages.render(
        request,
        "accounts.html",
        status=status,
        accounts=await console.store.accounts(),
        roles=ROLE_WORDS,
        errors=errors or {},
        created=created,
        email=email,
        role=role,
    )


@requires_role("admin")
async def accounts(request: Request) -> Response:
    return await _accounts_page(request)


@requires_role("admin")
async def add_account(request: Request) -> Response:
    console = console_of(request)
    member = await current_staff(request)
    assert member is not None
    form = form_of(request)
    errors: dict[str, str] = {}
    email = role = ""
    try:
        email = fields.text(form, "email", label="Email", max_length=MAX_EMAIL)
        if "@" not in email or email.startswith("@") or email.endswith("@") or " " in email:
            raise fields.FieldProblem("email", "Email: this does not look like an email address.")
        role = fields.choice(form, "role", label="Role", allowed=set(STAFF_ROLES))
    except fields.FieldProblem as problem:
        errors[problem.name] = problem.message
    if errors:
        return await _accounts_page(request, errors=errors, email=email, role=role or "staff", status=400)
    password = one_time_password()
    try:
        created = await console.store.create_account(
            email, await console.passwords.hash(password), role, must_change=True, actor=actor_of(member)
        )
    except AccountExists:
        return await _accounts_page(
            request, errors={"email": "Email: there is already an account for this email."}, email=email, role=role,
            status=400,
        )
    if created.role == "safeguarding_lead" and console.on_lead_added is not None:
        await console.on_lead_added(created, actor_of(member))
    # Shown once, on this page only (no redirect, never stored): the new colleague changes it at first sign-in.
    return await _accounts_page(request, created=(email.lower(), password))


@requires_role("admin")
async def set_active(request: Request) -> Response:
    console = console_of(request)
    member = await current_staff(request)
    assert member is not None
    form = form_of(request)
    try:
        staff_id = fields.number(form, "id", label="Account", low=1, high=2**62)
        active = fields.choice(form, "active", label="Change", allowed={"yes", "no"}) == "yes"
    except fields.FieldProblem as problem:
        return console.pages.refused(request, 400, problem.message)
    target = await console.store.account(staff_id)
    if target is None:
        return console.pages.refused(request, 404, "There is no account with that number.")
    if target.id == member.id and not active:
        return console.pages.refused(request, 400, "You cannot turn off your own account.")
    await console.store.set_active(target, active, actor=actor_of(member))
    return RedirectResponse("/staff/accounts", status_code=303)
