"""Transcript turns: what the web chat keeps so it can show the whole conversation again.

Turns are plain JSON-ready dicts (the `Transcripts` port stores them as they are), one per message:

    {"who": "bot", "kind": "say", "text": "Thank you", "symbol": "happy", "emoji": "😀", "lang": "en"}
    {"who": "bot", "kind": "ask", "question_id": "overall", "text": "How was your visit?", ...,
     "choices": [{"value": "good", "label": "Good", ...}], "progress": [1, 5], "menu": false}
    {"who": "bot", "kind": "note", "text": "Your last chat had ended, so this is a new one.", "lang": "en"}
    {"who": "person", "text": "Good", "emoji": "😀"}

A menu `Ask` (from `ChatService.menu`) is marked `"menu": true`: its buttons start a pack.

Messages sent later, outside a request (a "You said, we did" update, a reminder), may be stored as one
turn holding several messages in the outbox's wire format, `{"who": "bot", "messages": [{"type":
"say", ...}, {"type": "ask", "language": "en", "kind": "yesno", ...}]}`; `expand` turns those into the
turns above, so everything else reads one shape.
"""

from __future__ import annotations

from typing import Any

from bot.messages import Ask, Reply, Say


def say_turn(message: Say, lang: str) -> dict[str, Any]:
    return {
        "who": "bot",
        "kind": "say",
        "text": message.text,
        "symbol": message.symbol,
        "emoji": message.emoji,
        "lang": lang,
    }


def ask_turn(message: Ask, *, menu: bool = False) -> dict[str, Any]:
    return {
        "who": "bot",
        "kind": "ask",
        "question_id": message.question_id,
        "text": message.text,
        "ask_kind": message.kind,
        "lang": message.language,
        "symbol": message.symbol,
        "emoji": message.emoji,
        "choices": [
            {"value": c.value, "label": c.label, "symbol": c.symbol, "emoji": c.emoji, "key": c.key}
            for c in message.choices
        ],
        "hint": message.hint,
        "optional": message.optional,
        "progress": list(message.progress) if message.progress else None,
        "menu": menu,
    }


def note_turn(text: str, lang: str) -> dict[str, Any]:
    return {"who": "bot", "kind": "note", "text": text, "lang": lang}


def person_turn(text: str, emoji: str = "") -> dict[str, Any]:
    return {"who": "person", "text": text, "emoji": emoji}


def _from_wire(message: dict[str, Any]) -> dict[str, Any]:
    if message.get("type") == "ask":
        turn = {
            key: message.get(key) for key in ("question_id", "text", "symbol", "emoji", "choices", "hint")
        }
        turn.update(
            who="bot",
            kind="ask",
            ask_kind=message.get("kind"),
            lang=message.get("language"),
            optional=bool(message.get("optional")),
            progress=message.get("progress"),
            menu=False,
        )
        return turn
    return {
        "who": "bot",
        "kind": "say",
        "text": message.get("text"),
        "symbol": message.get("symbol"),
        "emoji": message.get("emoji"),
        "lang": None,
    }


def expand(turns: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    """Every message as a turn of its own, each with the index of the stored turn it came from."""
    out: list[tuple[int, dict[str, Any]]] = []
    for index, turn in enumerate(turns):
        messages = turn.get("messages") if isinstance(turn, dict) else None
        if isinstance(messages, list):
            out.extend((index, _from_wire(m)) for m in messages if isinstance(m, dict))
        elif isinstance(turn, dict):
            out.append((index, turn))
    return out


def reply_language(reply: Reply, fallback: str) -> str:
    """Says carry no language; they are in the language of the reply's question, else the last one."""
    return next((m.language for m in reply.messages if isinstance(m, Ask)), fallback)


def reply_turns(reply: Reply, fallback_language: str, *, menu: bool = False) -> list[dict[str, Any]]:
    lang = reply_language(reply, fallback_language)
    return [ask_turn(m, menu=menu) if isinstance(m, Ask) else say_turn(m, lang) for m in reply.messages]


def last_language(turns: list[dict[str, Any]], default: str = "en") -> str:
    """The language the bot spoke last, for words around the next message."""
    for _, turn in reversed(expand(turns)):
        if turn.get("who") == "bot" and turn.get("kind") != "note" and isinstance(turn.get("lang"), str):
            return turn["lang"]
    return default


def waiting_position(expanded: list[tuple[int, dict[str, Any]]]) -> int | None:
    """Where in `expand(turns)` the question still waiting for an answer is: the last ask after the
    person's last turn, or None when nothing is waiting."""
    for position in range(len(expanded) - 1, -1, -1):
        turn = expanded[position][1]
        if turn.get("who") == "person":
            return None
        if turn.get("who") == "bot" and turn.get("kind") == "ask":
            return position
    return None


def current_ask(turns: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The question still waiting for an answer, if any."""
    expanded = expand(turns)
    position = waiting_position(expanded)
    return None if position is None else expanded[position][1]


def find_choice(ask: dict[str, Any] | None, value: str) -> dict[str, Any] | None:
    if ask is None:
        return None
    return next((c for c in ask.get("choices") or () if c.get("value") == value), None)
