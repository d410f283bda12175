"""What operations uses: /healthz, /readyz, /metrics, and the request middleware (ids, timing).

- `/healthz`: the process is alive and its event loop answers. Nothing else, so an orchestrator never
  restarts a healthy process because the database had a blip.
- `/readyz`: ready for traffic: the database answers, its migrations are the ones this code expects, and,
  in a process that runs the scheduler, every tick started within its interval (a stuck scheduler would
  otherwise go unnoticed while alerts wait). 503 with the failing check named.
- `/metrics`: Prometheus text format, only with `Authorization: Bearer <SAID_METRICS_TOKEN>`; without the
  setting it does not exist (404).
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Match, Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.app.logs import new_request_id, request_id
from bot.app.metrics import CONTENT_TYPE, Metrics
from bot.delivery.scheduler import TickMonitor
from storage.db import Database
from storage.monitoring import migration_state

NO_STORE = {"cache-control": "no-store"}
UNMATCHED = "<unmatched>"
# Any other method is counted as OTHER: a label must stay a small set whatever a client sends.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def ops_routes(
    database: Database, metrics: Metrics, *, token: str | None, monitor: TickMonitor | None
) -> list[BaseRoute]:
    """`monitor` is the scheduler's when this process runs it, else None (readiness then skips the check)."""

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "alive"}, headers=NO_STORE)

    async def readyz(request: Request) -> Response:
        checks = await readiness(database, monitor)
        ready = all(value in ("ok", "not run here") for value in checks.values())
        body = {"status": "ready" if ready else "not ready", "checks": checks}
        return JSONResponse(body, status_code=200 if ready else 503, headers=NO_STORE)

    async def metrics_page(request: Request) -> Response:
        if token is None:
            return PlainTextResponse(
                "Metrics are off. Set SAID_METRICS_TOKEN to turn them on.", status_code=404, headers=NO_STORE
            )
        if not _bearer_matches(request.headers.get("authorization", ""), token):
            return PlainTextResponse(
                "Send the metrics token: Authorization: Bearer <SAID_METRICS_TOKEN>.",
                status_code=401,
                headers={**NO_STORE, "www-authenticate": 'Bearer realm="metrics"'},
            )
        await metrics.refresh(database)
        return Response(metrics.exposition(), media_type=CONTENT_TYPE, headers=NO_STORE)

    return [
        Route("/healthz", healthz, methods=["GET", "HEAD"]),
        Route("/readyz", readyz, methods=["GET", "HEAD"]),
        Route("/metrics", metrics_page, methods=["GET"]),
    ]


async def readiness(database: Database, monitor: TickMonitor | None) -> dict[str, str]:
    checks: dict[str, str] = {}
    if await database.ping():
        checks["database"] = "ok"
        try:
            state = await migration_state(database)
        except Exception:  # a readiness check reports, it never raises
            checks["migrations"] = "could not be read"
        else:
            checks["migrations"] = "ok" if state.current else "not current: run `said db upgrade`"
    else:
        checks["database"] = "not answering"
        checks["migrations"] = "unknown while the database does not answer"
    if monitor is None:
        checks["scheduler"] = "not run here"
    else:
        late = monitor.late()
        checks["scheduler"] = "ok" if not late else "late: " + ", ".join(late)
    return checks


def _bearer_matches(header: str, token: str) -> bool:
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer":
        return False
    # Compared in constant time, so the token cannot be guessed a character at a time.
    return hmac.compare_digest(given.strip().encode(), token.encode())


def route_template(routes: Sequence[BaseRoute], scope: Scope) -> str:
    """The route's path template ("/staff/results/{pack_id}"), never the path itself: a label must not
    carry ids or tokens, and must stay a small, fixed set."""
    probe = {"type": "http", "path": scope.get("path", ""), "root_path": "", "method": scope.get("method", "GET")}
    return _template(routes, probe) or UNMATCHED


def _template(routes: Sequence[BaseRoute], probe: Scope) -> str | None:
    partial: str | None = None
    for route in routes:
        match, child = route.matches(probe)
        if match is Match.NONE:
            continue
        if isinstance(route, Mount):
            inner = _template(route.routes, {**probe, **child}) if route.routes else None
            template = route.path + (inner or "/{path}")
        elif isinstance(route, Route):
            template = route.path
        else:
            template = getattr(route, "path", UNMATCHED)
        if match is Match.FULL:
            return template
        partial = partial or template  # the path matched but not the method (405)
    return partial


class RequestContextMiddleware:
    """Gives every request an id (for its log lines and the X-Request-ID header) and times it."""

    def __init__(self, app: ASGIApp, metrics: Metrics, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        self.metrics = metrics
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        offered = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"x-request-id"), None)
        rid = new_request_id(offered)
        token = request_id.set(rid)
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            method = scope.get("method", "GET")
            self.metrics.request(
                route_template(self.routes, scope), method if method in METHODS else "OTHER", status,
                time.perf_counter() - started,
            )
            request_id.reset(token)
