"""How the web chat would show a reply, as plain text, for `said chat --as web` in a terminal."""

from __future__ import annotations

from bot.messages import Ask, Reply, Say
from channels.webchat.words import words_for


def _with_symbol(emoji: str, text: str) -> str:
    return f"{emoji} {text}" if emoji else text


def _ask_lines(message: Ask) -> list[str]:
    words = words_for(message.language)
    lines: list[str] = []
    if message.progress:
        number, total = message.progress
        lines.append(words["progress"].format(number=number, total=total))
    lines.append(_with_symbol(message.emoji, message.text))
    if message.hint:
        lines.append(message.hint)
    if message.choices:
        # Buttons as they line up on a wide screen: the symbol, then the words.
        lines.append("  ".join(f"[ {_with_symbol(c.emoji, c.label)} ]" for c in message.choices))
    label = words["or_type"] if message.choices else words["type_answer"]
    lines.append(f"{label}: ______  [ {words['send']} ]")
    return lines


def render_text(reply: Reply) -> str:
    """The reply as the web chat lays it out: one block a message, buttons in square brackets."""
    blocks = [
        "\n".join(_ask_lines(m)) if isinstance(m, Ask) else _with_symbol(m.emoji, m.text)
        for m in reply.messages
        if isinstance(m, Ask | Say)
    ]
    return "\n\n".join(blocks)
