"""Logging set-up, with a last line of defence that masks anything shaped like a phone number.

Code must log pseudonym prefixes only; the masking exists so that one careless log line in the future
does not leak an address into log files that many people can read. It runs on the whole formatted line
(message, exception traceback and any extra fields), in plain text and in JSON lines alike.

`SAID_LOG_FORMAT=json` writes one JSON object a line for log systems (Loki, Elasticsearch, CloudWatch…).
Every line logged while a request is handled carries that request's id (`request_id`), which is also sent
back in the `X-Request-ID` response header, so a person's "it went wrong at 11pm" can be found.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter

# A number written the way people write phone numbers: starting +, 00 or 0, at least 10 digits, spaces
# or hyphens between. Dates, times and IP addresses do not start that way, so they stay readable.
PHONE_LIKE = re.compile(r"(?<![\w:./-])(?:\+|00|0)\d(?:[ -]?\d){8,14}(?![\w:.])")

LOG_FORMATS = ("text", "json")

# The id of the request being handled, for every log line written while handling it.
request_id: ContextVar[str | None] = ContextVar("said_request_id", default=None)
# An id a proxy passes on (X-Request-ID) is kept only if it looks like one: no room for anything else.
_GOOD_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def redact(text: str) -> str:
    return PHONE_LIKE.sub("[number]", text)


def new_request_id(offered: str | None = None) -> str:
    """The proxy's id when it is a plain token, otherwise a fresh random one."""
    if offered and _GOOD_ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


class RedactAddresses(logging.Filter):
    """Masks phone-number-shaped text in the message (kept for handlers set up elsewhere)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = redact(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class WithRequestId(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(rid)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        rid = getattr(record, "request_id", None)
        record.rid = f" [{rid}]" if rid else ""
        return redact(super().format(record))


class JsonLinesFormatter(JsonFormatter):
    """One JSON object a line: time, level, logger, message, request_id, and the traceback if any."""

    def __init__(self) -> None:
        super().__init__(
            ["asctime", "levelname", "name", "message", "request_id"],
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            datefmt="%Y-%m-%dT%H:%M:%S%z",
        )

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def setup_logging(level: int | str = logging.INFO, fmt: str = "text") -> None:
    if fmt not in LOG_FORMATS:
        raise ValueError(f"log format is one of {', '.join(LOG_FORMATS)}, not {fmt!r}")
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLinesFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(RedactAddresses())
    handler.addFilter(WithRequestId())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "apscheduler", "aiosqlite", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
