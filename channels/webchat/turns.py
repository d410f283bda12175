"""Transcript turns: what the web chat keeps so it can show the whole conversation again.

A stored turn is one side speaking once, in the shape the transcript store and the outbox's web sender
share: `{"who": "bot" | "person", "n": 7, "messages": [...]}`. Bot messages use the outbox's wire
format (`{"type": "say", "text", "symbol", "emoji"}` and `{"type": "ask", "question_id", "text",
"kind", "language", "choices", ...}`) plus three things of ours: a say's `language`, an ask's
`"menu": true` when its buttons start a pack, and `{"type": "note", ...}` for the chat's own notes.
A person's turn holds `{"type": "text", "text": "Good", "emoji": "😀"}`.

`n` numbers the turns of a chat from 0. The store keeps only the last turns, and a message sent later
by the outbox has no `n`, so the next number is counted from the last turn, never from the length.
"""

from __future__ import annotations

from typing import Any

from bot.messages import Ask, Reply, Say
from bot.messages_json import message_to_dict

Turn = dict[str, Any]
Message = dict[str, Any]


def say_message(message: Say, language: str) -> Message:
    return {
        "type": "say",
        "text": message.text,
        "symbol": message.symbol,
        "emoji": message.emoji,
        "language": language,
    }


def ask_message(message: Ask, *, menu: bool = False) -> Message:
    return {**message_to_dict(message), "menu": menu}


def note_message(text: str, language: str) -> Message:
    return {"type": "note", "text": text, "language": language}


def bot_turn(n: int, messages: list[Message]) -> Turn:
    return {"who": "bot", "n": n, "messages": messages}


def person_turn(n: int, text: str, emoji: str = "") -> Turn:
    return {"who": "person", "n": n, "messages": [{"type": "text", "text": text, "emoji": emoji}]}


def reply_language(reply: Reply, fallback: str) -> str:
    """Says carry no language; they are in the language of the reply's question, else the last one."""
    return next((m.language for m in reply.messages if isinstance(m, Ask)), fallback)


def reply_messages(reply: Reply, fallback_language: str, *, menu: bool = False) -> list[Message]:
    lang = reply_language(reply, fallback_language)
    return [ask_message(m, menu=menu) if isinstance(m, Ask) else say_message(m, lang) for m in reply.messages]


def next_number(turns: list[Turn]) -> int:
    """The number the next turn gets: one more than the last, counting turns that have no number."""
    number = 0
    for turn in turns:
        n = turn.get("n")
        number = n + 1 if isinstance(n, int) and not isinstance(n, bool) and n >= 0 else number + 1
    return number


def numbered(turns: list[Turn]) -> list[tuple[int, Turn]]:
    """Each turn with its number, as `next_number` counts them."""
    out: list[tuple[int, Turn]] = []
    number = 0
    for turn in turns:
        n = turn.get("n")
        number = n if isinstance(n, int) and not isinstance(n, bool) and n >= 0 else number
        out.append((number, turn))
        number += 1
    return out


def expand(turns: list[Turn]) -> list[tuple[int, str, Message]]:
    """Every message of every turn, with its turn's number and who said it, oldest first."""
    out: list[tuple[int, str, Message]] = []
    for number, turn in numbered(turns):
        who = turn.get("who")
        messages = turn.get("messages")
        if who in ("bot", "person") and isinstance(messages, list):
            out.extend((number, who, m) for m in messages if isinstance(m, dict))
    return out


def waiting_position(expanded: list[tuple[int, str, Message]]) -> int | None:
    """Where in `expand(turns)` the question still waiting for an answer is: the last ask after the
    person's last turn, or None when nothing is waiting."""
    for position in range(len(expanded) - 1, -1, -1):
        _, who, message = expanded[position]
        if who == "person":
            return None
        if message.get("type") == "ask":
            return position
    return None


def current_ask(turns: list[Turn]) -> Message | None:
    """The question still waiting for an answer, if any."""
    expanded = expand(turns)
    position = waiting_position(expanded)
    return None if position is None else expanded[position][2]


def last_language(turns: list[Turn], default: str = "en") -> str:
    """The language the bot spoke last, for words around the next message."""
    for _, who, message in reversed(expand(turns)):
        language = message.get("language")
        if who == "bot" and message.get("type") != "note" and isinstance(language, str) and language:
            return language
    return default


def person_text(turn: Turn) -> str | None:
    """What a stored person turn shows, to spot a form sent twice."""
    if turn.get("who") != "person":
        return None
    return " ".join(str(m.get("text", "")) for m in turn.get("messages") or () if isinstance(m, dict))


def find_choice(ask: Message | None, value: str) -> dict[str, Any] | None:
    if ask is None:
        return None
    return next((c for c in ask.get("choices") or () if isinstance(c, dict) and c.get("value") == value), None)
