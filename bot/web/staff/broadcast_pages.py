"""Broadcast screens: write (with the easy-read check, SMS cost and previews), send or schedule, watch.

Works without JavaScript: "Check" posts the form and the page comes back with the findings. With
JavaScript, staff.js asks `POST /staff/broadcasts/check` as you type and fills in the same panel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from bot.web.staff import fields
from bot.web.staff.auth import actor_of, console_of, current_staff, form_of, requires_role
from bot.web.staff.console import StaffConsole
from bot.web.staff.results import CHANNEL_NAMES, english
from storage.staff.broadcasts import MAX_NAME, Audience
from storage.staff.records import BroadcastRecord

SENDERS = ("admin", "staff")
MAX_TEXT = 640  # four SMS segments of GSM-7; an update longer than that is not easy to read
STATUS_WORDS = {"scheduled": "Scheduled", "planned": "Started", "cancelled": "Cancelled"}
PROGRESS_COLUMNS = (("queued", "Queued"), ("sent", "Sent"), ("delivered", "Delivered"), ("failed", "Failed"),
                    ("cancelled", "Not sent"))


@dataclass
class Draft:
    name: str = ""
    texts: dict[str, str] = field(default_factory=dict)
    audience_key: str = "updates"
    when: str = "now"
    send_date: str = ""
    send_time: str = ""
    override: bool = False

    @property
    def audience(self) -> Audience:
        return audience_of(self.audience_key)


def audience_of(key: str) -> Audience:
    kind, _, value = key.partition(":")
    return Audience(kind, value or None)


def audience_key(audience: Audience) -> str:
    return audience.kind + (f":{audience.value}" if audience.value else "")


def audience_options(console: StaffConsole) -> list[tuple[str, str]]:
    options = [("updates", "Everyone who said yes to updates")]
    options += [(f"pack:{p.id}", f"People who answered \u201c{english(p.title)}\u201d") for p in console.packs.all()]
    options += [
        (f"channel:{c}", f"People who use {CHANNEL_NAMES.get(c, c)}")
        for c in CHANNEL_NAMES
        if c in console.planner.channels
    ]
    options.append(("checkins", "People on the waiting-list check-in"))
    return options


def describe_audience(console: StaffConsole, audience: Audience) -> str:
    return dict(audience_options(console)).get(audience_key(audience), audience_key(audience))


def _read_draft(console: StaffConsole, form: FormData) -> tuple[Draft, dict[str, str]]:
    draft = Draft()
    errors: dict[str, str] = {}

    def take(name: str, reader: Any) -> Any:
        try:
            return reader()
        except fields.FieldProblem as problem:
            errors[problem.name] = problem.message
            return None

    draft.name = take("name", lambda: fields.text(form, "name", label="Name", max_length=MAX_NAME)) or ""
    for lang in console.planner.languages():
        required = lang == "en"
        label = f"What to say in {console.planner.language_name(lang)}"
        value = take(f"text_{lang}", lambda lang=lang, required=required, label=label: fields.text(
            form, f"text_{lang}", label=label, max_length=MAX_TEXT, required=required))
        if value:
            draft.texts[lang] = value
    keys = {key for key, _ in audience_options(console)}
    chosen = take("audience", lambda: fields.choice(form, "audience", label="Who", allowed=keys))
    draft.audience_key = chosen or "updates"
    draft.when = take("when", lambda: fields.choice(form, "when", label="When", allowed={"now", "later"})) or "now"
    draft.send_date = str(form.get("send_date", ""))[:10]
    draft.send_time = str(form.get("send_time", ""))[:5]
    draft.override = form.get("override") == "yes"
    return draft, errors


def _send_at(console: StaffConsole, draft: Draft, errors: dict[str, str]) -> datetime | None:
    now = console.store.now()
    if draft.when == "now":
        return now
    try:
        day = date.fromisoformat(draft.send_date)
        clock = time.fromisoformat(draft.send_time)
    except ValueError:
        errors["send_date"] = "When: give a date and a time, like 2026-12-01 and 10:00."
        return None
    moment = datetime.combine(day, clock, console.zone)
    if moment <= now:
        errors["send_date"] = "When: choose a time in the future, or choose Send now."
        return None
    if moment > now + timedelta(days=366):
        errors["send_date"] = "When: choose a time within the next year."
        return None
    return moment


async def _compose_page(
    request: Request,
    draft: Draft,
    *,
    errors: dict[str, str],
    checked: bool,
    editing: BroadcastRecord | None = None,
    status: int = 200,
) -> Response:
    console = console_of(request)
    planner = console.planner
    findings: dict[str, list[Any]] = {}
    previews: dict[str, dict[str, str]] = {}
    estimates: dict[str, Any] = {}
    people: dict[str, int] = {}
    if checked:
        for lang, text in draft.texts.items():
            findings[lang] = planner.check(text, lang, draft.audience)
            previews[lang] = planner.previews(text, lang)
            estimates[lang] = planner.sms_estimate(text, lang)
        people = await planner.audience_size(draft.audience)
    sms_people = people.get("sms", 0) + people.get("whatsapp", 0)
    return console.pages.render(
        request,
        "broadcast_form.html",
        status=status,
        draft=draft,
        errors=errors,
        checked=checked,
        editing=editing,
        findings=findings,
        has_errors=any(f.severity == "error" for found in findings.values() for f in found),
        previews=previews,
        estimates=estimates,
        people=people,
        sms_people=sms_people,
        channel_names=CHANNEL_NAMES,
        languages=planner.languages(),
        language_names={lang: planner.language_name(lang) for lang in planner.languages()},
        options=audience_options(console),
        max_text=MAX_TEXT,
        max_name=MAX_NAME,
        today=console.store.now().astimezone(console.zone).date().isoformat(),
    )


@requires_role(*SENDERS)
async def broadcasts(request: Request) -> Response:
    console = console_of(request)
    found = await console.store.broadcasts(limit=100)
    return console.pages.render(
        request, "broadcasts.html", broadcasts=found, status_words=STATUS_WORDS,
        describe=lambda b: describe_audience(console, Audience(b.audience, b.audience_value)),
    )


@requires_role(*SENDERS)
async def new_form(request: Request) -> Response:
    return await _compose_page(request, Draft(), errors={}, checked=False)


async def _save(request: Request, editing: BroadcastRecord | None) -> Response:
    console = console_of(request)
    member = await current_staff(request)
    assert member is not None
    form = form_of(request)
    draft, errors = _read_draft(console, form)
    action = str(form.get("action", "check"))
    send_at = _send_at(console, draft, errors) if action == "send" else None
    if action != "send" or errors:
        return await _compose_page(
            request, draft, errors=errors, checked=not errors, editing=editing, status=400 if errors else 200
        )
    assert send_at is not None
    blocking = [
        f for lang, text in draft.texts.items() for f in console.planner.check(text, lang, draft.audience)
        if f.severity == "error"
    ]
    if blocking and not draft.override:
        errors["override"] = "The easy-read check found problems. Fix them, or tick the box to send it as it is."
        return await _compose_page(request, draft, errors=errors, checked=True, editing=editing, status=400)
    actor = actor_of(member)
    if editing is None:
        broadcast_id = await console.store.create_broadcast(
            name=draft.name, texts=draft.texts, audience=draft.audience, send_at=send_at, actor=actor
        )
    else:
        broadcast_id = editing.id
        changed = await console.store.edit_broadcast(
            broadcast_id, name=draft.name, texts=draft.texts, audience=draft.audience, send_at=send_at, actor=actor
        )
        if not changed:
            return console.pages.refused(request, 409, "This broadcast has already started, so it cannot be changed.")
    if draft.when == "now":
        await console.planner.send_now(broadcast_id, actor)
    return RedirectResponse(f"/staff/broadcasts/{broadcast_id}", status_code=303)


@requires_role(*SENDERS)
async def create(request: Request) -> Response:
    return await _save(request, None)


@requires_role(*SENDERS)
async def check(request: Request) -> Response:
    """The live check for staff.js: findings, SMS cost and audience size for one language's words."""
    console = console_of(request)
    form = form_of(request)
    try:
        text = fields.text(form, "text", label="Words", max_length=MAX_TEXT, required=False)
        language = fields.choice(form, "language", label="Language", allowed=set(console.planner.languages()))
        keys = {key for key, _ in audience_options(console)}
        audience = audience_of(fields.choice(form, "audience", label="Who", allowed=keys))
    except fields.FieldProblem as problem:
        return JSONResponse({"error": problem.message}, status_code=400)
    if not text:
        return JSONResponse({"findings": [], "sms": None, "people": None})
    planner = console.planner
    estimate = planner.sms_estimate(text, language)
    people = await planner.audience_size(audience)
    sms_people = people.get("sms", 0) + people.get("whatsapp", 0)
    return JSONResponse({
        "findings": [
            {"severity": f.severity, "rule": f.rule, "message": f.message, "suggestion": f.suggestion}
            for f in planner.check(text, language, audience)
        ],
        "sms": {
            "segments": estimate.segments,
            "encoding": estimate.encoding,
            "characters": estimate.characters,
            "ucs2": list(estimate.ucs2_characters),
            "cost": f"{estimate.cost(sms_people):.2f}",
            "people": sms_people,
        },
        "people": sum(people.values()),
    })


