"""python-telegram-bot's real `Bot`, pointed at Telegram or at a self-hosted Bot API server.

`TELEGRAM_API_BASE_URL` is PTB's own `base_url` (the token is appended to it), so a self-hosted server
or a test fake needs nothing else. The Bot's HTTP client (httpx) belongs to the event loop it first
ran in, so `TelegramApi` makes one Bot per running loop, lazily, and closes it on `aclose`.

The Bot is never `initialize`d: that would call `getMe` at start-up and make the service's start
depend on Telegram being reachable. Nothing here needs the bot's own user.
"""

from __future__ import annotations

import asyncio
import os

from telegram import Bot
from telegram.request import HTTPXRequest

# PTB 22 warns on every read of a time period (RetryAfter.retry_after) until a program opts in to the
# timedelta values its next major version will use. It reads the setting at each use; our code reads
# either kind of value, so opt in.
os.environ.setdefault("PTB_TIMEDELTA", "true")

TELEGRAM_API = "https://api.telegram.org/bot"
CONNECTIONS = 64  # concurrent requests to the Bot API from one process
TIMEOUT = 10.0  # seconds for connect, read and write; photo uploads get twice that


class TelegramApi:
    def __init__(self, token: str, *, base_url: str = TELEGRAM_API, timeout: float = TIMEOUT) -> None:
        if not token:
            raise ValueError("set TELEGRAM_BOT_TOKEN to the token BotFather gave you")
        self._token = token
        self.base_url = base_url
        self.timeout = timeout
        self._bot: Bot | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def __repr__(self) -> str:
        return f"TelegramApi(base_url={self.base_url!r})"  # never the token

    @property
    def token(self) -> str:
        return self._token

    def bot(self) -> Bot:
        loop = asyncio.get_running_loop()
        if self._bot is None or self._loop is not loop:
            request = HTTPXRequest(
                connection_pool_size=CONNECTIONS,
                read_timeout=self.timeout,
                write_timeout=self.timeout,
                connect_timeout=self.timeout,
                pool_timeout=self.timeout,
                media_write_timeout=self.timeout * 2,
            )
            self._bot = Bot(self._token, base_url=self.base_url, request=request)
            self._loop = loop
        return self._bot

    async def aclose(self) -> None:
        if self._bot is not None and self._loop is asyncio.get_running_loop():
            await self._bot.shutdown()
        self._bot = None
        self._loop = None
