"""The wiring module: the one place that puts storage, engine, channels and scheduler together."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.app.loop import build_loop
from bot.app.prompts import load_prompts
from bot.app.safeguarding import build_safeguarding
from bot.app.service import ConversationService
from bot.app.settings import Settings, SettingsError, load_settings
from bot.app.staff import StaffConsole, build_staff
from bot.app.telegram import telegram_wiring
from bot.app.twilio import twilio_wiring
from bot.app.voice import voice_wiring
from bot.app.webchat_transcripts import StoreTranscripts, WebSender
from bot.content.symbols import SymbolPictures, symbol_routes
from bot.delivery.dispatcher import Dispatcher
from bot.delivery.scheduler import build_scheduler
from bot.hours import QuietHours, WeeklyHours
from bot.web.public.routes import public_routes
from bot.web.security import SecurityHeadersMiddleware
from bot.web.staff.demo import ensure_demo_admin
from bot.web.staff.loop.routes import loop_staff_routes
from bot.web.staff.routes import staff_routes
from bot.web.staff.safeguarding.routes import install as install_safeguarding_pages
from channels.base import Sender
from channels.webchat.routes import webchat_routes
from storage.conversations.store import Store
from storage.db import Database
from storage.privacy.vault import Keys, purpose_key

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


def build_parts(
    settings: Settings, *, database: Database | None = None, clock: Callable[[], datetime] | None = None
) -> Parts:
    """Build the service. Tests pass an already-migrated database and a clock they control."""
    secret = settings.secret()
    keys = Keys.from_secret(secret)
    database = database or Database(settings.database_url)
    store = Store(
        database, keys, vault_retention=timedelta(days=settings.vault_retention_days),
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
    return Parts(settings, database, store, service, dispatcher, senders, channel_routes, pictures)


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or load_settings()
    parts = build_parts(settings)
    try:
        safeguarding = build_safeguarding(settings, parts)
    except ValueError as exc:  # duty contacts set up wrong: the message names the setting
        raise SettingsError(str(exc)) from None
    staff = build_staff(
        settings, parts.database, parts.service.prompts, channels=parts.senders, on_planned=parts.dispatcher.kick
    )
    install_safeguarding_pages(staff)  # templates and menu links for alerts and reveals
    loop = build_loop(settings, parts)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await parts.database.migrate()
        if settings.demo:
            await ensure_demo_admin(staff, public_url=settings.public_url)
        scheduler = None
        if settings.scheduler:
            scheduler = build_scheduler(
                dispatch=parts.dispatcher.tick,
                purge=_purger(parts, staff),
                dispatch_seconds=settings.dispatch_interval_seconds,
                every_minute={"checkins": loop.tick},
                every_30_seconds={
                    "safeguarding-notices": safeguarding.notifier.tick,
                    "broadcasts": staff.planner.plan_due_broadcasts,
                },
            )
            scheduler.start()
        parts.service.on_reply_queued = parts.dispatcher.kick
        kicker = asyncio.create_task(parts.dispatcher.run_on_kick())
        # Duty notices go out seconds after an alert is committed, not at the next tick.
        notices = asyncio.create_task(safeguarding.notifier.run_on_kick())
        # Render the Telegram symbol cards in the background so the first questions need not wait.
        warming = asyncio.create_task(asyncio.to_thread(parts.pictures.warm))
        log.info("Said & Done is serving on %s", settings.public_url)
        try:
            yield
        finally:
            kicker.cancel()
            notices.cancel()
            warming.cancel()
            if scheduler is not None:
                scheduler.shutdown(wait=False)
            for sender in parts.senders.values():
                close = getattr(sender, "aclose", None)
                if close is not None:
                    await close()  # provider HTTP sessions belong to this event loop
            await parts.database.dispose()

    async def healthz(request: Request) -> Response:
        if await parts.database.ping():
            return JSONResponse({"status": "ok"})
        return JSONResponse({"status": "database unavailable"}, status_code=503)

    async def home(request: Request) -> Response:
        return RedirectResponse("/chat", status_code=303)

    routes: list[BaseRoute] = [
        Route("/", home),
        Route("/healthz", healthz),
        *parts.channel_routes,
        *symbol_routes(parts.pictures),
        *staff_routes(staff, extra=[*safeguarding.staff_routes(), *loop_staff_routes(staff, loop)]),
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
        middleware=[Middleware(SecurityHeadersMiddleware)],
        exception_handlers={404: _not_found, 500: _server_error},
    )
    app.state.parts = parts
    return app


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
