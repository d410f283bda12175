"""What the web chat needs from the rest of the app, as Protocols the wiring module satisfies.

The web chat must not import storage/ or the engine; `bot/app/wiring.py` passes in objects with these shapes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Protocol

from bot.messages import Channel, Inbound, Reply


class Kept(Enum):
    """What became of the turns an answer made, when the service stored them with the answer."""

    ADDED = "added"  # stored in the answer's own transaction
    ENDED = "ended"  # the chat is no longer stored (FORGET ME took it, or it ran out): shown, not stored
    NOT_KEPT = "not kept"  # the service did not store them (a busy database, a form sent twice): the web
    # chat adds the turns for the reply it got itself, as for a note


# The turns for the service's reply: the person's words and the bot's answer, ready to store.
TurnsFor = Callable[[Reply], Awaitable[list[dict]]]


class ChatService(Protocol):
    async def handle(self, channel: Channel, address: str, message: Inbound) -> Reply: ...

    # `handle` for the web chat, storing `turns_for(reply)` in the same transaction as the answer.
    async def answer(self, address: str, message: Inbound, turns_for: TurnsFor) -> tuple[Reply, Kept]: ...

    async def menu(self, language: str | None, channel: Channel | None = None) -> Reply: ...


class Transcripts(Protocol):
    async def load(self, token: str) -> list[dict] | None: ...  # None: unknown or expired token

    async def start(self, token: str) -> None: ...

    async def append(self, token: str, turn: dict) -> None: ...  # {"who": "bot"|"person", ...}

    # Add a request's turns together unless a turn with the same "who" and "n" is stored already (a form
    # sent twice, handled by another request or another process): False then, True when added, None when
    # the chat is no longer stored (it ended, or FORGET ME took it with the person's answers).
    async def append_new(self, token: str, turns: list[dict]) -> bool | None: ...
