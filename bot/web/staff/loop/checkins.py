"""Recurring check-ins: the schedules staff can change (cron), the reminder's words, and when they go next."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from bot.loop.cron import CronProblem, upcoming
from bot.loop.loop import Loop, LoopProblem
from bot.web.staff import fields
from bot.web.staff.auth import actor_of, console_of, current_staff, form_of
from bot.web.staff.loop.common import english, findings_by_place, language_names, see, texts_by_language
from storage.loop.checkins import MAX_CRON, MAX_NAME

MAX_REMINDER = 400


def _next(loop: Loop, cron: str) -> list[str]:
    try:
        return [f"{moment.astimezone(loop.zone):%a %d %b %Y, %H:%M}" for moment in
                upcoming(cron, loop.store.now(), loop.zone)]
    except CronProblem:
        return []


async def _render(request: Request, loop: Loop, *, status: int = 200, **extra: object) -> Response:
    schedules = await loop.store.checkins()
    return console_of(request).pages.render(
        request, "loop_checkins.html", status=status, schedules=schedules,
        next_times={s.id: _next(loop, s.cron) if s.active else [] for s in schedules},
        packs=[(p.id, english(p.title)) for p in loop.packs.all()], languages=loop.languages,
        language_names=language_names(loop), max_name=MAX_NAME, max_cron=MAX_CRON, max_text=MAX_REMINDER,
        **({"errors": {}, "findings": [], "draft": {}} | extra),
    )


async def listing(request: Request, loop: Loop) -> Response:
    return await _render(request, loop)


async def save(request: Request, loop: Loop) -> Response:
    member = await current_staff(request)
    assert member is not None
    form = form_of(request)
    errors: dict[str, str] = {}
    draft: dict[str, object] = {}
    try:
        draft["name"] = fields.text(form, "name", label="Name", max_length=MAX_NAME)
        draft["pack"] = fields.choice(form, "pack", label="Questions", allowed={p.id for p in loop.packs.all()})
        draft["cron"] = fields.text(form, "cron", label="When", max_length=MAX_CRON)
    except fields.FieldProblem as problem:
        errors[problem.name] = problem.message
    texts = texts_by_language(form, "text", loop, label="Reminder", max_length=MAX_REMINDER, errors=errors)
    draft["texts"] = texts
    if errors:
        return await _render(request, loop, status=400, errors=errors, draft=draft)
    try:
        await loop.save_checkin(name=str(draft["name"]), pack_id=str(draft["pack"]), cron=str(draft["cron"]),
                                texts=texts, active=form.get("active") == "on", actor=actor_of(member))
    except LoopProblem as problem:
        return await _render(request, loop, status=400, errors={"cron": problem.message},
                             findings=findings_by_place(problem.findings), draft=draft)
    except ValueError as problem:
        return await _render(request, loop, status=400, errors={"name": str(problem)}, draft=draft)
    return see("/staff/checkins")
