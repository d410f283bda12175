"""A fake Twilio REST API on 127.0.0.1, for driving the real `twilio` client in tests and benchmarks.

It speaks enough of API version 2010-04-01 for messaging and calls: it checks HTTP Basic auth against
one account, accepts `Messages.json` and `Calls.json` creates, answers with Twilio-shaped JSON, and
answers errors the way Twilio does (JSON body with `code`, `message`, `more_info`, `status`).
Behaviour a test wants to provoke is set on the object:

    with FakeTwilio() as fake:                      # uvicorn in a thread, on a free port
        fake.opted_out.add("+447700900001")         # sends to this number get 21610
        fake.fail_next(429, 20429, retry_after=7)   # the next create gets Too Many Requests
        fake.fail_next(400, 21611)                  # then a queue overflow
        ...  Client(fake.account_sid, fake.auth_token) with TWILIO_API_BASE_URL = fake.base_url
        fake.messages[0].body, fake.messages[0].status_callback

`rate_limit_per_second` makes it behave like Twilio's per-sender queue admission: creates faster than
that get 429 / 20429 with a Retry-After header. Every request, good or bad, is kept in `requests`.
State is shared with the server thread under a lock; read it through the properties.
"""

from __future__ import annotations

import base64
import json
import secrets
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from email.utils import formatdate
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

API_VERSION = "2010-04-01"

ERROR_MESSAGES = {
    20003: "Authenticate",
    20404: "The requested resource was not found",
    20429: "Too Many Requests",
    21211: "The 'To' number {to} is not a valid phone number.",
    21602: "Message body is required.",
    21603: "The 'From' phone number is required.",
    21604: "A 'To' phone number is required.",
    21610: "Attempt to send to unsubscribed recipient {to}",
    21611: "This 'From' number has exceeded the maximum number of queued messages",
    21617: "The concatenated message body exceeds the 1600 character limit.",
    30001: "Queue overflow",
}


@dataclass(frozen=True)
class FakeMessage:
    sid: str
    to: str
    from_: str | None
    messaging_service_sid: str | None
    body: str
    status_callback: str | None
    at: float  # time.monotonic() when accepted


@dataclass(frozen=True)
class FakeCall:
    sid: str
    to: str
    from_: str
    url: str | None
    twiml: str | None
    status_callback: str | None
    at: float


@dataclass(frozen=True)
class SeenRequest:
    method: str
    path: str
    form: tuple[tuple[str, str], ...]
    status: int
    at: float


@dataclass
class _Failure:
    status: int
    code: int
    retry_after: float | None = None


@dataclass
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    messages: list[FakeMessage] = field(default_factory=list)
    calls: list[FakeCall] = field(default_factory=list)
    requests: list[SeenRequest] = field(default_factory=list)
    failures: deque[_Failure] = field(default_factory=deque)
    admitted: deque[float] = field(default_factory=deque)


