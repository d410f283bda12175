"""The "You said, we did" console pages, mounted inside `/staff` with the console's sign-in, roles and layout.

    extra = loop_staff_routes(console, loop)             # in bot/app/wiring.py
    routes = staff_routes(console, extra=extra)

Everyone signed in may look; changing themes, actions, invitations and check-ins takes the admin or
staff role (a safeguarding lead reads them). Every change is in the audit log (the store writes it).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.loop.loop import Loop
from bot.web.staff.auth import THEME_EDITORS, requires_role
from bot.web.staff.console import StaffConsole
from bot.web.staff.loop import actions, checkins, involvement, themes
from bot.web.staff.slashes import slash_not_found

TEMPLATES = Path(__file__).resolve().parent / "templates"
CHANGERS = THEME_EDITORS  # the console's one rule for who changes themes
Page = Callable[[Request, Loop], Awaitable[Response]]


def loop_staff_routes(console: StaffConsole, loop: Loop) -> list[BaseRoute]:
    console.pages.add_templates(TEMPLATES)
    console.pages.add_nav("Themes", "/staff/themes")
    console.pages.add_nav("Actions", "/staff/actions")
    console.pages.add_nav("Involvement", "/staff/involvement")
    console.pages.add_nav("Check-ins", "/staff/checkins")

    def page(work: Page, *roles: str) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            return await work(request, loop)

        endpoint.__name__ = work.__name__
        return requires_role(*roles)(endpoint)

    def get(path: str, work: Page) -> Route:
        return Route(path, page(work), methods=["GET"])

    def post(path: str, work: Page) -> Route:
        return Route(path, page(work, *CHANGERS), methods=["POST"])

    return [
        get("/themes", themes.listing),
        post("/themes", themes.create),
        post("/themes/adopt", themes.adopt),
        post("/themes/tag", themes.tag),
        post("/themes/{theme_id:int}/edit", themes.edit),
        post("/themes/{theme_id:int}/link", themes.link),
        post("/themes/{theme_id:int}/unlink", themes.unlink),
        get("/actions", actions.listing),
        get("/actions/new", actions.new_form),
        post("/actions/new", actions.create),
        get("/actions/{action_id:int}", actions.detail),
        get("/actions/{action_id:int}/edit", actions.edit_form),
        post("/actions/{action_id:int}/edit", actions.edit),
        post("/actions/{action_id:int}/publish", actions.publish),
        post("/actions/{action_id:int}/withdraw", actions.withdraw),
        get("/involvement", involvement.listing),
        post("/involvement/invite", involvement.invite),
        get("/checkins", checkins.listing),
        post("/checkins", checkins.save),
        # `/actions/5/`: the not-found page, not a redirect to `/actions/5` (see bot/web/staff/slashes.py).
        slash_not_found("/themes", "That theme is not there any more."),
        slash_not_found("/actions", "That action is not there."),
    ]
