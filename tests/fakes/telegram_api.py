"""A fake Telegram Bot API on 127.0.0.1, for driving python-telegram-bot's real `Bot` in tests and benchmarks.

It answers the methods the adapter uses (`getMe`, `sendMessage`, `sendPhoto`, `answerCallbackQuery`,
`editMessageText`, `editMessageReplyMarkup`, `leaveChat`, `setWebhook`, `getWebhookInfo`,
`deleteWebhook`) the way Telegram does: `{"ok": true, "result": …}`, or `{"ok": false, "error_code": …,
"description": …, "parameters": {"retry_after": …}}`. It accepts JSON, form and multipart bodies (PTB
uploads photos as multipart). Every call is kept, and the chat as the person would see it after edits:

    with FakeTelegram() as fake:                          # uvicorn in a thread, on a free port
        Bot(fake.token, base_url=fake.base_url)           # TELEGRAM_API_BASE_URL = fake.base_url
        fake.blocked.add(chat_id)                         # sends to this chat get 403 "bot was blocked"
        fake.fail_next("sendMessage", 429, retry_after=3) # the next sendMessage is flood-limited
        fake.rate_limit_per_second = 30                   # Telegram's overall limit, answered with 429
        person = fake.person(555000111, first_name="Ada") # a private chat
        update = person.says("hello")                     # the JSON Telegram would post to our webhook
        update = person.taps("Good")                      # a tap on the newest keyboard showing "Good"
        fake.chat(555000111)                              # the messages in that chat, as they look now

State is shared with the server thread under a lock; read it through the properties.
"""

from __future__ import annotations

import itertools
import json
import secrets
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field, replace
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

BLOCKED = "Forbidden: bot was blocked by the user"
DEACTIVATED = "Forbidden: user is deactivated"
SEND_METHODS = frozenset({"sendMessage", "sendPhoto"})


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]
    status: int
    at: float  # time.monotonic() when answered


@dataclass(frozen=True)
class ChatMessage:
    """A message the bot sent, as it looks now (edits applied)."""

    chat_id: int
    message_id: int
    text: str | None
    photo: str | None  # the file_id shown
    buttons: tuple[tuple[tuple[str, str], ...], ...]  # rows of (label, callback_data)
    date: int
    edited: bool = False

    @property
    def labels(self) -> list[str]:
        return [label for row in self.buttons for label, _ in row]


@dataclass
class _Failure:
    method: str | None
    status: int
    description: str
    retry_after: int | None
    after: int = 0  # calls of the method to let through first


@dataclass
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    calls: list[Call] = field(default_factory=list)
    chats: dict[int, list[ChatMessage]] = field(default_factory=dict)
    failures: deque[_Failure] = field(default_factory=deque)
    admitted: deque[float] = field(default_factory=deque)
    webhook: dict[str, Any] = field(default_factory=dict)
    uploads: dict[str, bytes] = field(default_factory=dict)  # file_id -> the bytes uploaded


