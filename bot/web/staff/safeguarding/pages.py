"""Alerts, one alert, acknowledge, close, break-glass reveal, and the log of reveals.

Only a safeguarding lead sees alerts and their words (and the store checks the role again, auditing
every reading). Admins see the reveal log: who revealed whose contact details, when and why. Nobody
else sees any of it.

    GET  /staff/safeguarding/alerts                  the list (no words)
    GET  /staff/safeguarding/alerts/{id}             one alert with its words (audited)
    POST /staff/safeguarding/alerts/{id}/acknowledge
    POST /staff/safeguarding/alerts/{id}/close       outcome
    POST /staff/safeguarding/alerts/{id}/reveal      reason -> the contact details, shown once
    GET  /staff/safeguarding/reveals                 every reveal and refused reveal (admins, leads)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.safeguarding.detect import Detector
from bot.web.staff import fields
from bot.web.staff.auth import actor_of, console_of, current_staff, form_of, requires_role
from bot.web.staff.slashes import slash_not_found
from storage.safeguarding.alerts import LONGEST_OUTCOME, LONGEST_REASON
from storage.safeguarding.records import RevealedContact
from storage.safeguarding.store import NotAllowed, SafeguardingStore

PER_PAGE = 50
LEAD = "safeguarding_lead"
STATUS_WORDS = {"open": "Open", "acknowledged": "Acknowledged", "closed": "Closed"}
LEVEL_WORDS = {"urgent": "Urgent", "concern": "Concern"}
KIND_WORDS = {"risk": "Message", "callback": "Call back request"}
CHANNEL_WORDS = {"sms": "SMS", "whatsapp": "WhatsApp", "telegram": "Telegram", "voice": "Phone call", "web": "Web chat"}


@dataclass(frozen=True)
class SafeguardingPages:
    store: SafeguardingStore
    detector: Detector

    def routes(self) -> list[BaseRoute]:
        lead, lead_or_admin = requires_role(LEAD), requires_role("admin", LEAD)
        return [
            Route("/safeguarding/alerts", lead(self.alerts), methods=["GET"]),
            Route("/safeguarding/alerts/{alert_id:int}", lead(self.alert), methods=["GET"]),
            Route("/safeguarding/alerts/{alert_id:int}/acknowledge", lead(self.acknowledge), methods=["POST"]),
            Route("/safeguarding/alerts/{alert_id:int}/close", lead(self.close), methods=["POST"]),
            Route("/safeguarding/alerts/{alert_id:int}/reveal", lead(self.reveal), methods=["POST"]),
            Route("/safeguarding/reveals", lead_or_admin(self.reveals), methods=["GET"]),
            # `/safeguarding/alerts/5/`: the not-found page, not a redirect (see bot/web/staff/slashes.py).
            slash_not_found("/safeguarding/alerts", "There is no such alert.", LEAD),
        ]

    def _words(self) -> dict[str, Any]:
        return {"status_words": STATUS_WORDS, "level_words": LEVEL_WORDS, "kind_words": KIND_WORDS,
                "channel_words": CHANNEL_WORDS, "means": self.detector.means}

    async def show(
        self, request: Request, alert_id: int, *, status: int = 200, errors: dict[str, str] | None = None,
        contact: RevealedContact | None = None, done: str = "", reason: str = "", outcome: str = "",
    ) -> Response:
        console = console_of(request)
        member = await current_staff(request)
        assert member is not None
        try:
            alert = await self.store.open_alert(alert_id, actor_of(member))
        except NotAllowed as refusal:
            return console.pages.refused(request, 403, str(refusal))
        if alert is None:
            return console.pages.refused(request, 404, "There is no such alert.")
        return console.pages.render(
            request, "safeguarding_alert.html", status=status, alert=alert, history=await self.store.history(alert_id),
            errors=errors or {}, contact=contact, done=done, reason=reason, outcome=outcome,
            max_reason=LONGEST_REASON, max_outcome=LONGEST_OUTCOME, **self._words(),
        )

    async def alerts(self, request: Request) -> Response:
        console = console_of(request)
        status = request.query_params.get("status")
        status = status if status in STATUS_WORDS else None
        _, total = await self.store.alerts(status=status, limit=1)
        count = max(1, math.ceil(total / PER_PAGE))
        page = fields.page_number(request.query_params.get("page"), pages=count)
        alerts, total = await self.store.alerts(status=status, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
        return console.pages.render(
            request, "safeguarding_alerts.html", alerts=alerts, total=total, page=page, pages=count,
            shown=status or "", open_count=await self.store.open_count(), **self._words(),
        )

    async def alert(self, request: Request) -> Response:
        return await self.show(request, request.path_params["alert_id"], done=request.query_params.get("done", "")[:20])

    async def acknowledge(self, request: Request) -> Response:
        alert_id = request.path_params["alert_id"]
        member = await current_staff(request)
        assert member is not None
        try:
            done = await self.store.acknowledge(alert_id, actor_of(member))
        except NotAllowed as refusal:
            return console_of(request).pages.refused(request, 403, str(refusal))
        except LookupError:
            return console_of(request).pages.refused(request, 404, "There is no such alert.")
        # Already acknowledged or closed by someone else: show it as it is, without claiming we did it.
        return RedirectResponse(
            f"/staff/safeguarding/alerts/{alert_id}" + ("?done=acknowledged" if done else ""), status_code=303
        )

    async def close(self, request: Request) -> Response:
        alert_id = request.path_params["alert_id"]
        member = await current_staff(request)
        assert member is not None
        form = form_of(request)
        try:
            outcome = fields.text(form, "outcome", label="Outcome", max_length=LONGEST_OUTCOME)
            await self.store.close(alert_id, actor_of(member), outcome)
        except fields.FieldProblem as problem:
            return await self.show(request, alert_id, status=400, errors={"outcome": problem.message})
        except NotAllowed as refusal:
            return await self.show(request, alert_id, status=400, errors={"outcome": str(refusal)})
        except LookupError:
            return console_of(request).pages.refused(request, 404, "There is no such alert.")
        return RedirectResponse(f"/staff/safeguarding/alerts/{alert_id}?done=closed", status_code=303)

    async def reveal(self, request: Request) -> Response:
        alert_id = request.path_params["alert_id"]
        member = await current_staff(request)
        assert member is not None
        form = form_of(request)
        reason = str(form.get("reason", ""))[:LONGEST_REASON]
        try:
            reason = fields.text(form, "reason", label="Why you need the contact details", max_length=LONGEST_REASON)
            contact = await self.store.reveal(alert_id, actor_of(member), reason)
        except fields.FieldProblem as problem:
            return await self.show(request, alert_id, status=400, errors={"reason": problem.message}, reason=reason)
        except NotAllowed as refusal:
            return await self.show(request, alert_id, status=400, errors={"reason": str(refusal)}, reason=reason)
        # Shown in this one response (never stored in a page cache: every staff page is no-store), not on a
        # page that could be reloaded or bookmarked.
        return await self.show(request, alert_id, contact=contact)

    async def reveals(self, request: Request) -> Response:
        console = console_of(request)
        _, total = await self.store.reveals(limit=1)
        count = max(1, math.ceil(total / PER_PAGE))
        page = fields.page_number(request.query_params.get("page"), pages=count)
        entries, total = await self.store.reveals(limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
        return console.pages.render(
            request, "safeguarding_reveals.html", entries=entries, total=total, page=page, pages=count
        )
