"""The wiring module: the one place that puts storage, engine, channels and scheduler together."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.app import heap
from bot.app.inbox import InboxParts, build_inbox
from bot.app.loop import build_loop
from bot.app.metrics import Metrics
from bot.app.ops import RequestContextMiddleware, ops_routes
from bot.app.prompts import load_prompts
from bot.app.safeguarding import SafeguardingParts, build_safeguarding
from bot.app.service import ConversationService
from bot.app.settings import Settings, SettingsError, load_settings
from bot.app.staff import StaffConsole, build_staff
from bot.app.telegram import telegram_wiring
from bot.app.twilio import twilio_wiring
from bot.app.voice import voice_wiring
from bot.app.webchat_transcripts import StoreTranscripts, WebSender
from bot.content.symbols import SymbolPictures, symbol_routes
from bot.delivery.dispatcher import Dispatcher
from bot.delivery.scheduler import Claim, TickMonitor, build_scheduler
from bot.hours import QuietHours, WeeklyHours
from bot.loop.loop import Loop
from bot.messages import Channel
from bot.safeguarding.offload import DetectionPool
from bot.web.public.routes import public_routes
from bot.web.ratelimit import Limit, Limits, RateLimitMiddleware
from bot.web.security import SecurityHeadersMiddleware
from bot.web.staff.demo import ensure_demo_admin
from bot.web.staff.loop.routes import loop_staff_routes
from bot.web.staff.routes import staff_routes
from bot.web.staff.safeguarding.routes import install as install_safeguarding_pages
from channels.base import Sender
from channels.webchat.routes import webchat_routes
from storage.conversations.store import Store
from storage.db import Database
from storage.delivery import wakeups
from storage.privacy.vault import Keys, purpose_key
from storage.scheduling.ticks import SchedulerTicks

log = logging.getLogger("said.app")


@dataclass
class Parts:
    """Everything the running service is made of; tests and the CLI reach in here."""

    settings: Settings
    database: Database
    store: Store
    service: ConversationService
    dispatcher: Dispatcher
    senders: dict[str, Sender]
    channel_routes: list[BaseRoute]
    pictures: SymbolPictures
    metrics: Metrics = field(default_factory=Metrics)


def build_parts(
    settings: Settings, *, database: Database | None = None, clock: Callable[[], datetime] | None = None
) -> Parts:
    """Build the service. Tests pass an already-migrated database and a clock they control."""
    secret = settings.secret()
    keys = Keys.from_secret(secret)
    database = database or Database(settings.database_url)
    store = Store(
        database, keys, vault_retention=timedelta(days=settings.vault_retention_days),
        inbound_kept=timedelta(days=settings.handled_ids_days),
        **({"clock": clock} if clock else {}),
    )
    zone = settings.zone
    service = ConversationService(
        store,
        load_prompts(settings.prompts_dir),
        office_hours=WeeklyHours.parse(settings.office_hours, zone),
        zone=zone,
        expiry=timedelta(days=settings.conversation_expiry_days),
        service_name=settings.service_name,
        service_names=settings.service_names,
        clock=clock,
        detection=DetectionPool(settings.prompts_dir, processes=settings.detection_processes),
    )
    senders: dict[str, Sender] = {"web": WebSender(store)}
    twilio_routes, twilio_senders = twilio_wiring(settings, service, store.record_status, clock=clock)
    senders.update(twilio_senders)
    pictures = SymbolPictures(service.prompts.symbols, settings.prompts_dir)
    cards = pictures.card if settings.telegram_symbol_cards else None
    telegram_routes, telegram_senders = telegram_wiring(settings, service, clock=clock, symbol_image=cards)
    senders.update(telegram_senders)
    voice_routes = voice_wiring(settings, service, clock=clock)
    dispatcher = Dispatcher(
        store, senders, QuietHours.parse(settings.quiet_hours, zone), clock=clock,
        daily_cap=settings.daily_message_cap,
    )
    channel_routes = [*twilio_routes, *voice_routes, *telegram_routes]
    metrics = Metrics(channels=tuple(channel.value for channel in Channel))
    service.on_handled = metrics.handled
    dispatcher.on_tick = metrics.dispatched
    return Parts(settings, database, store, service, dispatcher, senders, channel_routes, pictures, metrics)


@dataclass
class Assembled:
    """The whole service, built but not started: what `said serve` and `said worker` both run."""

    settings: Settings
    parts: Parts
    staff: StaffConsole
    safeguarding: SafeguardingParts
    loop: Loop
    inbox: InboxParts

    @property
    def metrics(self) -> Metrics:
        return self.parts.metrics

    async def close(self) -> None:
        for sender in self.parts.senders.values():
            close = getattr(sender, "aclose", None)
            if close is not None:
                await close()  # provider HTTP sessions belong to this event loop
        await self.parts.database.dispose()


def assemble(settings: Settings) -> Assembled:
    parts = build_parts(settings)
    try:
        safeguarding = build_safeguarding(settings, parts)
    except ValueError as exc:  # duty contacts set up wrong: the message names the setting
        raise SettingsError(str(exc)) from None
    staff = build_staff(
        settings, parts.database, parts.service.prompts, channels=parts.senders, on_planned=parts.dispatcher.kick
    )
    install_safeguarding_pages(staff)  # templates and menu links for alerts and reveals
    staff.on_lead_added = lead_added_notice(staff, safeguarding.notifier.mailer)
    try:
        inbox = build_inbox(settings, parts, staff, safeguarding=safeguarding)
    except ValueError as exc:  # a deployment's canned replies cannot be read: the message names the file
        raise SettingsError(str(exc)) from None
    loop = build_loop(settings, parts)
    return Assembled(settings, parts, staff, safeguarding, loop, inbox)


class Background:
    """The work that does not answer a request.

    - `ticks` (the scheduler): the outbox, duty notices, broadcasts, check-ins and retention purges on
      their intervals. Run by `said serve`, or by `said worker` beside `said serve --no-scheduler`.
    - the kick loops, always: a reply or duty notice this process has just queued is sent at once
      rather than at the next tick. Every claim is atomic, so they never send twice what a worker sends.
    """

    def __init__(self, service: Assembled, *, ticks: bool) -> None:
        self.service = service
        self.monitor: TickMonitor | None = TickMonitor(observer=service.metrics) if ticks else None
        self._scheduler: Any = None
        self._tasks: list[asyncio.Task[Any]] = []

    def start(self) -> None:
        """Call inside the running event loop."""
        parts, safeguarding, inbox = self.service.parts, self.service.safeguarding, self.service.inbox
        if self.monitor is not None:
            self._scheduler = build_scheduler(
                dispatch=parts.dispatcher.tick,
                purge=_purger(parts, self.service.staff),
                dispatch_seconds=self.service.settings.dispatch_interval_seconds,
                every_minute={"checkins": self.service.loop.tick},
                every_30_seconds={
                    "safeguarding-notices": safeguarding.notifier.tick,
                    "broadcasts": self.service.staff.planner.plan_due_broadcasts,
                    **({"inbox-notices": inbox.notifier.tick} if inbox.notifier else {}),
                },
                monitor=self.monitor,
                claim=_claimer(parts),
            )
            self._scheduler.start()
            self.monitor.start()
        parts.service.on_reply_queued = parts.dispatcher.kick
        self._tasks = [
            asyncio.create_task(parts.dispatcher.run_on_kick()),
            # Duty notices go out seconds after an alert is committed, not at the next tick.
            asyncio.create_task(safeguarding.notifier.run_on_kick()),
        ]
        if self.monitor is not None:
            # PostgreSQL: a message queued by any process (a web process, `said broadcast create`) wakes the
            # processes that run the ticks; a web process without them sends only what it has just queued.
            self._tasks.append(
                asyncio.create_task(wakeups.listen(parts.database, wakeups.OUTBOX_CHANNEL, parts.dispatcher.kick))
            )

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
        if self.service.parts.service.detection is not None:
            self.service.parts.service.detection.close()


def create_app(settings: Settings | None = None, *, service: Assembled | None = None) -> Starlette:
    settings = settings or load_settings()
    settings.check_secret()  # the served app never runs on a guessable key
    service = service or assemble(settings)
    parts, staff, safeguarding, loop = service.parts, service.staff, service.safeguarding, service.loop
    inbox = service.inbox
    background = Background(service, ticks=settings.scheduler)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await parts.database.migrate(vault_key=Keys.from_secret(settings.secret()).vault_key)
        # A pack that asks "Can we check in with you every month?" gets that check-in set up, once.
        await loop.ensure_default_checkins()
        if settings.demo:
            await ensure_demo_admin(staff, public_url=settings.public_url)
        parts.database.start_checkpoints()  # SQLite: off the event loop (storage/checkpoints.py)
        background.start()
        # Render the Telegram symbol cards in the background so the first questions need not wait.
        warming = asyncio.create_task(asyncio.to_thread(parts.pictures.warm))
        heap.settle()  # start-up's objects live as long as the process: full collections skip them (bot/app/heap.py)
        log.info(
            "Said & Done is serving on %s (%s)", settings.public_url,
            "with the scheduler" if settings.scheduler else "without the scheduler: run `said worker` beside it",
        )
        try:
            yield
        finally:
            warming.cancel()
            await background.stop()
            await service.close()
            heap.release()

    async def home(request: Request) -> Response:
        return RedirectResponse("/chat", status_code=303)

    token = settings.metrics_token.get_secret_value() if settings.metrics_token else None
    routes: list[BaseRoute] = [
        Route("/", home),
        *ops_routes(parts.database, parts.metrics, token=token, monitor=background.monitor),
        *parts.channel_routes,
        *symbol_routes(parts.pictures),
        *staff_routes(
            staff, extra=[*safeguarding.staff_routes(), *loop_staff_routes(staff, loop), *inbox.routes()]
        ),
        *public_routes(loop),
        *webchat_routes(
            parts.service,
            StoreTranscripts(parts.store),
            secure_cookies=settings.secure_cookies,
            csrf_secret=purpose_key(settings.secret(), "webchat-csrf"),
            symbols=parts.pictures,
            privacy=parts.service.prompts.texts.channels.privacy_words.get("web", {}),
        ),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[
            Middleware(RequestContextMiddleware, metrics=parts.metrics, routes=routes),
            Middleware(SecurityHeadersMiddleware, https=settings.secure_cookies),
            Middleware(RateLimitMiddleware, **rate_limiting(settings, parts.store)),
        ],
        exception_handlers={404: _not_found, 500: _server_error},
    )
    app.state.parts = parts
    app.state.background = background
    return app


def _claimer(parts: Parts) -> Claim:
    """Each scheduled job runs once a tick across every process on the database (storage/scheduling/ticks.py)."""
    ticks = SchedulerTicks(parts.database)
    worker = parts.dispatcher.worker

    async def claim(job: str, tick: int) -> bool:
        return await ticks.claim(job, tick=tick, worker=worker)

    return claim
def lead_added_notice(staff: StaffConsole, mailer: Any) -> Any:
    """Tell the existing safeguarding leads, by email when email is set up, that a lead was added. No alert
    content: who, by whom, and what to do if it was not expected. (Their home page says so either way.)"""

    async def tell(new: Any, actor: Any) -> None:
        if mailer is None:
            return
        leads = await staff.store.active_lead_emails(other_than=new.id)
        body = (
            f"A new safeguarding lead account was added to Said & Done: {new.email}, by {actor.name}.\n\n"
            "Safeguarding leads can see people's contact details. If you did not expect this, tell your admin "
            "today.\n"
        )
        try:
            await mailer.send(leads, "A new safeguarding lead was added", body)
        except Exception as exc:  # the console notice still tells them
            log.warning("new safeguarding lead: the email to the other leads failed (%s)", type(exc).__name__)

    return tell


def rate_limiting(settings: Settings, store: Store) -> dict[str, Any]:
    """The rate limiter's settings and its hold on the database's rate slots."""

    async def admit(checks: list[tuple[str, float, int]], now: datetime) -> float | None:
        return await store.admit_each(checks, now=now)

    async def blocked(key: str, now: datetime, interval: float, burst: int) -> float | None:
        return await store.rate_blocked(key, now=now, interval=interval, burst=burst)

    async def charge(key: str, now: datetime, interval: float) -> None:
        await store.charge(key, now=now, interval=interval)

    limits = Limits(
        chat_per_address=Limit.per_minute(settings.chat_requests_per_minute),
        chat_posts_per_session=Limit.per_minute(settings.chat_posts_per_minute),
        webhook_refusals_per_address=Limit.per_hour(
            settings.webhook_refusals_per_hour, max(settings.webhook_refusals_per_hour // 3, 1)
        ),
    )
    return {"admit": admit, "blocked": blocked, "charge": charge, "limits": limits,
            "secret": purpose_key(settings.secret(), "rate-limit-keys")}


def _purger(parts: Parts, staff: StaffConsole):  # noqa: ANN202 - a closure for the scheduler
    from datetime import UTC, datetime

    async def purge() -> None:
        await staff.store.purge()  # old sign-in failures and ended sessions
        removed = await parts.store.purge(datetime.now(UTC))
        if any(removed.values()):
            log.info("retention purge removed %s", removed)

    return purge


async def _not_found(request: Request, exc: Exception) -> Response:
    return PlainTextResponse("Sorry, there is no page here. Try /chat.", status_code=404)


async def _server_error(request: Request, exc: Exception) -> Response:
    # The message is fixed: exceptions may carry details that must never reach a browser.
    return PlainTextResponse("Sorry, something went wrong on our side. Please try again in a minute.", status_code=500)