class FakeTelegram:
    def __init__(self, token: str = "123456:fake-telegram-token", *, username: str = "said_test_bot") -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.username = username
        self.rate_limit_per_second: float | None = None
        self.blocked: set[int] = set()
        self.deactivated: set[int] = set()
        self._state = _State()
        self._message_ids = itertools.count(1000)
        self._update_ids = itertools.count(700000)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # Life cycle

    @property
    def base_url(self) -> str:
        """What TELEGRAM_API_BASE_URL should be: PTB appends the token."""
        return f"http://127.0.0.1:{self.port}/bot"

    def start(self) -> FakeTelegram:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(self.app(), log_level="warning", lifespan="off", access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the fake Telegram Bot API did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeTelegram:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # What a test sets and reads

    def fail_next(
        self, method: str | None, status: int, description: str = "", *, retry_after: int | None = None,
        times: int = 1, after: int = 0,
    ) -> None:
        """The next `times` calls of `method` (any method when None) fail with this status, once `after`
        calls of it have gone through."""
        if not description:
            description = {429: f"Too Many Requests: retry after {retry_after or 1}",
                           403: BLOCKED, 400: "Bad Request: chat not found",
                           500: "Internal Server Error"}.get(status, "Error")
        with self._state.lock:
            for _ in range(times):
                self._state.failures.append(_Failure(method, status, description, retry_after, after))

    @property
    def calls(self) -> list[Call]:
        with self._state.lock:
            return list(self._state.calls)

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def sent(self, chat_id: int | None = None) -> list[Call]:
        """Successful sendMessage / sendPhoto calls, in order, optionally for one chat."""
        return [
            c for c in self.calls
            if c.method in SEND_METHODS and c.status == 200 and (chat_id is None or c.params.get("chat_id") == chat_id)
        ]

    def chat(self, chat_id: int) -> list[ChatMessage]:
        with self._state.lock:
            return list(self._state.chats.get(chat_id, []))

    def said(self, chat_id: int) -> list[ChatMessage]:
        """The chat's text messages (symbol cards left out)."""
        return [m for m in self.chat(chat_id) if m.text is not None]

    def texts(self, chat_id: int) -> list[str]:
        return [m.text for m in self.said(chat_id) if m.text is not None]

    @property
    def webhook(self) -> dict[str, Any]:
        with self._state.lock:
            return dict(self._state.webhook)

    def reset(self) -> None:
        with self._state.lock:
            self._state.calls.clear()
            self._state.chats.clear()
            self._state.failures.clear()
            self._state.admitted.clear()
            self._state.webhook.clear()
            self._state.uploads.clear()
        self.blocked.clear()
        self.deactivated.clear()
        self.rate_limit_per_second = None

    def person(
        self, chat_id: int, *, first_name: str = "Sam", last_name: str | None = None, username: str | None = None,
        language_code: str = "en",
    ) -> FakePerson:
        return FakePerson(self, chat_id, first_name, last_name, username, language_code)

    def next_update_id(self) -> int:
        return next(self._update_ids)

    # The HTTP side

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"])])

    async def _endpoint(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        params = await _params(request)
        if request.path_params["token"] != self.token:
            return self._error(method, params, 401, "Unauthorized")
        refused = self._admit(method, params)
        if refused is not None:
            return refused
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return self._error(method, params, 404, "Not Found")
        result = handler(params)
        if isinstance(result, JSONResponse):
            return result
        self._seen(method, params, 200)
        return JSONResponse({"ok": True, "result": result})

    def _admit(self, method: str, params: dict[str, Any]) -> JSONResponse | None:
        with self._state.lock:
            failure = next((f for f in self._state.failures if f.method in (None, method)), None)
            if failure is not None and failure.after > 0:
                failure.after -= 1
                failure = None
            elif failure is not None:
                self._state.failures.remove(failure)
        if failure is not None:
            return self._error(method, params, failure.status, failure.description, retry_after=failure.retry_after)
        chat_id = _int(params.get("chat_id"))
        if method in SEND_METHODS and chat_id in self.blocked:
            return self._error(method, params, 403, BLOCKED)
        if method in SEND_METHODS and chat_id in self.deactivated:
            return self._error(method, params, 403, DEACTIVATED)
        if method in SEND_METHODS and self.rate_limit_per_second is not None and not self._within_rate():
            return self._error(method, params, 429, "Too Many Requests: retry after 1", retry_after=1)
        return None

    def _within_rate(self) -> bool:
        assert self.rate_limit_per_second is not None
        now = time.monotonic()
        with self._state.lock:
            admitted = self._state.admitted
            while admitted and now - admitted[0] >= 1.0:
                admitted.popleft()
            if len(admitted) >= max(1, round(self.rate_limit_per_second)):
                return False
            admitted.append(now)
            return True

    def _error(
        self, method: str, params: dict[str, Any], status: int, description: str, *, retry_after: int | None = None
    ) -> JSONResponse:
        self._seen(method, params, status)
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        return JSONResponse(body, status_code=status)

    def _seen(self, method: str, params: dict[str, Any], status: int) -> None:
        shown = {k: ("<upload>" if isinstance(v, bytes) else v) for k, v in params.items()}
        with self._state.lock:
            self._state.calls.append(Call(method, shown, status, time.monotonic()))

    # Methods

    def _m_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"id": self.bot_id, "is_bot": True, "first_name": "Said and Done", "username": self.username,
                "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}

    def _m_sendMessage(self, params: dict[str, Any]) -> dict[str, Any] | JSONResponse:
        chat_id = _int(params.get("chat_id"))
        text = params.get("text")
        if chat_id is None:
            return self._error("sendMessage", params, 400, "Bad Request: chat_id is empty")
        if not isinstance(text, str) or not text.strip():
            return self._error("sendMessage", params, 400, "Bad Request: message text is empty")
        if len(text) > 4096:
            return self._error("sendMessage", params, 400, "Bad Request: message is too long")
        buttons = _buttons(params.get("reply_markup"))
        if isinstance(buttons, str):
            return self._error("sendMessage", params, 400, f"Bad Request: {buttons}")
        message = self._keep(ChatMessage(chat_id, next(self._message_ids), text, None, buttons, int(time.time())))
        return self._message_json(message)

    def _m_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any] | JSONResponse:
        chat_id = _int(params.get("chat_id"))
        photo = params.get("photo")
        if chat_id is None:
            return self._error("sendPhoto", params, 400, "Bad Request: chat_id is empty")
        if isinstance(photo, bytes):
            if not photo.startswith(b"\x89PNG") and not photo.startswith(b"\xff\xd8"):
                return self._error("sendPhoto", params, 400, "Bad Request: IMAGE_PROCESS_FAILED")
            file_id = "AgAC" + secrets.token_urlsafe(24)
            with self._state.lock:
                self._state.uploads[file_id] = photo
        elif isinstance(photo, str) and photo in self._uploads():
            file_id = photo
        else:
            return self._error("sendPhoto", params, 400, "Bad Request: wrong file identifier/HTTP URL specified")
        message = self._keep(ChatMessage(chat_id, next(self._message_ids), None, file_id, (), int(time.time())))
        return self._message_json(message)

    def _m_answerCallbackQuery(self, params: dict[str, Any]) -> bool | JSONResponse:
        if not params.get("callback_query_id"):
            return self._error("answerCallbackQuery", params, 400, "Bad Request: query is too old")
        return True

    def _m_editMessageText(self, params: dict[str, Any]) -> dict[str, Any] | JSONResponse:
        return self._edit("editMessageText", params, change_text=True)

    def _m_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any] | JSONResponse:
        return self._edit("editMessageReplyMarkup", params, change_text=False)

    def _edit(self, method: str, params: dict[str, Any], *, change_text: bool) -> dict[str, Any] | JSONResponse:
        chat_id, message_id = _int(params.get("chat_id")), _int(params.get("message_id"))
        found = self._find(chat_id, message_id)
        if found is None:
            return self._error(method, params, 400, "Bad Request: message to edit not found")
        buttons = _buttons(params.get("reply_markup"))
        if isinstance(buttons, str):
            return self._error(method, params, 400, f"Bad Request: {buttons}")
        text = params.get("text") if change_text else found.text
        if change_text and (not isinstance(text, str) or not text.strip() or len(text) > 4096):
            return self._error(method, params, 400, "Bad Request: message text is empty or too long")
        if text == found.text and buttons == found.buttons:
            return self._error(method, params, 400, "Bad Request: message is not modified")
        changed = replace(found, text=text, buttons=buttons, edited=True)
        with self._state.lock:
            chat = self._state.chats[changed.chat_id]
            chat[chat.index(found)] = changed
        return self._message_json(changed)

    def _m_leaveChat(self, params: dict[str, Any]) -> bool:
        return True

    def _m_setWebhook(self, params: dict[str, Any]) -> bool | JSONResponse:
        url = params.get("url")
        if not isinstance(url, str) or not url.startswith("https://"):
            refusal = "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            return self._error("setWebhook", params, 400, refusal)
        allowed = params.get("allowed_updates")
        with self._state.lock:
            self._state.webhook = {
                "url": url,
                "secret_token": params.get("secret_token"),
                "allowed_updates": json.loads(allowed) if isinstance(allowed, str) else allowed,
                "max_connections": _int(params.get("max_connections")),
            }
        return True

    def _m_deleteWebhook(self, params: dict[str, Any]) -> bool:
        with self._state.lock:
            self._state.webhook = {}
        return True

    def _m_getWebhookInfo(self, params: dict[str, Any]) -> dict[str, Any]:
        hook = self.webhook
        info: dict[str, Any] = {"url": hook.get("url", ""), "has_custom_certificate": False,
                                "pending_update_count": 0, "max_connections": hook.get("max_connections") or 40}
        if hook.get("allowed_updates"):
            info["allowed_updates"] = hook["allowed_updates"]
        return info

    # Chat state

    def _keep(self, message: ChatMessage) -> ChatMessage:
        with self._state.lock:
            self._state.chats.setdefault(message.chat_id, []).append(message)
        return message

    def _find(self, chat_id: int | None, message_id: int | None) -> ChatMessage | None:
        if chat_id is None or message_id is None:
            return None
        return next((m for m in self.chat(chat_id) if m.message_id == message_id), None)

    def _uploads(self) -> set[str]:
        with self._state.lock:
            return set(self._state.uploads)

    def _message_json(self, message: ChatMessage) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": message.message_id,
            "date": message.date,
            "chat": {"id": message.chat_id, "type": "private" if message.chat_id > 0 else "group"},
            "from": {"id": self.bot_id, "is_bot": True, "first_name": "Said and Done", "username": self.username},
        }
        if message.edited:
            data["edit_date"] = int(time.time())
        if message.text is not None:
            data["text"] = message.text
        if message.photo is not None:
            data["photo"] = [
                {"file_id": message.photo, "file_unique_id": message.photo[-12:], "width": 90, "height": 90},
                {"file_id": message.photo, "file_unique_id": message.photo[-12:], "width": 320, "height": 320},
            ]
        if message.buttons:
            data["reply_markup"] = {"inline_keyboard": [
                [{"text": label, "callback_data": data_} for label, data_ in row] for row in message.buttons
            ]}
        return data


