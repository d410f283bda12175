"""One step in the making: the state being changed, and the messages and events collected so far."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.content.packs.model import Pack, Question
from bot.engine.answers import Vocabulary
from bot.engine.context import Context
from bot.engine.events import Event
from bot.engine.state import Awaiting, Conversation
from bot.messages import Ask, Inbound, Outbound, Reply, Say


@dataclass(frozen=True)
class Step:
    """What `handle` returns: the new state, the reply to send now, and the events to store."""

    conversation: Conversation
    reply: Reply
    events: tuple[Event, ...]


class Turn:
    def __init__(self, conversation: Conversation, message: Inbound, ctx: Context) -> None:
        self.conversation = conversation.copy()  # the caller's state is never changed
        self.message = message
        self.ctx = ctx
        self.messages: list[Outbound] = []
        self.events: list[Event] = []
        self.ended = False
        # Where to get help is in this reply: a channel must not bury it under a list of packs.
        self.support_given = False

    @property
    def language(self) -> str:
        """The person's language for the bot's own words."""
        return self.conversation.language or self.ctx.default_language

    @property
    def channel(self) -> str:
        """The channel this message came in on: hints, menus and some words are worded for it."""
        return str(self.message.channel)

    @property
    def pack(self) -> Pack | None:
        return self.ctx.library.get(self.conversation.pack_id)

    @property
    def question(self) -> Question | None:
        pack = self.pack
        return pack.question(self.conversation.question_id or "") if pack else None

    @property
    def vocabulary(self) -> Vocabulary:
        texts = self.ctx.texts
        return Vocabulary(texts.numbers, texts.negations, texts.yes_words, texts.no_words)

    def words(self, key: str, language: str | None = None, **values: Any) -> str:
        return self.ctx.texts.get(key, language or self.language, self.channel, **values)

    def say(self, key: str, symbol: str | None = None, **values: Any) -> None:
        self.add(Say(self.words(key, **values), symbol, self.ctx.symbols.emoji(symbol)))

    def add(self, message: Outbound) -> None:
        self.messages.append(message)

    def emit(self, event: Event) -> None:
        self.events.append(event)

    def step(self) -> Step:
        self.conversation.last_seen = self.ctx.now
        if self.conversation.awaiting not in (Awaiting.CONFIRM, Awaiting.HELD):
            self.conversation.pending = None  # an answer asked back about, or a held message, goes with its question
        asked = [m.question_id for m in self.messages if isinstance(m, Ask)]
        if asked:
            self.conversation.last_asked = asked[-1]
        reply = Reply(tuple(self.messages), self.ended, support=self.support_given)
        return Step(self.conversation, reply, tuple(self.events))
