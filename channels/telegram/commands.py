"""Telegram's slash commands as the text commands the engine already knows.

    /start                 START: the welcome and the packs (or, when stopped, messages on again)
    /start waiting_list    the deep link t.me/<bot>?start=waiting_list: that pack straight away
    /stop /help /language /forget /menu /skip /back /repeat /restart    STOP, HELP, LANGUAGE, FORGET ME …

`/help@said_bot` (the form a client sends after picking from the command list) works the same.
A slash word we do not know is passed on as typed, so nothing a person sends is lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

COMMAND_WORDS = {
    "start": "START",
    "stop": "STOP",
    "help": "HELP",
    "language": "LANGUAGE",
    "forget": "FORGET ME",
    "menu": "MENU",
    "skip": "SKIP",
    "back": "BACK",
    "repeat": "REPEAT",
    "restart": "RESTART",
}
# Telegram's deep-link payload: up to 64 of A-Z a-z 0-9 _ -
_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]{1,64})?(?:\s+(.*))?$", re.DOTALL)
_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True, slots=True)
class Command:
    text: str  # what the engine reads
    start_pack: str | None = None


def read_command(text: str, knows_pack: Callable[[str], bool]) -> Command | None:
    """The engine's reading of a slash command, or None when `text` is not one we know."""
    found = _COMMAND.match(text.strip())
    if found is None:
        return None
    name, argument = found.group(1).lower(), (found.group(2) or "").strip()
    if name == "start" and argument:
        pack = argument.lower()
        if _PAYLOAD.match(argument) and knows_pack(pack):
            return Command("", start_pack=pack)
        return Command("START")  # an old or mistyped link: the welcome and the packs are the best help
    word = COMMAND_WORDS.get(name)
    return Command(word) if word is not None else None
