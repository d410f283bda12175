"""Recurring check-ins: how often, on which day, at what time (a form, no cron), the reminder's words,
and when they go next. A schedule written in cron syntax still works (the "Advanced" box, and
`said checkin set --cron`); the list shows every schedule in words where it can."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from bot.loop.cron import CronProblem, upcoming
from bot.loop.loop import Loop, LoopProblem
from bot.loop.schedule import DAY_NAMES, DAYS, NTH, OFTEN, ScheduleProblem, describe, from_cron, from_form
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
        words={s.id: _sentence(describe(s.cron)) for s in schedules},
        office={s.id: _office(loop, s.cron) for s in schedules},
        often=OFTEN, days=list(zip(DAYS, DAY_NAMES, strict=True)),
        which=[(str(n), word.capitalize()) for n, (_, word) in NTH.items()],
        default=loop.default_every(),
        packs=[(p.id, english(p.title)) for p in loop.packs.all()], languages=loop.languages,
        language_names=language_names(loop), max_name=MAX_NAME, max_cron=MAX_CRON, max_text=MAX_REMINDER,
        **({"errors": {}, "findings": [], "draft": {}} | extra),
    )


def _sentence(words: str) -> str:
    return words[:1].upper() + words[1:]


def _office(loop: Loop, cron: str) -> str | None:
    every = from_cron(cron)
    return loop.office_warning(every) if every is not None else None


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
    except fields.FieldProblem as problem:
        errors[problem.name] = problem.message
    for name in ("every", "day", "which", "time", "cron"):
        draft[name] = str(form.get(name, "")).strip()
    cron = str(draft["cron"])  # the advanced box: a schedule written by hand wins over the choices
    if len(cron) > MAX_CRON:
        errors["cron"] = f"Keep the schedule to {MAX_CRON} characters."
    elif not cron:
        try:
            cron = from_form(str(draft["every"]), str(draft["day"]), str(draft["which"]), str(draft["time"])).cron()
        except ScheduleProblem as problem:
            errors[problem.field] = problem.message
    texts = texts_by_language(form, "text", loop, label="Reminder", max_length=MAX_REMINDER, errors=errors)
    draft["texts"] = texts
    if errors:
        return await _render(request, loop, status=400, errors=errors, draft=draft)
    try:
        await loop.save_checkin(name=str(draft["name"]), pack_id=str(draft["pack"]), cron=cron,
                                texts=texts, active=form.get("active") == "on", actor=actor_of(member))
    except LoopProblem as problem:
        place = f"text_{loop.languages[0]}" if problem.findings else ("cron" if draft["cron"] else "time")
        return await _render(request, loop, status=400, errors={place: problem.message},
                             findings=findings_by_place(problem.findings), draft=draft)
    except ValueError as problem:
        return await _render(request, loop, status=400, errors={"name": str(problem)}, draft=draft)
    return see("/staff/checkins")
