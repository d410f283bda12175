"""Channel-neutral messages: what the engine reads and writes.

Channel adapters translate their provider's webhooks into `Inbound` and render `Say` / `Ask` in the
provider's best form. Nothing here knows about Twilio, Telegram or HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class TryLater(Exception):
    """The service could not take this message just now (its database is unavailable) and nothing of it
    was kept. A channel whose provider delivers again on an error (Telegram) answers with an error so it
    does; de-duplication by provider id makes the second delivery safe."""


class Channel(StrEnum):
    SMS = "sms"
    WHATSAPP = "whatsapp"
    TELEGRAM = "telegram"
    VOICE = "voice"
    WEB = "web"


@dataclass(frozen=True, slots=True)
class Inbound:
    """One thing a person sent us.

    `choice` is set when the person tapped a button (web chat, Telegram) or pressed a key the adapter
    already mapped to a choice value; `text` is what they typed or said. `media` names what was attached
    without downloading it ("picture", "voice note").
    """

    text: str
    channel: Channel
    received_at: datetime
    choice: str | None = None
    media: tuple[str, ...] = ()
    provider_id: str | None = None
    start_pack: str | None = None  # a deep link or a web chat "start this pack" button
    speech_confidence: float | None = None
    # The question a tapped button belonged to: a tap on an old question's button must not answer the
    # current one (Telegram keeps old keyboards on screen).
    question_id: str | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str
    symbol: str  # a symbol name from prompts/symbols, e.g. "happy"
    emoji: str
    key: str  # what to type or press: "1", "2" …


@dataclass(frozen=True, slots=True)
class Say:
    """Plain words, with an optional symbol."""

    text: str
    symbol: str | None = None
    emoji: str = ""


@dataclass(frozen=True, slots=True)
class Ask:
    """One question. `hint` says how to answer in plain words ("Type a number from 1 to 10")."""

    question_id: str
    text: str
    kind: str  # choice | scale | yesno | text | number
    language: str
    symbol: str | None = None
    emoji: str = ""
    choices: tuple[Choice, ...] = ()
    hint: str = ""
    optional: bool = False
    progress: tuple[int, int] | None = None  # (this question's number, how many questions at most)


Outbound = Say | Ask


@dataclass(frozen=True, slots=True)
class Reply:
    """What the engine answers to one inbound message."""

    messages: tuple[Outbound, ...] = field(default_factory=tuple)
    ended: bool = False  # the conversation is over: a voice call may hang up
    # The reply says where to get help: a channel shows it last, with no list of packs after it.
    support: bool = False
