"""People who would like to help shape the service, by pseudonym only, and invitations to them through the
bot: staff write the invitation and the next step (a meeting, a number to call); the bot carries both, so
staff never see anyone's number."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from bot.loop.loop import Loop, LoopProblem
from bot.web.staff.auth import actor_of, console_of, current_staff, form_of
from bot.web.staff.loop.common import CHANNEL_NAMES, findings_by_place, language_names, see, texts_by_language
from storage.loop.involvement import MAX_TEXT

SHOWN = 500


async def _render(request: Request, loop: Loop, *, status: int = 200, **extra: object) -> Response:
    people, total = await loop.involved(limit=SHOWN)
    packs = {p.id: p for p in loop.packs.all()}
    return console_of(request).pages.render(
        request, "loop_involvement.html", status=status, people=people, total=total, shown=SHOWN,
        pack_names={pid: (p.title.get("en") or next(iter(p.title.values()))) for pid, p in packs.items()},
        channel_names=CHANNEL_NAMES, invitations=await loop.store.invitations(), languages=loop.languages,
        language_names=language_names(loop), max_text=MAX_TEXT,
        sent=request.query_params.get("sent"), **({"errors": {}, "findings": [], "draft": {}} | extra),
    )


async def listing(request: Request, loop: Loop) -> Response:
    return await _render(request, loop)


async def invite(request: Request, loop: Loop) -> Response:
    member = await current_staff(request)
    assert member is not None
    form = form_of(request)
    errors: dict[str, str] = {}
    texts = texts_by_language(form, "text", loop, label="Invitation", max_length=MAX_TEXT, errors=errors)
    next_step = texts_by_language(form, "next", loop, label="Next step", max_length=MAX_TEXT, errors=errors)
    chosen = None
    if form.get("who") == "chosen":
        chosen = [int(str(v)) for v in form.getlist("person") if str(v).isdigit()]
        if not chosen:
            errors["who"] = "Who: tick at least one person, or choose everyone listed."
    draft = {"texts": texts, "next": next_step}
    if errors:
        return await _render(request, loop, status=400, errors=errors, draft=draft)
    try:
        _, plan, _ = await loop.invite(texts=texts, next_step=next_step, participant_ids=chosen, actor=actor_of(member))
    except LoopProblem as problem:
        return await _render(request, loop, status=400, errors={"words": problem.message},
                             findings=findings_by_place(problem.findings), draft=draft)
    except ValueError as problem:
        return await _render(request, loop, status=400, errors={"words": str(problem)}, draft=draft)
    return see(f"/staff/involvement?sent={plan.total}")
