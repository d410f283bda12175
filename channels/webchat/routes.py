"""The web chat's HTTP side: `GET /chat`, `POST /chat`, `POST /chat/new` and `/chat/static`.

Post-redirect-get without JavaScript; with `Accept: application/json` a post answers
`{"html": <new turns>, "turn": n, "csrf": token, "label": ..., "label_lang": ..., "replace": bool}`
(`replace`: a new session began, so the new turns replace the old ones).

The session token in the cookie is the person's address on this channel: it goes to the service and
the transcript store, and never into a log line, an error page or a response body.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot.messages import Channel, Inbound, Reply, Say
from channels.body import BodyTooLarge, read_body
from channels.webchat.form import MAX_BODY, ChatForm, FormError, parse_form
from channels.webchat.locks import SessionLocks
from channels.webchat.ports import ChatService, Kept, Transcripts
from channels.webchat.render import STATIC_DIR, Renderer, compose_label_key
from channels.webchat.session import COOKIE_NAME, COOKIE_PATH, CsrfSigner, looks_like_token, new_token
from channels.webchat.symbols import SymbolImages, SymbolUrls
from channels.webchat.turns import (
    Message,
    Turn,
    bot_turn,
    current_ask,
    find_choice,
    last_language,
    next_number,
    note_message,
    numbered,
    person_text,
    person_turn,
    reply_language,
    reply_messages,
    say_message,
)
from channels.webchat.words import OFFER_WELSH, words_for

log = logging.getLogger("said.webchat")
# The page's own words the script swaps when the language changes (data-word in chat.html).
FURNITURE = ("skip", "heading", "new_chat", "conversation", "max_letters", "send", "footer", "you_said_we_did")

COOKIE_MAX_AGE = 30 * 24 * 3600  # the store decides when a chat has ended; the cookie just outlives it
# "1" once this browser's chat has been stored (at its first answer). Says nothing about the person; it
# only tells an ended chat (say so) from a page that was viewed but never answered (nothing to say).
STARTED_COOKIE = "said_chat_started"
_SECURITY_HEADERS = {
    # Everything is ours: no CDN, no inline script, no framing by other sites' forms.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    # A chat can be private: a shared computer's back button or cache must not show it to the next person.
    "Cache-Control": "no-store",
}


class _Refused(Exception):
    def __init__(self, message_key: str, status: int) -> None:
        super().__init__(message_key)
        self.message_key = message_key
        self.status = status


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


async def _read_form(request: Request) -> ChatForm:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        raise _Refused("error_form", 400)
    try:
        body = await read_body(request, limit=MAX_BODY)
    except BodyTooLarge:
        raise _Refused("error_too_big", 413) from None
    try:
        return parse_form(body)
    except FormError as exc:
        raise _Refused("error_form", 400) from exc


class WebChat:
    def __init__(
        self,
        service: ChatService,
        transcripts: Transcripts,
        *,
        secure_cookies: bool,
        csrf_secret: bytes,
        symbols: SymbolUrls | None = None,
        privacy: Mapping[str, str] | None = None,
    ) -> None:
        self.service = service
        self.transcripts = transcripts
        self.secure_cookies = secure_cookies
        self.signer = CsrfSigner(csrf_secret)
        # The web chat's one sentence about what we keep, by language (prompts/channels.yaml).
        self.privacy = dict(privacy or {})
        self.renderer = Renderer(symbols, self.privacy)
        self.locks = SessionLocks()

    # -- HTTP handlers -------------------------------------------------------------------------

    async def show(self, request: Request) -> Response:
        return await self._guarded(self._show, request)

    async def post(self, request: Request) -> Response:
        return await self._guarded(self._post, request)

    async def restart(self, request: Request) -> Response:
        return await self._guarded(self._restart, request)

    async def _guarded(self, handler: Callable[[Request], Awaitable[Response]], request: Request) -> Response:
        """A kind page whatever happens: a refused post, or the store or service failing behind us."""
        try:
            return await handler(request)
        except _Refused as refused:
            return self._refuse(refused, await self._language(request))
        except Exception as exc:
            # Only the type: a storage error's message can quote what it was looking up.
            log.error("web chat: %s %s failed with %s", request.method, request.url.path, type(exc).__name__)
            return self._refuse(_Refused("error_busy", 503))

    async def _show(self, request: Request) -> Response:
        old = self._cookie_token(request)
        turns = await self.transcripts.load(old) if old else None
        if old is not None and turns is not None:
            return self._page(old, turns, new_cookie=False)
        if old is not None and not self._had_chat(request):
            # A token we issued for a page view whose chat never began: nothing was stored, nothing ended.
            return self._page(old, await self._welcome(expired=False), new_cookie=False)
        # No chat yet, or a chat the store no longer has (say so). Nothing is stored until the first answer:
        # a page view, a crawler or a link preview makes no participant, vault entry or session.
        token = new_token()
        return self._page(token, await self._welcome(expired=old is not None), new_cookie=True, ended=True)

    async def _post(self, request: Request) -> Response:
        form = await _read_form(request)
        token = self._checked_token(request, form)
        async with self.locks.hold(token):
            turns = await self.transcripts.load(token)
            if turns is None and self._had_chat(request):
                # The store forgot this chat (expired): nothing from the old one is processed.
                token = new_token()
                fresh = await self._welcome(expired=True)
                return self._answer(request, token, fresh, before=[], replace=True, new_cookie=True, ended=True)
            if turns is None:
                # The first post from a page whose welcome was never stored (its CSRF token shows it is a
                # page we served): the chat is stored from here on.
                welcome = await self._welcome(expired=False)
                await self._store(token, welcome)
                new_turns, _ = await self._take_turn(token, welcome, form)
                return self._answer(
                    request, token, new_turns, before=welcome, replace=False, new_cookie=False, started=True
                )
            new_turns, kept = await self._take_turn(token, turns, form)
            if new_turns and not kept:
                # FORGET ME took the chat with it: the person's words go into a new chat at once, so
                # the next message they send is answered, not met with "your last chat had ended".
                return await self._forgotten(request, new_turns)
        return self._answer(request, token, new_turns, before=turns, replace=False, new_cookie=False)

    async def _forgotten(self, request: Request, new_turns: list[Turn]) -> Response:
        token = new_token()
        await self.transcripts.start(token)
        said = [m for turn in new_turns if turn.get("who") == "bot" for m in turn.get("messages") or ()]
        lang = last_language([bot_turn(0, said)])
        said.extend(reply_messages(await self.service.menu(lang, Channel.WEB), lang, menu=True))
        fresh = [bot_turn(0, said)]
        await self.transcripts.append(token, fresh[0])
        log.info("web chat: a forgotten chat was replaced by a new one")
        return self._answer(request, token, fresh, before=[], replace=True, new_cookie=True)

    async def _restart(self, request: Request) -> Response:
        form = await _read_form(request)
        self._checked_token(request, form)
        token = new_token()
        turns = await self._welcome(expired=False)
        return self._answer(request, token, turns, before=[], replace=True, new_cookie=True, ended=True)

    # -- conversation --------------------------------------------------------------------------

    async def _welcome(self, *, expired: bool) -> list[Turn]:
        """A chat's first turn: a welcome (after a note if the last chat had ended) and the packs to pick.
        Made for every page view; stored only when the person first answers."""
        words = words_for(None)
        messages: list[Message] = []
        if expired:
            messages.append(note_message(words["expired"], words.lang_of("expired")))
        welcome = " ".join(w for w in (words["welcome"], self.privacy.get("en", "")) if w)
        messages.append(say_message(Say(text=welcome, emoji="👋"), words.lang_of("welcome")))
        messages.append(note_message(OFFER_WELSH, "cy"))
        messages.extend(reply_messages(await self.service.menu(None, Channel.WEB), "en", menu=True))
        return [bot_turn(0, messages)]

    async def _store(self, token: str, turns: list[Turn]) -> None:
        await self.transcripts.start(token)
        for turn in turns:
            await self.transcripts.append(token, turn)
        log.info("web chat: a new session began with its first answer")

    async def _take_turn(self, token: str, turns: list[Turn], form: ChatForm) -> tuple[list[Turn], bool]:
        """The turns this post added, and whether the chat is still stored afterwards (FORGET ME ends it)."""
        n = next_number(turns)
        words = words_for(last_language(turns))
        # Our pages always say which turn they answer; a client that does not say is taken at its word.
        if form.turn is not None and form.turn != n:
            if self._repeats(turns, form):
                return [], True  # a double submit of what was just processed: show where we are
            new = [bot_turn(n, [note_message(words["moved_on"], words.lang_of("moved_on"))])]
        elif form.is_empty:
            new = [bot_turn(n, [note_message(words["empty"], words.lang_of("empty"))])]
        else:
            new, kept = await self._converse(token, turns, form, n)
            if kept is not Kept.NOT_KEPT:
                return new, kept is Kept.ADDED
        added = await self.transcripts.append_new(token, new)
        if added is False:
            # The same submit reached another process first: its turns are stored; show where we are.
            return [], True
        # None: the chat is no longer stored (FORGET ME took it); the turns are shown all the same.
        return new, added is not None

    async def _converse(self, token: str, turns: list[Turn], form: ChatForm, n: int) -> tuple[list[Turn], Kept]:
        """The person's turn and the answer's, stored with the answer when the service could."""
        lang = last_language(turns)
        words = words_for(lang)
        shown, emoji = _shown(turns, form)
        inbound = Inbound(
            # A tapped choice also carries its words, as if typed; a pack button carries none.
            text=form.text or (shown if form.choice else ""),
            channel=Channel.WEB,
            received_at=datetime.now(UTC),
            choice=form.choice if form.start is None else None,
            start_pack=form.start,
            provider_id=self.signer.provider_id(token, n),
        )
        notes: list[Message] = []
        if form.truncated:
            notes.append(note_message(words["too_long"], words.lang_of("too_long")))
        made: list[list[Turn]] = []

        async def turns_for(reply: Reply) -> list[Turn]:
            made.append([person_turn(n, shown, emoji), bot_turn(n + 1, notes + await self._said(reply, lang))])
            return made[-1]

        try:
            reply, kept = await self.service.answer(token, inbound, turns_for)
            if kept is Kept.NOT_KEPT:
                return await turns_for(reply), kept  # what the person is told: a "sorry", or the answer given before
            return made[-1], kept
        except Exception as exc:  # the person must get a kind answer whatever broke behind us
            log.error("web chat: the service failed with %s", type(exc).__name__)
            failed = note_message(words["failed"], words.lang_of("failed"))
            return [person_turn(n, shown, emoji), bot_turn(n + 1, [*notes, failed])], Kept.NOT_KEPT

    async def _said(self, reply: Reply, lang: str) -> list[Message]:
        """The bot's messages for a reply, with what a web page needs after a conversation ends."""
        messages = reply_messages(reply, lang)
        if reply.ended and reply.support:
            # Where to get help stays the last thing on screen; the packs are one word away.
            later = words_for(reply_language(reply, lang))
            messages.append(note_message(later["menu_later"], later.lang_of("menu_later")))
        elif reply.ended:
            # The web has no "hang up": offer the packs again so the page never dead-ends.
            next_lang = reply_language(reply, lang)
            messages.extend(reply_messages(await self.service.menu(next_lang, Channel.WEB), next_lang, menu=True))
        return messages

    def _repeats(self, turns: list[Turn], form: ChatForm) -> bool:
        """Is this stale form the very submit that already made the person turn numbered as it says?"""
        pairs = numbered(turns)
        for index, (number, turn) in enumerate(pairs):
            if number == form.turn:
                earlier = [t for _, t in pairs[:index]]
                return person_text(turn) == _shown(earlier, form)[0]
        return False

    # -- responses -----------------------------------------------------------------------------

    def _cookie_token(self, request: Request) -> str | None:
        value = request.cookies.get(COOKIE_NAME)
        return value if looks_like_token(value) else None

    def _checked_token(self, request: Request, form: ChatForm) -> str:
        token = self._cookie_token(request)
        if token is None or not self.signer.is_valid(token, form.csrf):
            log.info("web chat: refused a post with a missing or wrong CSRF token")
            raise _Refused("error_csrf", 400)
        return token

    def _page(self, token: str, turns: list[Turn], *, new_cookie: bool, ended: bool = False) -> Response:
        html = self.renderer.page(turns, csrf=self.signer.token_for(token), turn_no=next_number(turns))
        return self._finish(HTMLResponse(html), token if new_cookie else None, ended=ended)

    def _had_chat(self, request: Request) -> bool:
        """Whether this browser's chat was ever stored, so an unknown token means "ended", not "not begun"."""
        return request.cookies.get(STARTED_COOKIE) == "1"

    def _refuse(self, refused: _Refused, language: str | None = None) -> Response:
        html = self.renderer.error(refused.message_key, language)
        return self._finish(HTMLResponse(html, status_code=refused.status))

    async def _language(self, request: Request) -> str | None:
        """The language the person's chat is in, for a refusal in their words; None when unknown."""
        token = self._cookie_token(request)
        try:
            turns = await self.transcripts.load(token) if token else None
        except Exception:
            return None  # the store is what failed: English will do
        return last_language(turns) if turns else None

    def _answer(
        self,
        request: Request,
        token: str,
        new_turns: list[Turn],
        *,
        before: list[Turn],
        replace: bool,
        new_cookie: bool,
        ended: bool = False,
        started: bool = False,
    ) -> Response:
        """`new_cookie`: the browser gets `token`; `ended`: it has no stored chat now; `started`: it has."""
        marks = {"ended": ended, "started": started}
        if not _wants_json(request):
            redirect = RedirectResponse("/chat#latest", status_code=303)
            return self._finish(redirect, token if new_cookie else None, **marks)
        everything = before + new_turns
        csrf = self.signer.token_for(token)
        label_key = compose_label_key(everything)
        lang = last_language(everything)
        words = words_for(lang)
        # The page's own words follow the person's language when the script updates it in place.
        furniture = {key: [words[key], words.lang_of(key)] for key in FURNITURE}
        privacy = self.privacy.get(lang) or self.privacy.get("en", "")
        furniture["privacy"] = [privacy, lang if lang in self.privacy else "en"]
        body = {
            "lang": lang,
            "words": furniture,
            # Only the new turns are laid out: they carry their own numbers, and which question waits and which
            # turn is latest lie in them or nowhere on what is added (tests/web/test_chat_fragment.py).
            "html": self.renderer.fragment(
                new_turns, new_from=next_number(before), csrf=csrf, turn_no=next_number(everything)
            ),
            "turn": next_number(everything),
            "csrf": csrf,
            "label": words[label_key],
            "label_lang": words.lang_of(label_key),
            "replace": replace,
        }
        return self._finish(JSONResponse(body), token if new_cookie else None, **marks)

    def _finish(
        self, response: Response, new_cookie_token: str | None = None, *, ended: bool = False, started: bool = False
    ) -> Response:
        """`ended`: the browser's token has no stored chat (a page view, a restart), so the marker goes;
        `started`: its chat was just stored, so the marker is set."""
        response.headers.update(_SECURITY_HEADERS)
        if new_cookie_token is not None:
            response.set_cookie(
                COOKIE_NAME,
                new_cookie_token,
                max_age=COOKIE_MAX_AGE,
                path=COOKIE_PATH,
                secure=self.secure_cookies,
                httponly=True,
                samesite="lax",
            )
        if ended:
            response.delete_cookie(STARTED_COOKIE, path=COOKIE_PATH)
        elif started:
            response.set_cookie(
                STARTED_COOKIE, "1", max_age=COOKIE_MAX_AGE, path=COOKIE_PATH, secure=self.secure_cookies,
                httponly=True, samesite="lax",
            )
        return response


