"""Rendering staff pages: one Jinja environment (autoescaped), the shared layout and its navigation.

Other features add their own templates folder and nav links:

    console.pages.add_templates(Path(__file__).parent / "templates")
    console.pages.add_nav("Alerts", "/staff/alerts", roles=("safeguarding_lead", "admin"))

and render with `console.pages.render(request, "alerts.html", alerts=...)`, extending "base.html".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from bot.web.staff.auth import EVERYONE, THEME_EDITORS, csrf_token
from bot.web.staff.numbers import count_words, percent_words, row_words

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"
NO_STORE = {"Cache-Control": "no-store"}  # results and comments must not linger in a shared computer's cache


@dataclass(frozen=True, slots=True)
class NavLink:
    label: str
    href: str
    roles: tuple[str, ...]


class Pages:
    def __init__(self, zone: ZoneInfo, threshold: int) -> None:
        self._folders: list[Path] = [TEMPLATES]
        self.env = Environment(
            loader=ChoiceLoader([FileSystemLoader(str(TEMPLATES))]),
            autoescape=select_autoescape(["html", "xml"], default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.zone = zone
        self.threshold = threshold
        self.nav: list[NavLink] = []
        self.env.globals.update(
            local_time=self.local_time,
            count_words=lambda figure: count_words(figure, threshold),
            percent_words=percent_words,
            row_words=row_words,
            threshold=threshold,
        )

    def add_templates(self, folder: Path) -> None:
        """Let `render` find another feature's templates (they may extend "base.html")."""
        self._folders.append(Path(folder))
        self.env.loader = ChoiceLoader([FileSystemLoader(str(f)) for f in self._folders])

    def add_nav(self, label: str, href: str, *, roles: Iterable[str] = EVERYONE) -> None:
        self.nav.append(NavLink(label, href, tuple(roles)))

    def local_time(self, moment: datetime | None, fmt: str = "%a %d %b %Y, %H:%M") -> str:
        return "" if moment is None else moment.astimezone(self.zone).strftime(fmt)

    def render(self, request: Request, template: str, *, status: int = 200, **context: Any) -> Response:
        member = getattr(request.state, "staff", None)
        links = [link for link in self.nav if member is not None and member.role in link.roles]
        html = self.env.get_template(template).render(
            request=request,
            member=member,
            nav=links,
            here=request.url.path,
            csrf=csrf_token(request) if member is not None else "",
            edits_themes=member is not None and member.role in THEME_EDITORS,
            **context,
        )
        return HTMLResponse(html, status_code=status, headers=NO_STORE)

    def refused(self, request: Request, status: int, message: str) -> Response:
        return self.render(request, "refused.html", status=status, message=message, status_code=status)
