"""The staff console's routes, all under `/staff`.

    routes = staff_routes(console)                       # in bot/app/wiring.py
    routes = staff_routes(console, extra=[Route("/alerts", alerts)])   # another feature's pages

Every page but sign-in is guarded by `requires_role`; `extra` routes are mounted inside `/staff` too, so
they get `console_of(request)`, the layout and the same checks.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.web.staff import admin_pages, broadcast_pages, comments_pages, results_pages, signin, unlock
from bot.web.staff.auth import SCOPE_KEY
from bot.web.staff.console import StaffConsole
from bot.web.staff.pages import STATIC
from bot.web.staff.slashes import slash_not_found


class _WithConsole:
    """Puts the console in every staff request's scope, where `console_of(request)` finds it."""

    def __init__(self, app: ASGIApp, console: StaffConsole) -> None:
        self.app = app
        self.console = console

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope[SCOPE_KEY] = self.console
        await self.app(scope, receive, send)


def page_routes() -> list[BaseRoute]:
    return [
        Route("/", results_pages.home, methods=["GET"]),
        Route("/login", signin.login_form, methods=["GET"]),
        Route("/login", signin.login, methods=["POST"]),
        Route("/logout", signin.logout, methods=["POST"]),
        Route("/unlock", unlock.unlock_form, methods=["GET"]),
        Route("/unlock", unlock.unlock, methods=["POST"]),
        Route("/password", signin.password_form, methods=["GET"]),
        Route("/password", signin.change_password, methods=["POST"]),
        Route("/results/{pack_id}", results_pages.results, methods=["GET"]),
        Route("/results/{pack_id}/trend/{question_id}", results_pages.trend, methods=["GET"]),
        Route("/results/{pack_id}/compare", results_pages.comparison, methods=["GET"]),
        Route("/results/{pack_id}/written/{question_id}", results_pages.written, methods=["GET"]),
        Route("/results/{pack_id}/export.csv", results_pages.export_csv, methods=["GET"]),
        Route("/results/{pack_id}/export.xlsx", results_pages.export_xlsx, methods=["GET"]),
        Route("/comments", comments_pages.comments, methods=["GET"]),
        Route("/messages", comments_pages.messages, methods=["GET"]),
        Route("/comments/tag", comments_pages.tag, methods=["POST"]),
        Route("/comments/untag", comments_pages.untag, methods=["POST"]),
        Route("/broadcasts", broadcast_pages.broadcasts, methods=["GET"]),
        Route("/broadcasts/new", broadcast_pages.new_form, methods=["GET"]),
        Route("/broadcasts/new", broadcast_pages.create, methods=["POST"]),
        Route("/broadcasts/check", broadcast_pages.check, methods=["POST"]),
        Route("/broadcasts/{broadcast_id}", broadcast_pages.detail, methods=["GET"]),
        Route("/broadcasts/{broadcast_id}/edit", broadcast_pages.edit_form, methods=["GET"]),
        Route("/broadcasts/{broadcast_id}/edit", broadcast_pages.edit, methods=["POST"]),
        Route("/broadcasts/{broadcast_id}/cancel", broadcast_pages.cancel, methods=["POST"]),
        Route("/broadcasts/{broadcast_id}/stop", broadcast_pages.stop, methods=["POST"]),
        Route("/audit", admin_pages.audit, methods=["GET"]),
        Route("/accounts", admin_pages.accounts, methods=["GET"]),
        Route("/accounts", admin_pages.add_account, methods=["POST"]),
        Route("/accounts/active", admin_pages.set_active, methods=["POST"]),
        Route("/accounts/unlock", unlock.admin_unlock, methods=["POST"]),
        # `/results/demo/`, `/broadcasts/1%2F`: the not-found page, not a redirect (see slashes.py).
        slash_not_found("/results/{pack_id}/trend", "There is no such question to show over time."),
        slash_not_found("/results", "There is no question pack with that name."),
        slash_not_found("/broadcasts", "There is no broadcast with that number.", *broadcast_pages.SENDERS),
    ]


def staff_routes(console: StaffConsole, *, extra: Sequence[BaseRoute] = ()) -> list[BaseRoute]:
    async def console_home(request: Request) -> Response:
        # `/staff` itself (the console's published address) sits outside the mount, which matches `/staff/...`.
        request.scope[SCOPE_KEY] = console
        return await results_pages.home(request)

    return [
        Route("/staff", console_home, methods=["GET"]),
        Mount(
            "/staff",
            routes=[
                *page_routes(),
                *extra,
                Mount("/static", app=StaticFiles(directory=str(STATIC)), name="staff-static"),
            ],
            middleware=[Middleware(_WithConsole, console=console)],
        )
    ]
