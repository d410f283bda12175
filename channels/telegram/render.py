"""Neutral messages as Telegram messages: text plus an inline keyboard of emoji + word buttons.

Returned as plain data (text, rows of (label, choice value)); the adapter turns it into
python-telegram-bot objects, so this stays testable without the SDK.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.messages import Ask, Reply, Say

BUTTON_LIMIT = 20  # characters a button label may use before Telegram clients cut it


@dataclass(frozen=True)
class TelegramMessage:
    text: str
    buttons: tuple[tuple[tuple[str, str], ...], ...] = ()  # rows of (label, choice value)


def render_telegram(reply: Reply) -> list[TelegramMessage]:
    out: list[TelegramMessage] = []
    for message in reply.messages:
        if isinstance(message, Say):
            out.append(TelegramMessage(f"{message.emoji} {message.text}".strip()))
        elif isinstance(message, Ask):
            text = f"{message.emoji} {message.text}".strip()
            if message.hint:
                text = f"{text}\n\n{message.hint}"
            rows = tuple(((f"{c.emoji} {c.label}".strip(), c.value),) for c in message.choices)
            out.append(TelegramMessage(text, rows))
    return out


def preview_telegram(reply: Reply) -> str:
    blocks = []
    for msg in render_telegram(reply):
        lines = [msg.text, *(f"  [ {row[0][0]} ]" for row in msg.buttons)]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
