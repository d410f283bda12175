"""Everything the staff console needs, made once at start-up and handed to every staff route.

    console = build_console(settings, database, prompts.library, planner)
    routes = staff_routes(console)            # bot.web.staff.routes
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.content.packs.library import PackLibrary
from bot.delivery.broadcasts import BroadcastPlanner
from bot.hours import WeeklyHours
from bot.web.staff.pages import Pages
from bot.web.staff.passwords import Passwords
from storage.staff.store import StaffStore


@dataclass
class Lockout:
    """After `per_account` failures for one email (or `per_address` from one address) within `window`,
    sign-in is refused for that email (or address) until the window has passed."""

    per_account: int = 5
    per_address: int = 20
    window: timedelta = timedelta(minutes=15)


@dataclass
class StaffConsole:
    store: StaffStore
    passwords: Passwords
    packs: PackLibrary
    planner: BroadcastPlanner
    pages: Pages
    zone: ZoneInfo
    office_hours: WeeklyHours
    threshold: int
    secret: bytes  # keys CSRF tokens and the lockout's hashed emails and addresses
    secure_cookies: bool
    lockout: Lockout
    session_idle: timedelta = timedelta(minutes=30)
    session_lifetime: timedelta = timedelta(hours=12)


def build_console(
    *,
    store: StaffStore,
    packs: PackLibrary,
    planner: BroadcastPlanner,
    zone: ZoneInfo,
    office_hours: WeeklyHours,
    threshold: int,
    secret: bytes,
    secure_cookies: bool,
    passwords: Passwords | None = None,
    lockout: Lockout | None = None,
) -> StaffConsole:
    pages = Pages(zone, threshold)
    pages.add_nav("Home", "/staff")
    pages.add_nav("Comments", "/staff/comments")
    pages.add_nav("Messages", "/staff/messages")
    pages.add_nav("Broadcasts", "/staff/broadcasts", roles=("admin", "staff"))
    pages.add_nav("Audit log", "/staff/audit", roles=("admin",))
    pages.add_nav("Accounts", "/staff/accounts", roles=("admin",))
    return StaffConsole(
        store=store,
        passwords=passwords or Passwords(),
        packs=packs,
        planner=planner,
        pages=pages,
        zone=zone,
        office_hours=office_hours,
        threshold=threshold,
        secret=secret,
        secure_cookies=secure_cookies,
        lockout=lockout or Lockout(),
    )
