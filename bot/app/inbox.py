"""Putting the inbox into the running service (for bot/app/wiring.py).

    inbox = build_inbox(settings, parts, console)          # after build_parts and build_staff
    staff_routes(console, extra=[*inbox.routes(), ...])

A staff reply is an outbox row like any other: the dispatcher is kicked so one allowed now goes at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from starlette.routing import BaseRoute

from bot.app.settings import Settings
from bot.hours import QuietHours, WeeklyHours
from bot.inbox.canned import CannedReplies
from bot.inbox.compose import ReplyComposer
from bot.inbox.notify import CaseNotifier
from bot.safeguarding.mail import SmtpMailer
from bot.web.staff.console import StaffConsole
from bot.web.staff.inbox.pages import InboxPages
from bot.web.staff.inbox.routes import install
from storage.cases.store import CaseStore, utc_now
from storage.privacy.vault import Keys

if TYPE_CHECKING:
    from bot.app.safeguarding import SafeguardingParts
    from bot.app.wiring import Parts


@dataclass
class InboxParts:
    store: CaseStore
    composer: ReplyComposer
    pages: InboxPages
    notifier: CaseNotifier | None = None  # with SAID_INBOX_DUTY_NOTICES: the scheduler ticks it

    def routes(self) -> list[BaseRoute]:
        return self.pages.routes()


def build_inbox(
    settings: Settings,
    parts: Parts,
    console: StaffConsole,
    *,
    safeguarding: SafeguardingParts | None = None,
    clock: Callable[[], datetime] | None = None,
) -> InboxParts:
    """Raises ValueError naming the file when a deployment's canned replies cannot be read.

    With `safeguarding` (its duty contacts and mailer) and SAID_INBOX_DUTY_NOTICES on, new cases are
    announced to the people on duty."""
    zone = settings.zone
    prompts = parts.service.prompts
    store = CaseStore(parts.database, Keys.from_secret(settings.secret()), clock=clock or utc_now)
    composer = ReplyComposer(
        prompts.texts, prompts.symbols, prompts.library, CannedReplies.load(settings.prompts_dir),
        sms_plain=settings.sms_plain_text, price_per_segment=settings.sms_segment_price,
    )
    pages = InboxPages(
        store, composer, WeeklyHours.parse(settings.office_hours, zone), QuietHours.parse(settings.quiet_hours, zone),
        on_queued=parts.dispatcher.kick,
    )
    install(console)
    notifier = None
    if settings.inbox_duty_notices and safeguarding is not None:
        duty = safeguarding.duty
        notifier = CaseNotifier(store, parts.store, duty, SmtpMailer(duty.smtp) if duty.smtp else None)
        notifier.on_messages_queued = parts.dispatcher.kick
    return InboxParts(store, composer, pages, notifier)
