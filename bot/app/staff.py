"""Building the staff console from settings, for bot/app/wiring.py and the command line.

    console = build_staff(settings, parts.database, parts.service.prompts,
                          channels=parts.senders, on_planned=parts.dispatcher.kick, clock=clock)
    routes = staff_routes(console)                               # bot.web.staff.routes
    scheduler tick: console.planner.plan_due_broadcasts
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Collection
from datetime import datetime

from bot.app.service import Prompts
from bot.app.settings import Settings
from bot.delivery.broadcasts import BroadcastPlanner
from bot.hours import WeeklyHours
from bot.web.staff.console import StaffConsole, build_console
from bot.web.staff.passwords import Passwords
from storage.db import Database
from storage.staff.store import StaffStore, utc_now

DEFAULT_DAILY_CAP = 2
DEFAULT_SEGMENT_PRICE = 0.04  # pounds for one SMS segment to a UK number, roughly what Twilio charges


def build_staff(
    settings: Settings,
    database: Database,
    prompts: Prompts,
    *,
    channels: Collection[str],
    on_planned: Callable[[], None] | None = None,
    clock: Callable[[], datetime] | None = None,
    passwords: Passwords | None = None,
) -> StaffConsole:
    store = StaffStore(database, clock=clock or utc_now)
    zone = settings.zone
    planner = BroadcastPlanner(
        store,
        packs=prompts.library,
        texts=prompts.texts,
        symbols=prompts.symbols,
        channels=channels,
        zone=zone,
        # Settings the lead adds to bot/app/settings.py (SAID_DAILY_MESSAGE_CAP, SAID_SMS_SEGMENT_PRICE).
        daily_cap=int(getattr(settings, "daily_message_cap", DEFAULT_DAILY_CAP)),
        sms_plain=settings.sms_plain_text,
        price_per_segment=float(getattr(settings, "sms_segment_price", DEFAULT_SEGMENT_PRICE)),
        on_planned=on_planned,
    )
    secret = hmac.new(settings.secret().encode(), b"staff-console", hashlib.sha256).digest()
    return build_console(
        store=store,
        packs=prompts.library,
        planner=planner,
        zone=zone,
        office_hours=WeeklyHours.parse(settings.office_hours, zone),
        threshold=settings.small_number_threshold,
        secret=secret,
        secure_cookies=settings.secure_cookies,
        passwords=passwords,
        public_url=settings.public_url,
    )