class FakeTwilio:
    def __init__(
        self,
        account_sid: str = "AC" + "0" * 32,
        auth_token: str = "fake-twilio-auth-token",
        *,
        rate_limit_per_second: float | None = None,
    ) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.rate_limit_per_second = rate_limit_per_second
        self.opted_out: set[str] = set()
        self._state = _State()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # Life cycle

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeTwilio:
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
                raise RuntimeError("the fake Twilio API did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeTwilio:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # What a test sets and reads

    def fail_next(self, status: int, code: int, *, times: int = 1, retry_after: float | None = None) -> None:
        """The next `times` creates (messages or calls) fail with this HTTP status and Twilio error code."""
        with self._state.lock:
            for _ in range(times):
                self._state.failures.append(_Failure(status, code, retry_after))

    @property
    def messages(self) -> list[FakeMessage]:
        with self._state.lock:
            return list(self._state.messages)

    @property
    def calls(self) -> list[FakeCall]:
        with self._state.lock:
            return list(self._state.calls)

    @property
    def requests(self) -> list[SeenRequest]:
        with self._state.lock:
            return list(self._state.requests)

    def message(self, sid: str) -> FakeMessage:
        for message in self.messages:
            if message.sid == sid:
                return message
        raise KeyError(sid)

    def reset(self) -> None:
        with self._state.lock:
            self._state.messages.clear()
            self._state.calls.clear()
            self._state.requests.clear()
            self._state.failures.clear()
            self._state.admitted.clear()
        self.opted_out.clear()

    # The HTTP side

    def app(self) -> Starlette:
        base = f"/{API_VERSION}/Accounts/{{account}}"
        return Starlette(
            routes=[
                Route(f"{base}/Messages.json", self._create_message, methods=["POST"]),
                Route(f"{base}/Messages/{{sid}}.json", self._fetch_message, methods=["GET"]),
                Route(f"{base}/Calls.json", self._create_call, methods=["POST"]),
            ]
        )

    async def _create_message(self, request: Request) -> Response:
        form, refused = await self._admit(request)
        if refused is not None:
            return refused
        to = form.get("To", "")
        body = form.get("Body", "")
        from_ = form.get("From") or None
        service = form.get("MessagingServiceSid") or None
        if not to:
            return self._error(request, form, 400, 21604)
        if not from_ and not service:
            return self._error(request, form, 400, 21603)
        if not body and not form.get("MediaUrl"):
            return self._error(request, form, 400, 21602)
        if len(body) > 1600:
            return self._error(request, form, 400, 21617)
        if not _plausible_number(to):
            return self._error(request, form, 400, 21211, to=to)
        if to.removeprefix("whatsapp:") in self.opted_out:
            return self._error(request, form, 400, 21610, to=to)
        message = FakeMessage(
            sid="SM" + secrets.token_hex(16),
            to=to,
            from_=from_,
            messaging_service_sid=service,
            body=body,
            status_callback=form.get("StatusCallback") or None,
            at=time.monotonic(),
        )
        with self._state.lock:
            self._state.messages.append(message)
        self._seen(request, form, 201)
        return JSONResponse(self._message_json(message, "queued"), status_code=201)

    async def _fetch_message(self, request: Request) -> Response:
        if not self._authorised(request):
            return self._error(request, {}, 401, 20003)
        sid = request.path_params["sid"]
        try:
            message = self.message(sid)
        except KeyError:
            return self._error(request, {}, 404, 20404)
        self._seen(request, {}, 200)
        return JSONResponse(self._message_json(message, "sent"))

    async def _create_call(self, request: Request) -> Response:
        form, refused = await self._admit(request)
        if refused is not None:
            return refused
        to, from_ = form.get("To", ""), form.get("From", "")
        if not to:
            return self._error(request, form, 400, 21604)
        if not from_:
            return self._error(request, form, 400, 21603)
        call = FakeCall(
            sid="CA" + secrets.token_hex(16),
            to=to,
            from_=from_,
            url=form.get("Url") or None,
            twiml=form.get("Twiml") or None,
            status_callback=form.get("StatusCallback") or None,
            at=time.monotonic(),
        )
        with self._state.lock:
            self._state.calls.append(call)
        self._seen(request, form, 201)
        payload = {
            "sid": call.sid, "account_sid": self.account_sid, "to": call.to, "from": call.from_,
            "status": "queued", "direction": "outbound-api", "api_version": API_VERSION,
            "date_created": formatdate(usegmt=True),
            "uri": f"/{API_VERSION}/Accounts/{self.account_sid}/Calls/{call.sid}.json",
        }
        return JSONResponse(payload, status_code=201)

    async def _admit(self, request: Request) -> tuple[dict[str, str], Response | None]:
        """Auth, the account in the path, scripted failures and the rate limit, in Twilio's order."""
        form = dict(parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True))
        if not self._authorised(request) or request.path_params["account"] != self.account_sid:
            return form, self._error(request, form, 401, 20003)
        with self._state.lock:
            failure = self._state.failures.popleft() if self._state.failures else None
        if failure is not None:
            status, code, wait = failure.status, failure.code, failure.retry_after
            return form, self._error(request, form, status, code, retry_after=wait)
        if self.rate_limit_per_second is not None and not self._within_rate():
            return form, self._error(request, form, 429, 20429, retry_after=1 / self.rate_limit_per_second)
        return form, None

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

    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        if not header.lower().startswith("basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        right_user = secrets.compare_digest(user, self.account_sid)
        return right_user and secrets.compare_digest(password, self.auth_token)

    def _error(
        self, request: Request, form: dict[str, str], status: int, code: int, *,
        retry_after: float | None = None, to: str = "",
    ) -> Response:
        self._seen(request, form, status)
        payload = {
            "code": code,
            "message": ERROR_MESSAGES.get(code, "Error").format(to=to),
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        }
        headers = {"Retry-After": f"{retry_after:g}"} if retry_after is not None else None
        return Response(
            json.dumps(payload), status_code=status, media_type="application/json", headers=headers
        )

    def _seen(self, request: Request, form: dict[str, str], status: int) -> None:
        with self._state.lock:
            self._state.requests.append(
                SeenRequest(request.method, request.url.path, tuple(form.items()), status, time.monotonic())
            )

    def _message_json(self, message: FakeMessage, status: str) -> dict[str, Any]:
        return {
            "sid": message.sid,
            "account_sid": self.account_sid,
            "messaging_service_sid": message.messaging_service_sid,
            "to": message.to,
            "from": message.from_,
            "body": message.body,
            "status": status,
            "num_segments": "1",
            "num_media": "0",
            "direction": "outbound-api",
            "api_version": API_VERSION,
            "price": None,
            "price_unit": "GBP",
            "error_code": None,
            "error_message": None,
            "date_created": formatdate(usegmt=True),
            "date_updated": formatdate(usegmt=True),
            "date_sent": None,
            "uri": f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{message.sid}.json",
            "subresource_uris": {},
        }


def _plausible_number(to: str) -> bool:
    number = to.removeprefix("whatsapp:")
    return number.startswith("+") and number[1:].isdigit() and 8 <= len(number) <= 16
