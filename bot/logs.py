"""Logging set-up, with a last line of defence that masks anything shaped like a phone number.

Code must log pseudonym prefixes only; the filter exists so that one careless log line in the future
does not leak an address into log files that many people can read.
"""

from __future__ import annotations

import logging
import re

PHONE_LIKE = re.compile(r"(?<![\w/])\+?\d[\d \-().]{6,}\d(?![\w/])")


class RedactAddresses(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = PHONE_LIKE.sub("[number]", message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def setup_logging(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactAddresses())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "apscheduler.executors.default", "aiosqlite"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
