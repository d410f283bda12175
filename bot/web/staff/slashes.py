"""A 404 for a staff address that takes a name or number, written with a slash on the end.

    Route("/broadcasts/{broadcast_id}", detail),
    slash_not_found("/broadcasts", "There is no broadcast with that number.", *SENDERS),

No staff page ends in a slash, so `/staff/broadcasts/1/` (or `/staff/broadcasts/1%2F`, which Starlette
decodes to the same path) matched nothing, and Starlette answered with a 307 to `/staff/broadcasts/1`.
The route made here takes every path under `prefix` that ends in a slash and answers with the same page
the family gives an unknown name, after the same sign-in and role check. It matches only paths ending
in a slash, so it never stands in front of a real page or turns a 405 into a 404; `/staff/broadcasts/`
itself (the list with a slash) still goes to the list.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.web.staff.auth import console_of, requires_role


def slash_not_found(prefix: str, message: str, *roles: str) -> Route:
    @requires_role(*roles)
    async def not_found(request: Request) -> Response:
        return console_of(request).pages.refused(request, 404, message)

    return Route(f"{prefix}/{{rest:path}}/", not_found, methods=["GET", "POST"])