@dataclass
class FakePerson:
    """One person in a private chat with the bot: builds the updates Telegram would post for them."""

    fake: FakeTelegram
    chat_id: int
    first_name: str
    last_name: str | None
    username: str | None
    language_code: str
    _message_ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def user(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.chat_id, "is_bot": False, "first_name": self.first_name,
                                "language_code": self.language_code}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        return user

    def private_chat(self) -> dict[str, Any]:
        chat = {"id": self.chat_id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            chat["last_name"] = self.last_name
        if self.username:
            chat["username"] = self.username
        return chat

    def message(self, **content: Any) -> dict[str, Any]:
        """A new message from this person; `content` is its text / photo / voice … fields."""
        return {
            "message_id": next(self._message_ids), "date": int(time.time()), "chat": self.private_chat(),
            "from": self.user(), **content,
        }

    def update(self, kind: str, body: dict[str, Any], update_id: int | None = None) -> dict[str, Any]:
        return {"update_id": update_id if update_id is not None else self.fake.next_update_id(), kind: body}

    def says(self, text: str) -> dict[str, Any]:
        command = text.startswith("/") and bool(text.split())
        entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}] if command else []
        body = self.message(text=text, **({"entities": entities} if entities else {}))
        return self.update("message", body)

    def sends_photo(self, caption: str | None = None) -> dict[str, Any]:
        photo = [{"file_id": "AgACin" + secrets.token_hex(8), "file_unique_id": secrets.token_hex(6),
                  "width": 800, "height": 600, "file_size": 54321}]
        return self.update("message", self.message(photo=photo, **({"caption": caption} if caption else {})))

    def sends_voice(self) -> dict[str, Any]:
        voice = {"file_id": "AwACin" + secrets.token_hex(8), "file_unique_id": secrets.token_hex(6), "duration": 4,
                 "mime_type": "audio/ogg"}
        return self.update("message", self.message(voice=voice))

    def edits(self, message_id: int, text: str) -> dict[str, Any]:
        body = {"message_id": message_id, "date": int(time.time()) - 30, "edit_date": int(time.time()),
                "chat": self.private_chat(), "from": self.user(), "text": text}
        return self.update("edited_message", body)

    def taps(self, label: str, *, message_id: int | None = None) -> dict[str, Any]:
        """A tap on the button whose words contain `label`, on the newest message that shows one
        (or on message `message_id`, as a person scrolling back to an old keyboard would)."""
        for shown in reversed(self.fake.chat(self.chat_id)):
            if message_id is not None and shown.message_id != message_id:
                continue
            for row in shown.buttons:
                for words, data in row:
                    if label in words:
                        return self.taps_data(shown, data)
        raise LookupError(f"no button with {label!r} is showing in the chat")

    def taps_data(self, shown: ChatMessage, data: str) -> dict[str, Any]:
        """A tap carrying `data` on a message the bot sent: what a modified client can send."""
        query = {
            "id": str(secrets.randbits(62)),
            "from": self.user(),
            "chat_instance": str(-secrets.randbits(62)),
            "data": data,
            "message": self.fake._message_json(shown) | {"chat": self.private_chat()},
        }
        return self.update("callback_query", query)

    def blocks_bot(self) -> dict[str, Any]:
        return self.update("my_chat_member", self._member_change("member", "kicked"))

    def _member_change(self, old: str, new: str) -> dict[str, Any]:
        bot = {"id": self.fake.bot_id, "is_bot": True, "first_name": "Said and Done", "username": self.fake.username}
        return {
            "chat": self.private_chat(), "from": self.user(), "date": int(time.time()),
            "old_chat_member": {"status": old, "user": bot},
            "new_chat_member": {"status": new, "user": bot, **({"until_date": 0} if new == "kicked" else {})},
        }