async def _broadcast(request: Request) -> BroadcastRecord | None:
    raw = str(request.path_params["broadcast_id"])
    if not raw.isdigit() or len(raw) > 12:
        return None
    return await console_of(request).store.broadcast(int(raw))


@requires_role(*SENDERS)
async def detail(request: Request) -> Response:
    console = console_of(request)
    record = await _broadcast(request)
    if record is None:
        return console.pages.refused(request, 404, "There is no broadcast with that number.")
    raw = await console.store.progress(record.id)
    progress = {
        channel: {
            "queued": counts.get("pending", 0) + counts.get("sending", 0),
            "sent": counts.get("sent", 0),
            "delivered": counts.get("delivered", 0),
            "failed": counts.get("failed", 0),
            "cancelled": counts.get("cancelled", 0),
        }
        for channel, counts in sorted(raw.items())
    }
    return console.pages.render(
        request,
        "broadcast.html",
        broadcast=record,
        progress=progress,
        columns=PROGRESS_COLUMNS,
        channel_names=CHANNEL_NAMES,
        audience=describe_audience(console, Audience(record.audience, record.audience_value)),
        status_words=STATUS_WORDS,
        waiting=sum(p["queued"] for p in progress.values()),
        language_names={lang: console.planner.language_name(lang) for lang in record.texts},
        done=request.query_params.get("done"),
    )


