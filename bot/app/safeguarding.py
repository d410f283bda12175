"""Putting safeguarding into the running service (for bot/app/wiring.py).

    safeguarding = build_safeguarding(settings, parts)          # after build_parts
    # lifespan:  asyncio.create_task(safeguarding.notifier.run_on_kick())
    #            scheduler.add_job(safeguarding.notifier.tick, "interval", seconds=30, ...)   # a backstop
    # console:   install(console); staff_routes(console, extra=safeguarding.staff_routes())

It connects the service to the notifier (kicked once an alert is committed) and the notifier to the
dispatcher (kicked once duty messages are queued), so a duty phone hears within seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from starlette.routing import BaseRoute

from bot.app.settings import Settings
from bot.safeguarding.duty import DutyConfig, DutySettings
from bot.safeguarding.loading import Safeguarding
from bot.safeguarding.mail import SmtpMailer
from bot.safeguarding.notify import AlertNotifier
from storage.privacy.vault import Keys
from storage.safeguarding.store import SafeguardingStore, utc_now

if TYPE_CHECKING:
    from bot.app.wiring import Parts


@dataclass
class SafeguardingParts:
    store: SafeguardingStore
    notifier: AlertNotifier
    duty: DutyConfig
    safeguarding: Safeguarding

    def staff_routes(self) -> list[BaseRoute]:
        from bot.web.staff.safeguarding.routes import safeguarding_routes

        return safeguarding_routes(self.store, self.safeguarding.detector)


def build_safeguarding(
    settings: Settings,
    parts: Parts,
    *,
    duty: DutySettings | None = None,
    clock: Callable[[], datetime] | None = None,
) -> SafeguardingParts:
    """Raises ValueError (naming the setting) when the duty contacts are set up wrong."""
    store = SafeguardingStore(parts.database, Keys.from_secret(settings.secret()), clock=clock or utc_now)
    config = DutyConfig.from_settings(duty or DutySettings(public_url=settings.public_url))
    notifier = AlertNotifier(store, parts.store, config, SmtpMailer(config.smtp) if config.smtp else None)
    notifier.on_messages_queued = parts.dispatcher.kick
    notifier.on_tick = parts.metrics.notified
    parts.service.on_alert_raised = notifier.kick
    return SafeguardingParts(store, notifier, config, parts.service.prompts.safeguarding)
