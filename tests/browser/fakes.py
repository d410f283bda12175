"""A small scripted chat service and an in-memory transcript store, shaped like the web chat's ports.

They let the web chat be tested on its own, the way a person would meet it, without the engine or a
database. The script is a three-question pack in English or Welsh, with a re-ask on an answer it does
not understand, HELP, and an end.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

from bot.messages import Ask, Channel, Choice, Inbound, Reply, Say
from channels.webchat.ports import Kept, TurnsFor

FEELINGS = {
    "en": ("How was your visit?", (("good", "Good", "😀"), ("ok", "OK", "😐"), ("poor", "Poor", "🙁"))),
    "cy": ("Sut oedd eich ymweliad?", (("good", "Da", "😀"), ("ok", "Iawn", "😐"), ("poor", "Gwael", "🙁"))),
}
YES_NO = (("yes", "Yes", "👍"), ("no", "No", "👎"))


def _choices(rows: tuple[tuple[str, str, str], ...]) -> tuple[Choice, ...]:
    return tuple(
        Choice(value=v, label=label, symbol=v, emoji=emoji, key=str(i))
        for i, (v, label, emoji) in enumerate(rows, 1)
    )


def question(step: int, language: str) -> Ask:
    if step == 0:
        text, rows = FEELINGS[language]
        return Ask("overall", text, "choice", language, "star", "⭐", _choices(rows), progress=(1, 3))
    if step == 1:
        return Ask(
            "better",
            "What could we do better?",
            "text",
            "en",
            "pencil",
            "✏️",
            hint="Type your answer. Or type SKIP.",
            optional=True,
            progress=(2, 3),
        )
    return Ask(
        "hear_back",
        "Can we tell you what we did?",
        "yesno",
        "en",
        "message",
        "💬",
        _choices(YES_NO),
        progress=(3, 3),
    )


@dataclass
class _Person:
    step: int | None = None
    language: str = "en"


@dataclass
class FakeChatService:
    """Answers like a tiny engine and records every inbound message it was given."""

    received: list[tuple[Channel, str, Inbound]] = field(default_factory=list)
    people: dict[str, _Person] = field(default_factory=dict)
    fail_with: Exception | None = None
    delay: float = 0.0  # seconds each answer takes, to let double submits overlap

    async def menu(self, language: str | None, channel: Channel | None = None) -> Reply:
        return Reply(
            (
                Say("What would you like to tell us about?"),
                Ask(
                    "menu",
                    "Pick one to start.",
                    "choice",
                    "en",
                    "list",
                    "📋",
                    (
                        Choice("visit", "Your visit", "hospital", "🏥", "1"),
                        Choice("visit_cy", "Cymraeg", "wales", "🏴", "2"),
                    ),
                ),
            )
        )

    async def answer(self, address: str, message: Inbound, turns_for: TurnsFor) -> tuple[Reply, Kept]:
        """Answers; the web chat stores the turns itself (the real service stores them with the answer)."""
        return await self.handle(Channel.WEB, address, message), Kept.NOT_KEPT

    async def handle(self, channel: Channel, address: str, message: Inbound) -> Reply:
        self.received.append((channel, address, message))
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.fail_with is not None:
            raise self.fail_with
        person = self.people.setdefault(address, _Person())
        if message.start_pack in ("visit", "visit_cy"):
            person.step, person.language = 0, "cy" if message.start_pack == "visit_cy" else "en"
            return Reply((Say("Thank you for helping us."), question(0, person.language)))
        if person.step is None:
            return Reply((Say("Tap a button to start."),))
        current = question(person.step, person.language)
        typed = message.text.strip()
        if typed.upper() == "HELP":
            return Reply((Say("Tap a button, or type your answer."), current))
        if not self._understood(current, message):
            return Reply((Say("Sorry, I did not understand that. Tap a button, or type a number."), current))
        person.step += 1
        if person.step == 3:
            person.step = None
            return Reply((Say("Thank you. We read every answer.", emoji="🙏"),), ended=True)
        return Reply((question(person.step, person.language),))

    @staticmethod
    def _understood(current: Ask, message: Inbound) -> bool:
        if not current.choices:
            return bool(message.text.strip())
        typed = message.text.strip().lower()
        return any(message.choice == c.value or typed in (c.key, c.label.lower()) for c in current.choices)


@dataclass
class FakeTranscripts:
    """Transcripts in a dict, with the real store's rules: a turn is `{"who": "bot" | "person",
    "messages": [...]}` that JSON can hold, and only the last `keep` turns are kept. `expire` forgets a
    chat, as the real store does after its time is up."""

    chats: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    keep: int = 50

    async def load(self, token: str) -> list[dict] | None:
        turns = self.chats.get(token)
        return None if turns is None else json.loads(json.dumps(turns))

    async def start(self, token: str) -> None:
        self.chats.setdefault(token, [])

    async def append(self, token: str, turn: dict) -> None:
        if turn.get("who") not in ("bot", "person") or not isinstance(turn.get("messages"), list):
            raise ValueError('a transcript turn is {"who": "bot" or "person", "messages": [...]}')
        if token in self.chats:
            self.chats[token] = [*self.chats[token], json.loads(json.dumps(turn))][-self.keep :]

    async def append_new(self, token: str, turns: list[dict]) -> bool | None:
        if token not in self.chats:
            return None
        stored = {(t.get("who"), t.get("n")) for t in self.chats.get(token, []) if "n" in t}
        if any((t.get("who"), t.get("n")) in stored for t in turns if "n" in t):
            return False
        for turn in turns:
            await self.append(token, turn)
        return True

    def expire(self, token: str) -> None:
        del self.chats[token]
