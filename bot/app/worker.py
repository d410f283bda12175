"""`said worker`: the scheduler's work (outbox, duty notices, broadcasts, check-ins, purges) without the web app.

Run it beside `said serve --no-scheduler` so a slow page never delays an alert, and so the web process can
be restarted or scaled without stopping the sending. Several workers may run at once: every claim in the
database is atomic and leased.

With `--ops-port`, it answers /healthz, /readyz and /metrics (only those) on that port, for a container
health check and for Prometheus: a worker's counters (sends, retries, duty notices, tick lag) live in the
worker's process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware

from bot.app.ops import RequestContextMiddleware, ops_routes
from bot.app.settings import Settings
from bot.app.wiring import Assembled, Background, assemble
from storage.privacy.vault import Keys

log = logging.getLogger("said.worker")


def ops_app(service: Assembled, background: Background) -> Starlette:
    """The worker's own small web app: health, readiness and metrics, nothing a person could reach."""
    settings = service.settings
    token = settings.metrics_token.get_secret_value() if settings.metrics_token else None
    routes = ops_routes(service.parts.database, service.metrics, token=token, monitor=background.monitor)
    middleware = [Middleware(RequestContextMiddleware, metrics=service.metrics, routes=routes)]
    return Starlette(routes=routes, middleware=middleware)


@asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[tuple[Assembled, Background]]:
    """The worker started (migrated, ticking) for the block; stopped and closed after it."""
    settings.check_secret()  # as the web app: never on a guessable key
    service = assemble(settings)
    await service.parts.database.migrate(vault_key=Keys.from_secret(settings.secret()).vault_key)
    background = Background(service, ticks=True)
    service.parts.database.start_checkpoints()  # SQLite: off the event loop (storage/checkpoints.py)
    background.start()
    log.info("Said & Done worker is running: outbox, duty notices, broadcasts, check-ins and purges")
    try:
        yield service, background
    finally:
        await background.stop()
        await service.close()
        log.info("Said & Done worker stopped")


class _OpsServer:
    """uvicorn's server without its own signal handling: the worker handles SIGTERM itself, so it can stop
    its ticks and close its connections before it exits (uvicorn would re-raise the signal and end the
    process first)."""

    def __init__(self, app: Starlette, host: str, port: int) -> None:
        import uvicorn

        class Server(uvicorn.Server):
            @contextlib.contextmanager
            def capture_signals(self) -> Iterator[None]:
                yield

        config = uvicorn.Config(
            app, host=host, port=port, log_config=None, access_log=False, server_header=False, lifespan="off"
        )
        self.server = Server(config)

    async def serve_until(self, stop: asyncio.Event) -> None:
        serving = asyncio.create_task(self.server.serve())
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
        self.server.should_exit = True
        stopping.cancel()
        await serving  # raises if the port could not be opened


async def run_worker(
    settings: Settings, *, ops_host: str = "127.0.0.1", ops_port: int | None = None, stop: asyncio.Event | None = None
) -> None:
    """Run until SIGTERM or SIGINT (or `stop` is set), then stop the ticks and close cleanly."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        async with running(settings) as (service, background):
            if ops_port is None:
                await stop.wait()
            else:
                await _OpsServer(ops_app(service, background), ops_host, ops_port).serve_until(stop)
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
