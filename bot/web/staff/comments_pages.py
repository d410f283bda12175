"""Reading written answers and general messages, and tagging them into themes.

Comments are shown as text: the templates escape everything, so a comment holding HTML or a script is
displayed, never run.
"""

from __future__ import annotations

import math
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.web.staff import fields
from bot.web.staff.auth import THEME_EDITORS, actor_of, console_of, current_staff, form_of, requires_role, safe_next
from bot.web.staff.results import CHANNEL_NAMES, english
from storage.staff.comments import MAX_THEME, tidy_theme

PER_PAGE = 25


def _query(request: Request, name: str, limit: int = 60) -> str | None:
    value = request.query_params.get(name, "").strip()
    return value[:limit] or None


@requires_role()
async def comments(request: Request) -> Response:
    console = console_of(request)
    pack_id = _query(request, "pack", 40)
    question_id = _query(request, "question", 40)
    theme = _query(request, "theme", MAX_THEME)
    pack = console.packs.get(pack_id)
    if pack_id and pack is None:
        pack_id = None
    first = await console.store.comment_answers(
        pack_id=pack_id, question_id=question_id, theme=theme, limit=1, offset=0
    )
    pages = max(1, math.ceil(first[1] / PER_PAGE))
    page = fields.page_number(request.query_params.get("page"), pages=pages)
    found, total = await console.store.comment_answers(
        pack_id=pack_id, question_id=question_id, theme=theme, limit=PER_PAGE, offset=(page - 1) * PER_PAGE
    )
    questions = {
        (p.id, q.id): english(q.text) for p in console.packs.all() for q in p.questions if q.kind.value == "text"
    }
    return console.pages.render(
        request,
        "comments.html",
        kind="answer",
        comments=found,
        total=total,
        page=page,
        pages=pages,
        packs=[(p.id, english(p.title)) for p in console.packs.all()],
        pack_id=pack_id,
        question_id=question_id,
        theme=theme,
        questions=questions,
        themes=await console.store.themes(),
        channel_names=CHANNEL_NAMES,
        back=request.url.path + ("?" + request.url.query if request.url.query else ""),
        page_link=lambda n: "?" + urlencode({k: v for k, v in (
            ("pack", pack_id), ("question", question_id), ("theme", theme), ("page", n)) if v}),
    )


@requires_role()
async def messages(request: Request) -> Response:
    console = console_of(request)
    theme = _query(request, "theme", MAX_THEME)
    first = await console.store.comment_messages(theme=theme, limit=1, offset=0)
    pages = max(1, math.ceil(first[1] / PER_PAGE))
    page = fields.page_number(request.query_params.get("page"), pages=pages)
    found, total = await console.store.comment_messages(theme=theme, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    return console.pages.render(
        request,
        "comments.html",
        kind="message",
        comments=found,
        total=total,
        page=page,
        pages=pages,
        theme=theme,
        themes=await console.store.themes(),
        channel_names=CHANNEL_NAMES,
        back=request.url.path + ("?" + request.url.query if request.url.query else ""),
        page_link=lambda n: "?" + urlencode({k: v for k, v in (("theme", theme), ("page", n)) if v}),
    )


async def _change_tag(request: Request, *, add: bool) -> Response:
    console = console_of(request)
    member = await current_staff(request)
    assert member is not None
    form = form_of(request)
    back = safe_next(str(form.get("back", "")))
    try:
        kind = fields.choice(form, "kind", label="Kind", allowed={"answer", "message"})
        comment_id = fields.number(form, "id", label="Comment", low=1, high=2**62)
        theme = tidy_theme(fields.text(form, "theme", label="Theme", max_length=MAX_THEME))
    except fields.FieldProblem as problem:
        return console.pages.refused(request, 400, problem.message)
    except ValueError as problem:
        return console.pages.refused(request, 400, f"Theme: {problem}.")
    try:
        if add:
            await console.store.tag(kind, comment_id, theme, actor=actor_of(member))  # type: ignore[arg-type]
        else:
            await console.store.untag(kind, comment_id, theme, actor=actor_of(member))  # type: ignore[arg-type]
    except LookupError:
        return console.pages.refused(request, 404, "That comment is not there any more.")
    anchor = f"#{kind}-{comment_id}"
    return RedirectResponse(back.split("#")[0] + anchor, status_code=303)


@requires_role(*THEME_EDITORS)
async def tag(request: Request) -> Response:
    return await _change_tag(request, add=True)


@requires_role(*THEME_EDITORS)
async def untag(request: Request) -> Response:
    return await _change_tag(request, add=False)
