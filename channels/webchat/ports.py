"""What the web chat needs from the rest of the app, as Protocols the wiring module satisfies.

The web chat must not import storage/ or the engine; `bot/app/wiring.py` passes in objects with these shapes.
"""

from __future__ import annotations

from typing import Protocol

from bot.messages import Channel, Inbound, Reply


class ChatService(Protocol):
    async def handle(self, channel: Channel, address: str, message: Inbound) -> Reply: ...

    async def menu(self, language: str | None, channel: Channel | None = None) -> Reply: ...


class Transcripts(Protocol):
    async def load(self, token: str) -> list[dict] | None: ...  # None: unknown or expired token

    async def start(self, token: str) -> None: ...

    async def append(self, token: str, turn: dict) -> None: ...  # {"who": "bot"|"person", ...}

    # Add a request's turns together unless a turn with the same "who" and "n" is stored already (a form
    # sent twice, handled by another request or another process): False then, True when added, None when
    # the chat is no longer stored (it ended, or FORGET ME took it with the person's answers).
    async def append_new(self, token: str, turns: list[dict]) -> bool | None: ...