def _shown(turns: list[Turn], form: ChatForm) -> tuple[str, str]:
    """How the person's message shows in the chat: a tapped button shows its words and symbol."""
    button = form.start or form.choice
    if button is None:
        return form.text, ""
    chosen = find_choice(current_ask(turns), button)
    if chosen is None:
        return button, ""
    return str(chosen.get("label") or button), str(chosen.get("emoji") or "")


def webchat_routes(
    service: ChatService,
    transcripts: Transcripts,
    *,
    secure_cookies: bool,
    csrf_secret: bytes,
    symbol_dir: Path | None = None,
    symbols: SymbolUrls | None = None,
    privacy: Mapping[str, str] | None = None,
) -> list[BaseRoute]:
    """Routes for the web chat. Pictures come from `symbols` (the app's symbol pictures) or, without it,
    from NAME.svg/.png files in `symbol_dir`; a symbol with no picture shows as its emoji."""
    symbols = symbols or SymbolImages(symbol_dir)
    chat = WebChat(service, transcripts, secure_cookies=secure_cookies, csrf_secret=csrf_secret, symbols=symbols,
                   privacy=privacy)
    routes: list[BaseRoute] = [
        Route("/chat", chat.show, methods=["GET"], name="webchat"),
        Route("/chat", chat.post, methods=["POST"], name="webchat-post"),
        Route("/chat/new", chat.restart, methods=["POST"], name="webchat-new"),
        Mount("/chat/static", app=StaticFiles(directory=STATIC_DIR), name="webchat-static"),
    ]
    if symbol_dir is not None and symbol_dir.is_dir():
        routes.append(Mount("/chat/symbols", app=StaticFiles(directory=symbol_dir), name="webchat-symbols"))
    return routes
