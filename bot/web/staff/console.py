"""Everything the staff console needs, made once at start-up and handed to every staff route.

    console = build_console(settings, database, prompts.library, planner)
    routes = staff_routes(console)            # bot.web.staff.routes
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.content.packs.library import PackLibrary
from bot.delivery.broadcasts import BroadcastPlanner
from bot.hours import WeeklyHours
from bot.web.staff.pages import Pages
from bot.web.staff.passwords import Passwords
from storage.staff.records import Actor, StaffMember
from storage.staff.store import StaffStore


@dataclass
class Lockout:
    """Sign-in slows down guessing without locking the right person out.

    Failures are counted over `window` for the typed email from browsers not known to it, for the client
    address, and for a known browser (one that signed in to that account before, by its cookie). Past the
    free tries (`per_account`, `per_address`, `per_device`) each further try must wait after the last
    failure: 2 s, 4 s, 8 s … up to `longest_wait`. A try during the wait is refused without checking the
    password and without counting, so waiting always helps. A known browser is judged only by its own
    failures, so nobody elsewhere can lock a colleague out of the browser they use. At most
    `concurrent_checks` passwords of one account are checked at once in this process.
    """

    per_account: int = 5
    per_address: int = 20
    per_device: int = 10
    window: timedelta = timedelta(hours=24)
    longest_wait: timedelta = timedelta(minutes=5)
    concurrent_checks: int = 2

    def wait(self, failures: int, free: int) -> timedelta:
        """How long after the last failure the next try must wait, `failures` failures in."""
        if failures < free:
            return timedelta(0)
        seconds = 2.0 ** min(failures - free + 1, 20)
        return min(timedelta(seconds=seconds), self.longest_wait)


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
    public_url: str = "http://127.0.0.1:8000"  # for links printed for people, such as a one-time unlock link
    session_idle: timedelta = timedelta(minutes=30)
    session_lifetime: timedelta = timedelta(hours=12)
    # Called after a safeguarding lead account is made (new lead, who made it), to tell the other leads.
    on_lead_added: Callable[[StaffMember, Actor], Awaitable[None]] | None = None
    # Sign-in password checks running now, per hashed email (capped by `lockout.concurrent_checks`).
    checking: dict[str, int] = field(default_factory=dict)


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
    public_url: str = "http://127.0.0.1:8000",
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
        public_url=public_url,
    )
