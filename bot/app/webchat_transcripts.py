"""The web chat's server-side side: its transcript store and its proactive 'sender'.

The browser holds only an opaque random token. The token is the web chat's address: it sits in the
vault like a phone number, and a proactive message to a web chat person is added to their transcript
for the next time they open the page.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.app.service import ConversationService
from bot.messages import Channel, Inbound, Outbound, Reply
from bot.messages_json import message_to_dict
from channels.base import SendFailed, Sent
from channels.webchat.ports import Kept, TurnsFor
from storage.conversations.store import Store
from storage.conversations.unit import UnitOfWork
from storage.errors import DuplicateInbound

SESSION_TTL = timedelta(days=14)


class WebChatService:
    """channels.webchat.ports.ChatService: the conversation service, with a web chat answer and its turns
    stored in one transaction."""

    def __init__(self, service: ConversationService) -> None:
        self.service = service

    async def handle(self, channel: Channel, address: str, message: Inbound) -> Reply:
        return await self.service.handle(channel, address, message)

    async def menu(self, language: str | None, channel: Channel | None = None) -> Reply:
        return await self.service.menu(language, channel)

    async def answer(self, address: str, message: Inbound, turns_for: TurnsFor) -> tuple[Reply, Kept]:
        async def keep(uow: UnitOfWork, reply: Reply, _forgotten: bool) -> Kept:
            added = await uow.add_web_turns(address, await turns_for(reply))
            if added is False:
                # The same turn is stored already: the same form, handled by another request first. Nothing
                # of this one may stay, so the whole transaction goes back, as for a retried webhook.
                raise DuplicateInbound("this web chat turn was handled already")
            return Kept.ADDED if added else Kept.ENDED

        reply, kept = await self.service.handle_keeping(Channel.WEB, address, message, keep)
        return reply, kept or Kept.NOT_KEPT


class StoreTranscripts:
    """channels.webchat.ports.Transcripts backed by storage."""

    def __init__(self, store: Store, *, ttl: timedelta = SESSION_TTL) -> None:
        self.store = store
        self.ttl = ttl

    async def load(self, token: str) -> list[dict[str, Any]] | None:
        record = await self.store.web_session(token, now=datetime.now(UTC))
        return None if record is None else list(record.transcript)

    async def start(self, token: str) -> None:
        async with self.store.unit() as uow:
            person = await uow.participant("web", token)
            assert person is not None
        await self.store.open_web_session(token, person.id, self.ttl)

    async def append(self, token: str, turn: dict[str, Any]) -> None:
        await self.store.append_transcript(token, turn)

    async def append_new(self, token: str, turns: list[dict[str, Any]]) -> bool | None:
        return await self.store.append_new_turns(token, turns)


class WebSender:
    channel = "web"

    def __init__(self, store: Store) -> None:
        self.store = store

    async def send(self, address: str, messages: list[Outbound], *, outbox_id: int) -> Sent:
        if await self.store.web_session(address, now=datetime.now(UTC)) is None:
            raise SendFailed("the web chat session has ended", retryable=False)
        await self.store.append_transcript(
            address, {"who": "bot", "messages": [message_to_dict(m) for m in messages]}
        )
        return Sent(provider_id=f"web-{outbox_id}")
