"""Putting the safeguarding pages into the staff console."""

from __future__ import annotations

from pathlib import Path

from starlette.routing import BaseRoute

from bot.safeguarding.detect import Detector
from bot.web.staff.console import StaffConsole
from bot.web.staff.safeguarding.pages import LEAD, SafeguardingPages
from storage.safeguarding.store import SafeguardingStore

TEMPLATES = Path(__file__).resolve().parent / "templates"


def install(console: StaffConsole) -> None:
    """Templates and menu links (a lead sees Alerts and Reveals; an admin sees Reveals)."""
    console.pages.add_templates(TEMPLATES)
    console.pages.add_nav("Alerts", "/staff/safeguarding/alerts", roles=(LEAD,))
    console.pages.add_nav("Reveals", "/staff/safeguarding/reveals", roles=("admin", LEAD))


def safeguarding_routes(store: SafeguardingStore, detector: Detector) -> list[BaseRoute]:
    """Routes for `staff_routes(console, extra=...)`; they live under /staff."""
    return SafeguardingPages(store, detector).routes()
