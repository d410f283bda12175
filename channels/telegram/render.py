"""Neutral messages as Telegram messages: text plus an inline keyboard of emoji + word buttons.

    😀 How are you feeling today?          [ 😀 Good        ]
                                           [ 😐 OK          ]
    Reply with a number from 1 to 4 …      [ 🙁 Not good    ]

One big button a row, so each is easy to hit and reads as a list. Returned as plain data (text,
buttons of label + question + value, the symbol whose card may go first); the sender turns it into
python-telegram-bot objects, so this stays testable without the SDK. Telegram takes at most 4,096
characters a message: a longer text is split between paragraphs, and the buttons go under the last
piece, where the person is reading.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.messages import Ask, Outbound, Reply, Say

BUTTON_LIMIT = 20  # characters a button label may use before Telegram clients cut it
TEXT_LIMIT = 4096  # Telegram's limit for one message's text


@dataclass(frozen=True, slots=True)
class Button:
    label: str  # emoji and words, as shown
    question_id: str
    value: str


@dataclass(frozen=True, slots=True)
class TelegramMessage:
    text: str
    buttons: tuple[Button, ...] = ()  # one a row
    symbol: str | None = None  # the symbol card that may go before this message


def render_telegram(reply: Reply | Iterable[Outbound]) -> list[TelegramMessage]:
    messages = reply.messages if isinstance(reply, Reply) else tuple(reply)
    out: list[TelegramMessage] = []
    for message in messages:
        if isinstance(message, Say):
            out.extend(TelegramMessage(piece) for piece in split_text(_with_emoji(message.text, message.emoji)))
        elif isinstance(message, Ask):
            text = _with_emoji(message.text, message.emoji)
            if message.hint:
                text = f"{text}\n\n{message.hint}"
            buttons = tuple(
                Button(_with_emoji(c.label, c.emoji), message.question_id, c.value) for c in message.choices
            )
            # Telegram refuses a keyboard without text; a pack's question always has words, but a blank
            # one must not lose its buttons.
            pieces = split_text(text) or [message.emoji or "❓"]
            for index, piece in enumerate(pieces):
                last = index == len(pieces) - 1
                out.append(TelegramMessage(piece, buttons if last else (), message.symbol if index == 0 else None))
    return out


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Pieces of at most `limit` characters, broken between paragraphs, then lines, then words."""
    text = text.strip()
    if not text:
        return []
    if len(text) <= limit:
        return [text]
    for separator in ("\n\n", "\n", " "):
        pieces = _pack(text.split(separator), separator, limit)
        if pieces is not None:
            return pieces
    return [text[i : i + limit] for i in range(0, len(text), limit)]  # one word longer than a message


def _pack(chunks: list[str], separator: str, limit: int) -> list[str] | None:
    if any(len(chunk) > limit for chunk in chunks):
        return None
    pieces: list[str] = []
    current = ""
    for chunk in chunks:
        candidate = f"{current}{separator}{chunk}" if current else chunk
        if len(candidate) <= limit:
            current = candidate
        else:
            pieces.append(current)
            current = chunk
    if current:
        pieces.append(current)
    return [p.strip() for p in pieces if p.strip()]


def _with_emoji(text: str, emoji: str) -> str:
    return f"{emoji} {text}".strip() if emoji else text.strip()


def preview_telegram(reply: Reply) -> str:
    """What `said chat --as telegram` prints: each message, its buttons underneath."""
    blocks = []
    for msg in render_telegram(reply):
        lines = [msg.text, *(f"  [ {button.label} ]" for button in msg.buttons)]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
