"""Transcript turns: what the web chat keeps so it can show the whole conversation again.

Turns are plain JSON-ready dicts (the `Transcripts` port stores them as they are), one per message:

    {"who": "bot", "kind": "say", "text": "Thank you", "symbol": "happy", "emoji": "😀", "lang": "en"}
    {"who": "bot", "kind": "ask", "question_id": "overall", "text": "How was your visit?", ...,
     "choices": [{"value": "good", "label": "Good", ...}], "progress": [1, 5], "menu": false}
    {"who": "bot", "kind": "note", "text": "Your last chat had ended, so this is a new one.", "lang": "en"}
    {"who": "person", "text": "Good", "emoji": "😀"}

A menu `Ask` (from `ChatService.menu`) is marked `"menu": true`: its buttons start a pack.
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


def reply_language(reply: Reply, fallback: str) -> str:
    """Says carry no language; they are in the language of the reply's question, else the last one."""
    return next((m.language for m in reply.messages if isinstance(m, Ask)), fallback)


def reply_turns(reply: Reply, fallback_language: str, *, menu: bool = False) -> list[dict[str, Any]]:
    lang = reply_language(reply, fallback_language)
    return [ask_turn(m, menu=menu) if isinstance(m, Ask) else say_turn(m, lang) for m in reply.messages]


def last_language(turns: list[dict[str, Any]], default: str = "en") -> str:
    """The language the bot spoke last, for words around the next message."""
    for turn in reversed(turns):
        if turn.get("who") == "bot" and turn.get("kind") != "note" and isinstance(turn.get("lang"), str):
            return turn["lang"]
    return default


def current_ask(turns: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The question still waiting for an answer: the last ask after the person's last turn."""
    for turn in reversed(turns):
        if turn.get("who") == "person":
            return None
        if turn.get("who") == "bot" and turn.get("kind") == "ask":
            return turn
    return None


def find_choice(ask: dict[str, Any] | None, value: str) -> dict[str, Any] | None:
    if ask is None:
        return None
    return next((c for c in ask.get("choices") or () if c.get("value") == value), None)
