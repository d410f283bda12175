"""Logging set-up, with a last line of defence that masks anything shaped like a phone number.

Code must log pseudonym prefixes only; the filter exists so that one careless log line in the future
does not leak an address into log files that many people can read.
"""

from __future__ import annotations

import logging
import re

# A number written the way people write phone numbers: starting +, 00 or 0, at least 10 digits, spaces
# or hyphens between. Dates, times and IP addresses do not start that way, so they stay readable.
PHONE_LIKE = re.compile(r"(?<![\w:./-])(?:\+|00|0)\d(?:[ -]?\d){8,14}(?![\w:.])")


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
    for noisy in ("httpx", "apscheduler", "aiosqlite", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
