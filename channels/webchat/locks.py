"""One request at a time per chat session, so a double submit cannot interleave two engine turns."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class SessionLocks:
    """A lock per session token, dropped again when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, token: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(token, (asyncio.Lock(), 0))
        self._locks[token] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[token]
            if users <= 1:
                del self._locks[token]
            else:
                self._locks[token] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)
