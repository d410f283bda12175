"""Themes: what a theme is about, its suggestion words, the questions that count towards it, and
suggestions for comments nobody has tagged yet (staff decide; nothing is tagged without them)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from bot.loop.loop import Loop
from bot.web.staff import fields
from bot.web.staff.auth import actor_of, console_of, current_staff, form_of
from bot.web.staff.loop.common import english, see
from storage.loop.records import QuestionLink
from storage.loop.themes import MAX_DESCRIPTION
from storage.staff.comments import MAX_THEME

SHOWN_SUGGESTIONS = 30


def _words(text: str) -> list[str]:
    return [w.strip() for w in text.split(",") if w.strip()]


def question_options(loop: Loop) -> list[tuple[str, str]]:
    """("pack/question", "Pack title: question words") for every question a theme can link to."""
    return [
        (f"{pack.id}/{question.id}", f"{english(pack.title)}: {english(question.text)}")
        for pack in loop.packs.all()
        for question in pack.questions
    ]


async def _render(request: Request, loop: Loop, *, status: int = 200, problem: str | None = None) -> Response:
    console = console_of(request)
    suggestions = await loop.suggestions()
    return console.pages.render(
        request, "loop_themes.html", status=status, themes=await loop.store.themes(),
        suggestions=suggestions[:SHOWN_SUGGESTIONS], more_suggestions=max(len(suggestions) - SHOWN_SUGGESTIONS, 0),
        questions=question_options(loop), question_words=dict(question_options(loop)), problem=problem,
        max_theme=MAX_THEME, max_description=MAX_DESCRIPTION,
    )


async def listing(request: Request, loop: Loop) -> Response:
    return await _render(request, loop)


async def create(request: Request, loop: Loop) -> Response:
    member = await current_staff(request)
    assert member is not None
    form = form_of(request)
    try:
        name = fields.text(form, "name", label="Name", max_length=MAX_THEME)
        description = fields.text(form, "description", label="What it is about", max_length=MAX_DESCRIPTION,
                                  required=False)
        keywords = _words(fields.text(form, "keywords", label="Words", max_length=1000, required=False))
        await loop.store.create_theme(name, description=description, keywords=keywords, actor=actor_of(member))
    except (fields.FieldProblem, ValueError) as problem:
        return await _render(request, loop, status=400, problem=str(problem))
    return see("/staff/themes")


async def edit(request: Request, loop: Loop) -> Response:
    member = await current_staff(request)
    assert member is not None
    form = form_of(request)
    try:
        description = fields.text(form, "description", label="What it is about", max_length=MAX_DESCRIPTION,
                                  required=False)
        keywords = _words(fields.text(form, "keywords", label="Words", max_length=1000, required=False))
        changed = await loop.store.edit_theme(
            request.path_params["theme_id"], description=description, keywords=keywords, actor=actor_of(member)
        )
    except (fields.FieldProblem, ValueError) as problem:
        return await _render(request, loop, status=400, problem=str(problem))
    if not changed:
        return console_of(request).pages.refused(request, 404, "That theme is not there any more.")
    return see(f"/staff/themes#theme-{request.path_params['theme_id']}")


async def link(request: Request, loop: Loop) -> Response:
    member = await current_staff(request)
    assert member is not None
    form = form_of(request)
    theme_id = request.path_params["theme_id"]
    try:
        which = fields.choice(form, "question", label="Question", allowed={key for key, _ in question_options(loop)})
        values_text = fields.text(form, "values", label="Answers", max_length=400, required=False)
    except fields.FieldProblem as problem:
        return await _render(request, loop, status=400, problem=problem.message)
    pack_id, question_id = which.split("/", 1)
    pack = loop.packs.get(pack_id)
    question = pack.question(question_id) if pack else None
    if question is None:  # the pack changed since the form was drawn
        gone = "That question is no longer in its pack. Please choose again."
        return await _render(request, loop, status=400, problem=gone)
    values = tuple(_words(values_text)) or None
    allowed = {c.value for c in question.choices} | ({"yes", "no"} if question.kind.value == "yesno" else set())
    if values and allowed and not set(values) <= allowed:
        return await _render(request, loop, status=400,
                             problem=f"Answers: use some of {', '.join(sorted(allowed))}, or leave it empty for all.")
    try:
        await loop.store.link_question(theme_id, QuestionLink(pack_id, question_id, values), actor=actor_of(member))
    except LookupError:
        return console_of(request).pages.refused(request, 404, "That theme is not there any more.")
    return see(f"/staff/themes#theme-{theme_id}")


async def unlink(request: Request, loop: Loop) -> Response:
    member = await current_staff(request)
    assert member is not None
    form = form_of(request)
    theme_id = request.path_params["theme_id"]
    which = str(form.get("question", ""))
    pack_id, _, question_id = which.partition("/")
    await loop.store.unlink_question(theme_id, pack_id, question_id, actor=actor_of(member))
    return see(f"/staff/themes#theme-{theme_id}")


async def tag(request: Request, loop: Loop) -> Response:
    """Accept a suggestion: put the comment in the theme."""
    member = await current_staff(request)
    assert member is not None
    form = form_of(request)
    try:
        kind = fields.choice(form, "kind", label="Kind", allowed={"answer", "message"})
        comment_id = fields.number(form, "id", label="Comment", low=1, high=2**62)
        theme = fields.text(form, "theme", label="Theme", max_length=MAX_THEME)
        await loop.store.tag(kind, comment_id, theme, actor=actor_of(member))
    except fields.FieldProblem as problem:
        return console_of(request).pages.refused(request, 400, problem.message)
    except (LookupError, ValueError):
        return console_of(request).pages.refused(request, 404, "That comment is not there any more.")
    return see("/staff/themes#suggestions")


async def adopt(request: Request, loop: Loop) -> Response:
    member = await current_staff(request)
    assert member is not None
    await loop.store.adopt_tags(actor=actor_of(member))
    return see("/staff/themes")