@requires_role(*SENDERS)
async def edit_form(request: Request) -> Response:
    console = console_of(request)
    record = await _broadcast(request)
    if record is None:
        return console.pages.refused(request, 404, "There is no broadcast with that number.")
    if record.status != "scheduled":
        return console.pages.refused(request, 409, "This broadcast has already started, so it cannot be changed.")
    local = record.send_at.astimezone(console.zone)
    draft = Draft(
        name=record.name, texts=dict(record.texts), audience_key=audience_key(Audience(record.audience,
        record.audience_value)), when="later", send_date=local.date().isoformat(), send_time=local.strftime("%H:%M"),
    )
    return await _compose_page(request, draft, errors={}, checked=True, editing=record)


@requires_role(*SENDERS)
async def edit(request: Request) -> Response:
    console = console_of(request)
    record = await _broadcast(request)
    if record is None:
        return console.pages.refused(request, 404, "There is no broadcast with that number.")
    if record.status != "scheduled":
        return console.pages.refused(request, 409, "This broadcast has already started, so it cannot be changed.")
    return await _save(request, record)


@requires_role(*SENDERS)
async def cancel(request: Request) -> Response:
    console = console_of(request)
    member = await current_staff(request)
    record = await _broadcast(request)
    if record is None or member is None:
        return console.pages.refused(request, 404, "There is no broadcast with that number.")
    if not await console.store.cancel_broadcast(record.id, actor=actor_of(member)):
        return console.pages.refused(request, 409, "This broadcast has already started, so it cannot be cancelled.")
    return RedirectResponse(f"/staff/broadcasts/{record.id}?done=cancelled", status_code=303)


@requires_role(*SENDERS)
async def stop(request: Request) -> Response:
    console = console_of(request)
    member = await current_staff(request)
    record = await _broadcast(request)
    if record is None or member is None:
        return console.pages.refused(request, 404, "There is no broadcast with that number.")
    await console.store.stop_broadcast(record.id, actor=actor_of(member))
    return RedirectResponse(f"/staff/broadcasts/{record.id}?done=stopped", status_code=303)
