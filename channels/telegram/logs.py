"""Keeping chat ids, names and the bot token out of other libraries' log lines.

PTB logs every Bot API call's parameters and answer at DEBUG (chat ids, texts, the person's name in
the returned chat), and httpx logs each request's URL at INFO, which for the Bot API holds the token.
These filters sit on those two loggers: PTB's call lines keep only the method name, and the token is
masked wherever it appears.
"""

from __future__ import annotations

import logging

PTB_LOGGER = "telegram.Bot"
HTTPX_LOGGER = "httpx"
_CALL_LINES = ("Calling Bot API endpoint", "Call to Bot API endpoint")


class HideTelegramDetails(logging.Filter):
    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def __repr__(self) -> str:
        return "HideTelegramDetails()"

    def filter(self, record: logging.LogRecord) -> bool:
        template = str(record.msg)
        if template.startswith(_CALL_LINES) and isinstance(record.args, tuple) and record.args:
            # The first argument is the endpoint name; the rest is the person's data.
            record.msg, record.args = f"{template.split('`', 1)[0]}`{record.args[0]}`", None
            return True
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True  # a broken log call; not ours to fix or to hide
        if self._token and self._token in message:
            record.msg, record.args = message.replace(self._token, "[bot token]"), None
        return True


def hide_telegram_details(token: str) -> None:
    """Add the filter once per token to PTB's and httpx's loggers."""
    for name in (PTB_LOGGER, HTTPX_LOGGER):
        logger = logging.getLogger(name)
        if not any(isinstance(f, HideTelegramDetails) and f._token == token for f in logger.filters):
            logger.addFilter(HideTelegramDetails(token))