def group_message(fake: FakeTelegram, chat_id: int, text: str, *, sender: FakePerson) -> dict[str, Any]:
    """A message in a group chat the bot was added to."""
    body = {"message_id": 5, "date": int(time.time()), "from": sender.user(), "text": text,
            "chat": {"id": chat_id, "type": "group", "title": "Parents group"}}
    return {"update_id": fake.next_update_id(), "message": body}


def added_to_group(fake: FakeTelegram, chat_id: int, *, by: FakePerson) -> dict[str, Any]:
    bot = {"id": fake.bot_id, "is_bot": True, "first_name": "Said and Done", "username": fake.username}
    body = {
        "chat": {"id": chat_id, "type": "supergroup", "title": "Parents group"}, "from": by.user(),
        "date": int(time.time()), "old_chat_member": {"status": "left", "user": bot},
        "new_chat_member": {"status": "member", "user": bot},
    }
    return {"update_id": fake.next_update_id(), "my_chat_member": body}


async def _params(request: Request) -> dict[str, Any]:
    """Parameters from a JSON, form or multipart body (and the query string), as Telegram reads them."""
    params: dict[str, Any] = dict(request.query_params)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        body = await request.body()
        loaded = json.loads(body) if body else {}
        if isinstance(loaded, dict):
            params.update(loaded)
    elif content_type == "application/x-www-form-urlencoded":
        params.update(parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True))
    elif content_type == "multipart/form-data":
        async with request.form() as form:
            for name, value in form.multi_items():
                params[name] = await value.read() if isinstance(value, UploadFile) else value
    return {name: _decoded(name, value) for name, value in params.items()}


