"""Building the "You said, we did" service from settings and the running parts, for bot/app/wiring.py and the CLI.

    loop = build_loop(settings, parts, clock=clock)
    routes = public_routes(loop)                          # bot.web.public.routes: /you-said-we-did
    extra = loop_staff_routes(console, loop)               # bot.web.staff.loop.routes: inside /staff
    scheduler tick: loop.tick (check-ins), every minute
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from bot.app.settings import Settings
from bot.hours import QuietHours, WeeklyHours
from bot.loop.compose import Composer
from bot.loop.loop import Loop
from storage.loop.store import LoopStore, utc_now

if TYPE_CHECKING:
    from bot.app.wiring import Parts


def build_loop(settings: Settings, parts: Parts, *, clock: Callable[[], datetime] | None = None) -> Loop:
    """Its database, prompts (through the service), senders' rates and dispatcher are the running service's."""
    prompts = parts.service.prompts
    senders = parts.senders
    store = LoopStore(parts.database, clock=clock or utc_now)
    return Loop(
        store=store,
        composer=Composer(prompts.loop_words, prompts.texts, prompts.symbols, prompts.library),
        packs=prompts.library,
        symbols=prompts.symbols,
        quiet=QuietHours.parse(settings.quiet_hours, settings.zone),
        office_hours=WeeklyHours.parse(settings.office_hours, settings.zone),
        zone=settings.zone,
        rates={name: getattr(sender, "rate_per_second", None) for name, sender in senders.items()},
        threshold=settings.small_number_threshold,
        on_planned=parts.dispatcher.kick,
    )
