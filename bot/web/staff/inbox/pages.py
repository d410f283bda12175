"""The inbox pages: the list of cases, one case, reply, close, owner, themes, and the number to call.

Every staff role reads and answers cases, as they read comments; only a safeguarding lead can reveal a
number to call (audited, like the safeguarding break-glass). Nobody ever sees an address otherwise: a
reply is sent by the bot, through the outbox, on the person's own channel.

    GET  /staff/inbox                      cases, the longest-waiting first; filters: status, channel, pack, theme
    GET  /staff/inbox/{id}                 one case: the conversation, the reply form, themes, what staff did
    GET  /staff/inbox/alert/{alert_id}     the case a safeguarding alert shares its words with (leads)
    POST /staff/inbox/{id}/reply           action=check (findings, SMS cost, preview) or action=send
    POST /staff/inbox/{id}/check           the live check as staff type (JSON, for staff.js)
    POST /staff/inbox/{id}/close           tell=yes sends a kind closing line
    POST /staff/inbox/{id}/owner           owner=me or owner=team
    POST /staff/inbox/{id}/theme           theme, change=add|remove
    POST /staff/inbox/{id}/reveal          reason -> the number to call, shown once (safeguarding leads)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.hours import QuietHours, WeeklyHours
from bot.inbox.compose import LONGEST_REPLY, ReplyComposer
from bot.inbox.waiting import office_time, waited_words
from bot.web.staff import fields
from bot.web.staff.auth import actor_of, console_of, current_staff, form_of, requires_role
from bot.web.staff.results import CHANNEL_NAMES, english
from bot.web.staff.slashes import slash_not_found
from storage.cases.cases import LONGEST_REASON
from storage.cases.records import CaseRecord, CaseSummary, RevealedNumber
from storage.cases.store import CaseRefused, CaseStore
from storage.staff.comments import MAX_THEME

PER_PAGE = 50
OVERRIDE = "The easy-read check found problems. Fix them, or tick the box to send it as it is."
LEAD = "safeguarding_lead"
SMS_CHANNELS = ("sms", "whatsapp")
STATUS_WORDS = {
    "new": "New",
    "waiting_us": "Waiting for us",
    "waiting_them": "Waiting for them",
    "closed": "Closed",
}
SHOW = {  # the status filter: what each choice lists
    "open": ("new", "waiting_us", "waiting_them"),
    "us": ("new", "waiting_us"),
    "new": ("new",),
    "waiting_us": ("waiting_us",),
    "waiting_them": ("waiting_them",),
    "closed": ("closed",),
}
SHOW_WORDS = {
    "open": "Open cases",
    "us": "Waiting for us",
    "new": "New",
    "waiting_us": "They wrote again",
    "waiting_them": "Waiting for them",
    "closed": "Closed",
}
DELIVERY_WORDS = {
    "pending": "Waiting to be sent",
    "sending": "Sending",
    "sent": "Sent",
    "delivered": "Delivered",
    "failed": "Not delivered",
    "cancelled": "Not sent: the person sent STOP or asked us to forget them",
}


@dataclass(frozen=True)
class InboxPages:
    store: CaseStore
    composer: ReplyComposer
    office_hours: WeeklyHours
    quiet: QuietHours
    on_queued: Callable[[], None] | None = None  # the dispatcher's kick: a reply allowed now goes at once

    def routes(self) -> list[BaseRoute]:
        anyone = requires_role()
        return [
            Route("/inbox", anyone(self.inbox), methods=["GET"]),
            Route("/inbox/{case_id:int}", anyone(self.case), methods=["GET"]),
            Route("/inbox/alert/{alert_id:int}", requires_role(LEAD)(self.from_alert), methods=["GET"]),
            Route("/inbox/{case_id:int}/reply", anyone(self.reply), methods=["POST"]),
            Route("/inbox/{case_id:int}/check", anyone(self.check), methods=["POST"]),
            Route("/inbox/{case_id:int}/close", anyone(self.close), methods=["POST"]),
            Route("/inbox/{case_id:int}/owner", anyone(self.owner), methods=["POST"]),
            Route("/inbox/{case_id:int}/theme", anyone(self.theme), methods=["POST"]),
            Route("/inbox/{case_id:int}/reveal", anyone(self.reveal), methods=["POST"]),
            # `/inbox/5/`: the not-found page, not a redirect (see bot/web/staff/slashes.py).
            slash_not_found("/inbox", "There is no such case."),
        ]

    # Words for the templates

    def waited(self, summary: CaseSummary) -> str:
        if summary.waiting_since is None:
            return ""
        now = self.store.now()
        return waited_words(office_time(self.office_hours, summary.waiting_since, now))

    def _words(self, request: Request) -> dict[str, Any]:
        console = console_of(request)
        return {
            "status_words": STATUS_WORDS, "channel_names": CHANNEL_NAMES, "delivery_words": DELIVERY_WORDS,
            "waited": self.waited, "pack_title": lambda pack_id: _pack_title(console, pack_id),
        }

    # The list

    async def inbox(self, request: Request) -> Response:
        console = console_of(request)
        member = await current_staff(request)
        assert member is not None
        query = request.query_params
        show = query.get("show", "open")
        show = show if show in SHOW else "open"
        channels, packs, themes = await self.store.filters()
        channel = query.get("channel") if query.get("channel") in channels else None
        pack_id = query.get("pack") if query.get("pack") in packs else None
        theme = query.get("theme") if query.get("theme") in themes else None
        mine = query.get("mine") == "1"
        owner_id = member.id if mine else None

        async def listing(limit: int, offset: int = 0) -> tuple[list[CaseSummary], int]:
            return await self.store.listing(
                statuses=SHOW[show], channel=channel, pack_id=pack_id, theme=theme, owner_id=owner_id,
                limit=limit, offset=offset,
            )

        _, total = await listing(1)
        pages = max(1, math.ceil(total / PER_PAGE))
        page = fields.page_number(query.get("page"), pages=pages)
        found, total = await listing(PER_PAGE, (page - 1) * PER_PAGE)
        chosen = {"show": show if show != "open" else None, "channel": channel, "pack": pack_id, "theme": theme,
                  "mine": "1" if mine else None}
        return console.pages.render(
            request, "inbox.html", cases=found, total=total, page=page, pages=pages, show=show, show_words=SHOW_WORDS,
            channels=channels, packs=packs, themes=themes, channel=channel, pack_id=pack_id, theme=theme, mine=mine,
            waiting=await self.store.waiting_count(),
            page_link=lambda n: "?" + urlencode({**{k: v for k, v in chosen.items() if v}, "page": n}),
            **self._words(request),
        )

    # One case

    async def show(
        self,
        request: Request,
        case_id: int,
        *,
        status: int = 200,
        draft: str | None = None,
        checked: bool = False,
        errors: dict[str, str] | None = None,
        override: bool = False,
        number: RevealedNumber | None = None,
        reason: str = "",
        done: str = "",
    ) -> Response:
        console = console_of(request)
        record = await self.store.case(case_id)
        if record is None:
            return console.pages.refused(request, 404, "There is no such case.")
        summary = record.summary
        canned = self.composer.canned
        if draft is None:
            chosen = canned.get(request.query_params.get("canned"))
            draft = chosen.text(summary.language) if chosen else ""
        findings: list[Any] = []
        estimate = None
        preview = ""
        if checked and draft:
            findings = self.composer.check(draft, summary.language, summary.pack_id)
            estimate = self.composer.sms_estimate(draft, summary.language)
            preview = self.composer.preview(draft, summary.language, summary.channel)
        member = await current_staff(request)
        assert member is not None
        _, _, themes = await self.store.filters()
        return console.pages.render(
            request, "inbox_case.html", status=status, case=record, s=summary, draft=draft, checked=checked,
            findings=findings, has_errors=any(f.severity == "error" for f in findings), estimate=estimate,
            preview=preview, sms=summary.channel in SMS_CHANNELS, errors=errors or {}, override=override,
            number=number, reason=reason, done=done, canned=canned.replies, history=await self.store.history(case_id),
            is_lead=member.role == LEAD, me=member.id, known_themes=themes, max_reply=LONGEST_REPLY,
            max_reason=LONGEST_REASON, max_theme=MAX_THEME, tell_default=_tell_default(record),
            quiet_now=self.quiet.is_quiet(self.store.now()), quiet_ends=self.quiet.ends_after(self.store.now()),
            **self._words(request),
        )

    async def from_alert(self, request: Request) -> Response:
        """From a safeguarding alert to the case with the same words (the alert page links here)."""
        case_id = await self.store.for_alert(request.path_params["alert_id"])
        if case_id is None:
            return console_of(request).pages.refused(request, 404, "There is no case in the inbox for this alert.")
        return RedirectResponse(f"/staff/inbox/{case_id}", status_code=303)

    async def case(self, request: Request) -> Response:
        done = request.query_params.get("done", "")[:20]
        return await self.show(request, request.path_params["case_id"], done=done)

    async def reply(self, request: Request) -> Response:
        case_id = request.path_params["case_id"]
        console = console_of(request)
        member = await current_staff(request)
        assert member is not None
        form = form_of(request)
        raw = str(form.get("reply", ""))[:LONGEST_REPLY * 2]
        override = form.get("override") == "yes"
        try:
            text = fields.text(form, "reply", label="Your reply", max_length=LONGEST_REPLY)
        except fields.FieldProblem as problem:
            return await self.show(request, case_id, status=400, draft=raw, errors={"reply": problem.message})
        record = await self.store.case(case_id)
        if record is None:
            return console.pages.refused(request, 404, "There is no such case.")
        if form.get("action") != "send":
            return await self.show(request, case_id, draft=text, checked=True, override=override)
        summary = record.summary
        blocking = [f for f in self.composer.check(text, summary.language, summary.pack_id) if f.severity == "error"]
        if blocking and not override:
            return await self.show(
                request, case_id, status=400, draft=text, checked=True,
                errors={"override": OVERRIDE},
            )
        try:
            queued = await self.store.reply(
                case_id, actor_of(member), text, self.composer.payload(text, summary.language)
            )
        except CaseRefused as refusal:
            return await self.show(request, case_id, status=409, draft=text, errors={"reply": str(refusal)})
        if self.on_queued is not None:
            self.on_queued()
        done = "sent" if queued.direct or not self.quiet.is_quiet(self.store.now()) else "queued"
        return RedirectResponse(f"/staff/inbox/{case_id}?done={done}", status_code=303)

    async def check(self, request: Request) -> Response:
        """The live check for staff.js: the same findings and SMS parts as the Check button shows."""
        form = form_of(request)
        record = await self.store.case(request.path_params["case_id"])
        if record is None:
            return JSONResponse({"error": "There is no such case."}, status_code=404)
        try:
            text = fields.text(form, "text", label="Your reply", max_length=LONGEST_REPLY, required=False)
        except fields.FieldProblem as problem:
            return JSONResponse({"error": problem.message}, status_code=400)
        if not text:
            return JSONResponse({"findings": [], "sms": None, "people": None})
        summary = record.summary
        estimate = self.composer.sms_estimate(text, summary.language)
        people = 1 if summary.channel in SMS_CHANNELS else 0
        return JSONResponse({
            "findings": [
                {"severity": f.severity, "rule": f.rule, "message": f.message, "suggestion": f.suggestion}
                for f in self.composer.check(text, summary.language, summary.pack_id)
            ],
            "sms": {
                "segments": estimate.segments, "encoding": estimate.encoding, "characters": estimate.characters,
                "ucs2": list(estimate.ucs2_characters), "cost": f"{estimate.cost(people):.2f}", "people": people,
            },
            "people": people,
        })

    async def close(self, request: Request) -> Response:
        case_id = request.path_params["case_id"]
        member = await current_staff(request)
        assert member is not None
        form = form_of(request)
        record = await self.store.case(case_id)
        if record is None:
            return console_of(request).pages.refused(request, 404, "There is no such case.")
        closing, words = (None, None)
        if form.get("tell") == "yes":
            closing, words = self.composer.closing(record.summary.language)
        try:
            queued = await self.store.close(case_id, actor_of(member), closing=closing, closing_text=words)
        except CaseRefused as refusal:
            return await self.show(request, case_id, status=409, errors={"close": str(refusal)})
        if queued is not None and self.on_queued is not None:
            self.on_queued()
        return RedirectResponse(f"/staff/inbox/{case_id}?done=closed", status_code=303)

    async def owner(self, request: Request) -> Response:
        case_id = request.path_params["case_id"]
        member = await current_staff(request)
        assert member is not None
        form = form_of(request)
        try:
            whom = fields.choice(form, "owner", label="Owner", allowed={"me", "team"})
            await self.store.set_owner(case_id, member.id if whom == "me" else None, actor_of(member))
        except fields.FieldProblem as problem:
            return await self.show(request, case_id, status=400, errors={"owner": problem.message})
        except CaseRefused as refusal:
            return await self.show(request, case_id, status=409, errors={"owner": str(refusal)})
        return RedirectResponse(f"/staff/inbox/{case_id}?done=owner", status_code=303)

    async def theme(self, request: Request) -> Response:
        case_id = request.path_params["case_id"]
        member = await current_staff(request)
        assert member is not None
        form = form_of(request)
        try:
            change = fields.choice(form, "change", label="Change", allowed={"add", "remove"})
            theme = fields.text(form, "theme", label="Theme", max_length=MAX_THEME)
            await self.store.tag(case_id, theme, actor_of(member), add=change == "add")
        except fields.FieldProblem as problem:
            return await self.show(request, case_id, status=400, errors={"theme": problem.message})
        except CaseRefused as refusal:
            return await self.show(request, case_id, status=400, errors={"theme": str(refusal)})
        return RedirectResponse(f"/staff/inbox/{case_id}#themes", status_code=303)

    async def reveal(self, request: Request) -> Response:
        case_id = request.path_params["case_id"]
        member = await current_staff(request)
        assert member is not None
        form = form_of(request)
        reason = str(form.get("reason", ""))[:LONGEST_REASON]
        try:
            reason = fields.text(form, "reason", label="Why you need the number", max_length=LONGEST_REASON)
            number = await self.store.reveal(case_id, actor_of(member), reason, role_ok=member.role == LEAD)
        except fields.FieldProblem as problem:
            return await self.show(request, case_id, status=400, errors={"reason": problem.message}, reason=reason)
        except CaseRefused as refusal:
            return await self.show(request, case_id, status=400, errors={"reason": str(refusal)}, reason=reason)
        # Shown in this one response (staff pages are never cached), not on a page that could be reloaded.
        return await self.show(request, case_id, number=number)


def _pack_title(console: Any, pack_id: str | None) -> str:
    pack = console.packs.get(pack_id) if pack_id else None
    return english(pack.title) if pack is not None else (pack_id or "")


def _tell_default(record: CaseRecord) -> bool:
    """Tell the person the case is closed when we have talked to them (they may be waiting for more)."""
    return any(line.direction == "out" for line in record.lines)
