"""Neutral messages as SMS text: numbered choices with their emoji, one message per reply.

    How was your visit? ⭐
    1 😊 Good
    2 😐 OK
    3 🙁 Not good
    Reply with a number.

`plain=True` gives the GSM-7 variant a service can choose to keep most questions to one segment:
no emoji, straight quotes.
"""

from __future__ import annotations

from bot.messages import Ask, Reply, Say


def render_sms(reply: Reply, *, plain: bool = False) -> str:
    parts: list[str] = []
    for message in reply.messages:
        if isinstance(message, Say):
            parts.append(_with_emoji(message.text, message.emoji, plain))
        elif isinstance(message, Ask):
            lines = [_with_emoji(message.text, message.emoji, plain)]
            for choice in message.choices:
                label = choice.label if plain or not choice.emoji else f"{choice.emoji} {choice.label}"
                lines.append(f"{choice.key} {label}")
            if message.hint:
                lines.append(message.hint)
            parts.append("\n".join(lines))
    text = "\n\n".join(p for p in parts if p)
    if plain:
        from channels.segments import to_gsm7

        text = to_gsm7(text)
    return text


def _with_emoji(text: str, emoji: str, plain: bool) -> str:
    return text if plain or not emoji else f"{text} {emoji}"
