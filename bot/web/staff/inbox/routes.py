"""Putting the inbox into the staff console."""

from __future__ import annotations

from pathlib import Path

from bot.web.staff.console import StaffConsole

TEMPLATES = Path(__file__).resolve().parent / "templates"


def install(console: StaffConsole) -> None:
    """Templates and the menu link (every staff role reads and answers cases)."""
    console.pages.add_templates(TEMPLATES)
    console.pages.add_nav("Inbox", "/staff/inbox")
