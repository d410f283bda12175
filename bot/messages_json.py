"""Neutral messages to and from JSON-safe dicts: the outbox payload, the de-duplication cache and the web
chat's transcript all keep messages in this one form."""

from __future__ import annotations

from typing import Any

from bot.messages import Ask, Choice, Outbound, Reply, Say


def message_to_dict(message: Outbound) -> dict[str, Any]:
    if isinstance(message, Say):
        return {"type": "say", "text": message.text, "symbol": message.symbol, "emoji": message.emoji}
    return {
        "type": "ask",
        "question_id": message.question_id,
        "text": message.text,
        "kind": message.kind,
        "language": message.language,
        "symbol": message.symbol,
        "emoji": message.emoji,
        "choices": [
            {"value": c.value, "label": c.label, "symbol": c.symbol, "emoji": c.emoji, "key": c.key}
            for c in message.choices
        ],
        "hint": message.hint,
        "optional": message.optional,
        "progress": list(message.progress) if message.progress else None,
    }


def message_from_dict(data: dict[str, Any]) -> Outbound:
    if data.get("type") == "ask":
        progress = data.get("progress")
        return Ask(
            question_id=str(data["question_id"]),
            text=str(data["text"]),
            kind=str(data["kind"]),
            language=str(data.get("language") or "en"),
            symbol=data.get("symbol"),
            emoji=str(data.get("emoji") or ""),
            choices=tuple(Choice(**c) for c in data.get("choices") or ()),
            hint=str(data.get("hint") or ""),
            optional=bool(data.get("optional")),
            progress=(int(progress[0]), int(progress[1])) if progress else None,
        )
    return Say(text=str(data.get("text") or ""), symbol=data.get("symbol"), emoji=str(data.get("emoji") or ""))


def reply_to_dict(reply: Reply) -> dict[str, Any]:
    return {"messages": [message_to_dict(m) for m in reply.messages], "ended": reply.ended, "support": reply.support}


def reply_from_dict(data: dict[str, Any]) -> Reply:
    return Reply(
        messages=tuple(message_from_dict(m) for m in data.get("messages") or ()),
        ended=bool(data.get("ended")),
        support=bool(data.get("support")),
    )
