"""`GET /you-said-we-did`: every published action, newest first, filterable by theme, in the reader's
language; `GET /you-said-we-did/poster`: the same (or one action) as easy-read posters, one a printed page.

    routes = public_routes(loop)       # in bot/app/wiring.py, beside the other routes

Query: `theme` (a theme id), `lang` (a language some pack speaks), `action` (poster: one action's id).
Unknown values are ignored rather than refused: a mistyped link still shows the page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot.content.words import loop_words
from bot.loop.loop import Loop
from bot.web.public.page import public_actions

PATH = "/you-said-we-did"
TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"
CACHE = {"Cache-Control": "public, max-age=60"}  # published words change rarely; a minute is fresh enough


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


def public_routes(loop: Loop) -> list[BaseRoute]:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    words = loop_words()

    def language(request: Request) -> str:
        asked = request.query_params.get("lang", "")
        return asked if asked in loop.languages else loop.languages[0]

    async def shown(request: Request) -> tuple[str, int | None, list[tuple[int, str]], list[Any]]:
        lang = language(request)
        themes = await loop.store.public_themes()
        theme_id = _number(request.query_params.get("theme"))
        if theme_id not in {t for t, _ in themes}:
            theme_id = None
        actions = await loop.store.actions(published=True, theme_id=theme_id)
        items = public_actions(actions, lang, words=words, symbols=loop.symbols, threshold=loop.threshold)
        return lang, theme_id, themes, items

    def render(template: str, lang: str, **context: object) -> Response:
        def w(key: str, **values: object) -> str:
            return words.get(key, lang, **values)

        def w_lang(key: str) -> str:
            return words.language_of(key, lang)

        html = env.get_template(template).render(
            lang=lang, w=w, w_lang=w_lang, path=PATH, static=f"{PATH}/static", **context
        )
        return HTMLResponse(html, headers=CACHE)

    def link(**query: object) -> str:
        kept = {k: v for k, v in query.items() if v not in (None, "")}
        return PATH + ("?" + urlencode(kept) if kept else "")

    async def page(request: Request) -> Response:
        lang, theme_id, themes, items = await shown(request)
        languages = [
            (code, loop.composer.texts.language_name(code), link(theme=theme_id, lang=code))
            for code in loop.languages
        ]
        return render(
            "list.html", lang, actions=items, themes=themes, theme_id=theme_id, languages=languages,
            poster_link=link(theme=theme_id, lang=lang).replace(PATH, f"{PATH}/poster", 1),
            poster_one=lambda action_id: f"{PATH}/poster?" + urlencode({"action": action_id, "lang": lang}),
        )

    async def poster(request: Request) -> Response:
        lang, _, _, items = await shown(request)
        one = _number(request.query_params.get("action"))
        if one is not None:
            items = [item for item in items if item.id == one]
        return render("poster.html", lang, actions=items, back=link(lang=lang))

    return [
        Route(PATH, page, methods=["GET"]),
        Route(f"{PATH}/poster", poster, methods=["GET"]),
        Mount(f"{PATH}/static", app=StaticFiles(directory=str(STATIC)), name="public-static"),
    ]
