"""SAID_LOG_FORMAT=json: one JSON object a line that a log system can read, with the same masking of
phone numbers as the text format (message, traceback and all), and the request's id on every line
written while handling it."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from bot.app.logs import setup_logging
from bot.app.metrics import Metrics
from bot.app.ops import RequestContextMiddleware

NUMBER = "+447700900461"


@pytest.fixture
def logged() -> Iterator[callable]:
    """`logged(fmt)` sets up logging as `said` does, into a string; the root logger is put back after."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    stream = io.StringIO()

    def setup(fmt: str) -> io.StringIO:
        setup_logging(logging.INFO, fmt)
        root.handlers[0].setStream(stream)
        return stream

    try:
        yield setup
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])


def _lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_json_lines_carry_time_level_logger_and_message(logged) -> None:
    stream = logged("json")
    logging.getLogger("said.test").warning("outbox %d on %s not sent", 7, "sms")
    [line] = _lines(stream)
    assert line["level"] == "WARNING" and line["logger"] == "said.test"
    assert line["message"] == "outbox 7 on sms not sent"
    assert line["time"][:2] == "20" and line["request_id"] is None


def test_numbers_are_masked_in_the_message_the_traceback_and_extra_fields(logged) -> None:
    stream = logged("json")
    log = logging.getLogger("said.test")
    log.info("sending to %s", NUMBER)
    try:
        raise ValueError(f"could not reach {NUMBER}")
    except ValueError:
        log.exception("send failed")
    log.info("with extra", extra={"to": "07700 900461"})
    text = stream.getvalue()
    assert "900461" not in text
    first, failed, extra = _lines(stream)
    assert first["message"] == "sending to [number]"
    assert "could not reach [number]" in failed["exc_info"]
    assert extra["to"] == "[number]"


def test_the_text_format_masks_tracebacks_too(logged) -> None:
    stream = logged("text")
    try:
        raise ValueError(f"could not reach {NUMBER}")
    except ValueError:
        logging.getLogger("said.test").exception("send failed")
    assert "900461" not in stream.getvalue() and "could not reach [number]" in stream.getvalue()


@given(st.text(max_size=80), st.from_regex(r"07[0-9]{9}", fullmatch=True))
def test_any_message_is_one_json_line_without_the_number(message: str, number: str) -> None:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        setup_logging(logging.INFO, "json")
        stream = io.StringIO()
        root.handlers[0].setStream(stream)
        logging.getLogger("said.test").info("%s %s %s", message, number, message)
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
    [line] = stream.getvalue().splitlines()
    assert number not in json.loads(line)["message"]


def _app() -> Starlette:
    async def page(request: Request) -> PlainTextResponse:
        logging.getLogger("said.test").info("handling the page")
        logging.getLogger("said.test").info("still handling it")
        return PlainTextResponse("ok")

    routes = [Route("/page", page)]
    return Starlette(routes=routes, middleware=[Middleware(RequestContextMiddleware, metrics=Metrics(), routes=routes)])


async def test_every_line_of_a_request_carries_its_id_and_the_response_says_it(logged) -> None:
    stream = logged("json")
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        first = await http.get("/page")
        second = await http.get("/page", headers={"X-Request-ID": "proxy-id-1234"})
        odd = await http.get("/page", headers={"X-Request-ID": f"call {NUMBER} back"})
    lines = _lines(stream)
    ids = [line["request_id"] for line in lines]
    assert ids[0] == ids[1] == first.headers["x-request-id"] and len(ids[0]) == 32
    assert ids[2] == ids[3] == second.headers["x-request-id"] == "proxy-id-1234", "the proxy's id is kept"
    assert ids[4] == ids[5] == odd.headers["x-request-id"] and NUMBER not in ids[4], "anything else is replaced"
    assert len({ids[0], ids[2], ids[4]}) == 3
    logging.getLogger("said.test").info("after the requests")
    assert _lines(stream)[-1]["request_id"] is None


async def test_the_real_app_answers_with_a_request_id(make_settings, run_app) -> None:
    async with run_app(make_settings()) as running:
        response = await running.http.get("/healthz")
        assert len(response.headers["x-request-id"]) == 32


def test_the_log_format_setting_is_checked(make_settings) -> None:
    from bot.app.settings import SettingsError

    assert make_settings(log_format="JSON").log_format == "json"
    with pytest.raises(SettingsError, match="log_format"):
        make_settings(log_format="xml")
