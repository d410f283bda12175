""""You said … We did …": record an action in easy-read words, see what people will get, publish it and
watch everyone who raised it hear about it (and what they answered)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from bot.loop.loop import Loop, LoopProblem
from bot.web.staff import fields
from bot.web.staff.auth import actor_of, console_of, current_staff, form_of
from bot.web.staff.loop.common import findings_by_place, language_names, see, texts_by_language
from storage.loop.actions import MAX_WORDS
from storage.loop.records import Action
from storage.loop.tables import ACTION_STATUSES

STATUS_WORDS = {
    "done": "Done: we did this",
    "in_progress": "We are doing this now",
    "planned": "We are going to do this",
    "not_possible": "We cannot do this, and say why",
}
PROGRESS_WORDS = (("pending", "Waiting to send"), ("sending", "Sending"), ("sent", "Sent"),
                  ("delivered", "Delivered"), ("failed", "Could not send"), ("cancelled", "Not sent (stopped)"),
                  ("finished", "Sent a while ago"))
ANSWER_WORDS = (("up", "👍 Helpful"), ("down", "👎 Not helpful"), ("more", "💬 Told us more"))


@dataclass
class Draft:
    you_said: dict[str, str] = field(default_factory=dict)
    we_did: dict[str, str] = field(default_factory=dict)
    status: str = "done"
    symbol: str = "thumbs_up"
    happened_on: str = ""
    theme_ids: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, action: Action) -> Draft:
        return cls(dict(action.you_said), dict(action.we_did), action.status, action.symbol,
                   action.happened_on.isoformat(), [t for t, _ in action.themes])


def _read(form: Any, loop: Loop) -> tuple[Draft, dict[str, str]]:
    errors: dict[str, str] = {}
    draft = Draft()
    draft.you_said = texts_by_language(form, "you_said", loop, label="You said", max_length=MAX_WORDS, errors=errors)
    draft.we_did = texts_by_language(form, "we_did", loop, label="We did", max_length=MAX_WORDS, errors=errors)
    try:
        draft.status = fields.choice(form, "status", label="Status", allowed=set(ACTION_STATUSES))
    except fields.FieldProblem as problem:
        errors[problem.name] = problem.message
    try:
        draft.symbol = fields.choice(form, "symbol", label="Symbol", allowed=set(loop.symbols.names()))
    except fields.FieldProblem as problem:
        errors[problem.name] = problem.message
    draft.happened_on = str(form.get("happened_on", ""))
    try:
        date.fromisoformat(draft.happened_on)
    except ValueError:
        errors["happened_on"] = "Date: choose the date it happened (or will happen)."
    draft.theme_ids = [int(v) for v in form.getlist("theme") if str(v).isdigit()]
    if not draft.theme_ids:
        errors["theme"] = "Themes: choose at least one theme."
    return draft, errors


async def _form(request: Request, loop: Loop, draft: Draft, *, editing: Action | None = None,
                errors: dict[str, str] | None = None, findings: Any = None, status: int = 200) -> Response:
    return console_of(request).pages.render(
        request, "loop_action_form.html", status=status, draft=draft, editing=editing, errors=errors or {},
        findings=findings_by_place(findings or {}), languages=loop.languages, language_names=language_names(loop),
        statuses=STATUS_WORDS, symbols=[(s.name, s.emoji) for s in loop.symbols.symbols.values()],
        themes=await loop.store.themes(), max_words=MAX_WORDS,
    )


async def listing(request: Request, loop: Loop) -> Response:
    return console_of(request).pages.render(
        request, "loop_actions.html", actions=await loop.store.actions(), statuses=STATUS_WORDS,
    )


async def new_form(request: Request, loop: Loop) -> Response:
    return await _form(request, loop, Draft(happened_on=loop.store.now().astimezone(loop.zone).date().isoformat()))


async def create(request: Request, loop: Loop) -> Response:
    member = await current_staff(request)
    assert member is not None
    draft, errors = _read(form_of(request), loop)
    if errors:
        return await _form(request, loop, draft, errors=errors, status=400)
    try:
        action_id, _ = await loop.create_action(
            you_said=draft.you_said, we_did=draft.we_did, status=draft.status, symbol=draft.symbol,
            happened_on=date.fromisoformat(draft.happened_on), theme_ids=draft.theme_ids, actor=actor_of(member),
        )
    except LoopProblem as problem:
        return await _form(request, loop, draft, errors={"words": problem.message}, findings=problem.findings,
                           status=400)
    except ValueError as problem:
        return await _form(request, loop, draft, errors={"words": str(problem)}, status=400)
    return see(f"/staff/actions/{action_id}")


async def edit_form(request: Request, loop: Loop) -> Response:
    action = await loop.store.action(request.path_params["action_id"])
    if action is None:
        return console_of(request).pages.refused(request, 404, "That action is not there.")
    return await _form(request, loop, Draft.of(action), editing=action)


async def edit(request: Request, loop: Loop) -> Response:
    member = await current_staff(request)
    assert member is not None
    action = await loop.store.action(request.path_params["action_id"])
    if action is None:
        return console_of(request).pages.refused(request, 404, "That action is not there.")
    draft, errors = _read(form_of(request), loop)
    if errors:
        return await _form(request, loop, draft, editing=action, errors=errors, status=400)
    try:
        await loop.edit_action(
            action.id, you_said=draft.you_said, we_did=draft.we_did, status=draft.status, symbol=draft.symbol,
            happened_on=date.fromisoformat(draft.happened_on), theme_ids=draft.theme_ids, actor=actor_of(member),
        )
    except LoopProblem as problem:
        return await _form(request, loop, draft, editing=action, errors={"words": problem.message},
                           findings=problem.findings, status=400)
    return see(f"/staff/actions/{action.id}")


async def detail(request: Request, loop: Loop) -> Response:
    action = await loop.store.action(request.path_params["action_id"])
    if action is None:
        return console_of(request).pages.refused(request, 404, "That action is not there.")
    progress = await loop.store.progress(action.id)
    raised = action.raised_by if action.raised_by is not None else await loop.store.raised_by(action.id)
    return console_of(request).pages.render(
        request, "loop_action.html", action=action, statuses=STATUS_WORDS,
        # Small numbers are suppressed here as in every report: a count of 2 can point at a family.
        raised_words=f"fewer than {loop.threshold}" if raised < loop.threshold else f"{raised:,}",
        previews=[(language_names(loop).get(lang, lang), loop.preview(action, lang)) for lang in action.languages],
        progress=[(label, progress.statuses.get(key, 0)) for key, label in PROGRESS_WORDS
                  if progress.statuses.get(key)],
        answers=[(label, progress.answers.get(key, 0)) for key, label in ANSWER_WORDS], words=progress.words,
        published=request.query_params.get("published"), unreachable=request.query_params.get("unreachable"),
    )


async def publish(request: Request, loop: Loop) -> Response:
    member = await current_staff(request)
    assert member is not None
    action_id = request.path_params["action_id"]
    try:
        plan = await loop.publish(action_id, actor=actor_of(member))
    except LookupError:
        return console_of(request).pages.refused(request, 404, "That action is not there.")
    except LoopProblem as problem:
        return console_of(request).pages.refused(request, 400, f"{problem.message} Change the words, then publish.")
    return see(f"/staff/actions/{action_id}?published={plan.total}&unreachable={plan.unreachable}")


async def withdraw(request: Request, loop: Loop) -> Response:
    member = await current_staff(request)
    assert member is not None
    await loop.store.withdraw(request.path_params["action_id"], actor=actor_of(member))
    return see(f"/staff/actions/{request.path_params['action_id']}")