_NUMBERS = frozenset({"chat_id", "message_id", "max_connections"})
_OBJECTS = frozenset({"reply_markup", "allowed_updates"})


def _decoded(name: str, value: Any) -> Any:
    # PTB sends numbers and objects as JSON text inside form fields; everything else stays as sent.
    if name in _NUMBERS:
        number = _int(value)
        return number if number is not None else value
    if name in _OBJECTS and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return None


def _buttons(markup: Any) -> tuple[tuple[tuple[str, str], ...], ...] | str:
    """Rows of (label, callback_data) from an inline keyboard, or what Telegram would complain about."""
    if markup is None or markup == "":
        return ()
    if isinstance(markup, str):
        try:
            markup = json.loads(markup)
        except ValueError:
            return "can't parse reply keyboard markup JSON object"
    if not isinstance(markup, dict):
        return "can't parse reply keyboard markup JSON object"
    rows = []
    for row in markup.get("inline_keyboard", []):
        buttons = []
        for button in row:
            data = button.get("callback_data")
            if not isinstance(data, str) or not 1 <= len(data.encode()) <= 64:
                return "BUTTON_DATA_INVALID"
            if not button.get("text"):
                return "BUTTON_TEXT_EMPTY"  # not Telegram's exact words; it refuses empty labels
            buttons.append((str(button["text"]), data))
        rows.append(tuple(buttons))
    return tuple(rows)
