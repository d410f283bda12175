"""Neutral messages as words to speak: the choice is named before its key.

    How was your visit? If it was good, press 1. If it was OK, press 2. ... To hear this again,
    press 9. To skip, press 0.
"""

from __future__ import annotations

from bot.messages import Ask, Reply, Say


def speak(reply: Reply) -> list[str]:
    """One sentence group per message, ready for <Say> (the adapter adds SSML pauses between them)."""
    out: list[str] = []
    for message in reply.messages:
        if isinstance(message, Say):
            out.append(message.text)
        elif isinstance(message, Ask):
            out.append(message.text)
            if message.kind == "number":
                out.append("Type the number on your keypad, then press the hash key.")
            for choice in message.choices:
                out.append(f"For {choice.label}, press {choice.key}.")
            if message.choices:
                out.append("To hear this again, press 9. To skip, press 0.")
    return out


def preview_voice(reply: Reply) -> str:
    return "\n".join(f"(voice) {line}" for line in speak(reply))
