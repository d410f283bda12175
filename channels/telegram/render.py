"""Neutral messages as Telegram messages: text plus an inline keyboard of emoji + word buttons.

    😀 How are you feeling today?          [ 😀 Good        ]
                                           [ 😐 OK          ]
    Tap an answer or type it.              [ 🙁 Not good    ]

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
from channels.splitting import split_text

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
            words = _with_emoji(message.text, message.emoji)
            out.extend(TelegramMessage(piece) for piece in split_text(words, TEXT_LIMIT))
        elif isinstance(message, Ask):
            text = _with_emoji(message.text, message.emoji)
            if message.hint:
                text = f"{text}\n\n{message.hint}"
            buttons = tuple(
                Button(_with_emoji(c.label, c.emoji), message.question_id, c.value) for c in message.choices
            )
            # Telegram refuses a keyboard without text; a pack's question always has words, but a blank
            # one must not lose its buttons.
            pieces = split_text(text, TEXT_LIMIT) or [message.emoji or "❓"]
            for index, piece in enumerate(pieces):
                last = index == len(pieces) - 1
                out.append(TelegramMessage(piece, buttons if last else (), message.symbol if index == 0 else None))
    return out




def _with_emoji(text: str, emoji: str) -> str:
    return f"{emoji} {text}".strip() if emoji else text.strip()


def preview_telegram(reply: Reply) -> str:
    """What `said chat --as telegram` prints: each message, its buttons underneath."""
    blocks = []
    for msg in render_telegram(reply):
        lines = [msg.text, *(f"  [ {button.label} ]" for button in msg.buttons)]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
