"""A Telegram update (the JSON posted to our webhook) as what it means to us.

    message in a private chat      Said: a neutral `Inbound` (text, command, deep link or media names)
    callback_query                 ButtonTap: a tap, with the choice it carries if we made its data
    message or membership in a group, supergroup or channel     NotPrivate: say so and leave
    my_chat_member "kicked" in a private chat                    Blocked: the person blocked the bot
    anything else (edited messages, service messages, unknown update types)   Ignored, with no reply

Parsing uses PTB's `Update.de_json`, which trusts the JSON's shape; the checks here make a malformed
update a `BadUpdate` instead of a crash. Names, usernames and the chat id are read only to address the
reply: the `Inbound` carries none of them, and its `provider_id` is a keyed hash of the chat and message
ids, so the de-duplication table cannot be used to find a chat.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telegram import CallbackQuery, ChatMemberUpdated, Message, Update
from telegram.constants import ChatMemberStatus, ChatType

from bot.messages import Channel, Inbound
from channels.telegram.buttons import ButtonCodec
from channels.telegram.commands import read_command

# Attachment fields in the order that names a message best (a GIF also carries `document`, a venue
# also carries `location`). The files are never downloaded.
MEDIA_NAMES = (
    ("photo", "picture"),
    ("animation", "animation"),
    ("sticker", "sticker"),
    ("video_note", "video"),
    ("video", "video"),
    ("voice", "voice note"),
    ("audio", "sound file"),
    ("document", "file"),
    ("contact", "contact card"),
    ("venue", "location"),
    ("location", "location"),
    ("poll", "poll"),
    ("dice", "dice"),
    ("story", "story"),
    ("paid_media", "picture"),
)
USED_KINDS = ("message", "callback_query", "my_chat_member", "edited_message")
BLOCKED_STATUSES = frozenset({ChatMemberStatus.BANNED})  # "kicked": the person blocked the bot
JOINED_STATUSES = frozenset({ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR})


class BadUpdate(ValueError):
    """Not a Telegram update we can read. The message names the problem, never a value from it."""


@dataclass(frozen=True, slots=True)
class Said:
    update_id: int
    chat_id: int
    message: Inbound


@dataclass(frozen=True, slots=True)
class ButtonTap:
    update_id: int
    query_id: str
    chat_id: int | None  # None: not a private chat of ours, so only the tap is answered
    message_id: int | None  # None when Telegram no longer shows us the message (older than 48 hours)
    shown_text: str | None  # the message's text as the person sees it
    label: str | None  # the tapped button's words
    message: Inbound | None  # None: data we did not make, so it answers nothing


@dataclass(frozen=True, slots=True)
class NotPrivate:
    update_id: int
    chat_id: int
    language: str | None


@dataclass(frozen=True, slots=True)
class Blocked:
    update_id: int
    chat_id: int
    message: Inbound  # STOP, as if the person had sent it


@dataclass(frozen=True, slots=True)
class Ignored:
    update_id: int | None
    reason: str


Event = Said | ButtonTap | NotPrivate | Blocked | Ignored


class InboundIds:
    """`Inbound.provider_id`s: unique per message, unlinkable to a chat without the key."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def __repr__(self) -> str:
        return "InboundIds()"

    def message(self, chat_id: int, message_id: int) -> str:
        # Message ids count up per chat, so the chat is part of what makes one unique.
        return "tg:m:" + self._digest(f"m:{chat_id}:{message_id}")

    def tap(self, query_id: str) -> str:
        return "tg:c:" + self._digest(f"c:{query_id}")

    def update(self, update_id: int) -> str:
        return f"tg:u:{update_id}"

    def _digest(self, text: str) -> str:
        raw = hmac.new(self._key, text.encode("utf-8", "surrogatepass"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")[:32]


@dataclass(frozen=True)
class UpdateReader:
    buttons: ButtonCodec
    ids: InboundIds
    knows_pack: Callable[[str], bool]

    def read(self, data: Any, received_at: datetime) -> Event:
        update = _update(data)
        if update is None:
            return Ignored(data["update_id"], "an update type the bot does not use")
        update_id = update.update_id
        try:
            if update.message is not None:
                return self._message(update_id, update.message, received_at)
            if update.callback_query is not None:
                return self._tap(update_id, update.callback_query, received_at)
            if update.my_chat_member is not None:
                return self._membership(update_id, update.my_chat_member, received_at)
        except (AttributeError, TypeError) as exc:
            # PTB builds objects from whatever JSON it is given; a part missing (a chat without an id,
            # a text that is a number) shows up here, as it would from anything but Telegram.
            raise BadUpdate(f"the update does not have Telegram's shape ({type(exc).__name__})") from None
        return Ignored(update_id, "an edited message")  # the first version was already answered

    def _message(self, update_id: int, message: Message, received_at: datetime) -> Event:
        chat_id, message_id = _chat_id(message), message.message_id
        if not isinstance(message_id, int):
            raise BadUpdate("the message has no message_id")
        if message.chat.type != ChatType.PRIVATE:
            return NotPrivate(update_id, chat_id, _language(message))
        if message.from_user is not None and message.from_user.is_bot:
            return Ignored(update_id, "a message from a bot")
        text = _text(message.text) or _text(message.caption)
        media = media_names(message)
        if not text and not media:
            return Ignored(update_id, "a service message")
        provider_id = self.ids.message(chat_id, message_id)
        command = read_command(text, self.knows_pack) if text.startswith("/") and not media else None
        if command is not None:
            inbound = Inbound(text=command.text, channel=Channel.TELEGRAM, received_at=received_at,
                              provider_id=provider_id, start_pack=command.start_pack)
        else:
            inbound = Inbound(text=text, channel=Channel.TELEGRAM, received_at=received_at, media=media,
                              provider_id=provider_id)
        return Said(update_id, chat_id, inbound)

    def _tap(self, update_id: int, query: CallbackQuery, received_at: datetime) -> Event:
        if not isinstance(query.id, str) or not query.id:
            raise BadUpdate("the callback query has no id")
        shown = query.message
        if shown is None:
            return ButtonTap(update_id, query.id, None, None, None, None, None)
        chat_id = _chat_id(shown)
        if shown.chat.type != ChatType.PRIVATE:
            return ButtonTap(update_id, query.id, None, None, None, None, None)
        message_id = shown.message_id if isinstance(shown.message_id, int) else None
        data = query.data if isinstance(query.data, str) else None
        tapped = self.buttons.decode(data)
        text, label = None, None
        if isinstance(shown, Message):  # otherwise an InaccessibleMessage: too old to show us its content
            text = shown.text if isinstance(shown.text, str) else None
            label = _label(shown, data)
        inbound = None
        if tapped is not None:
            inbound = Inbound(text="", channel=Channel.TELEGRAM, received_at=received_at, choice=tapped.value,
                              question_id=tapped.question_id, provider_id=self.ids.tap(query.id))
        return ButtonTap(update_id, query.id, chat_id, message_id, text, label, inbound)

    def _membership(self, update_id: int, change: ChatMemberUpdated, received_at: datetime) -> Event:
        chat = change.chat
        chat_id = _chat_id(change)
        status = getattr(change.new_chat_member, "status", None)
        if chat.type != ChatType.PRIVATE:
            if status in JOINED_STATUSES:
                user = change.from_user
                language = user.language_code if user is not None and isinstance(user.language_code, str) else None
                return NotPrivate(update_id, chat_id, language)
            return Ignored(update_id, "the bot left or was removed from a group")
        if status in BLOCKED_STATUSES:
            stop = Inbound(text="STOP", channel=Channel.TELEGRAM, received_at=received_at,
                           provider_id=self.ids.update(update_id))
            return Blocked(update_id, chat_id, stop)
        return Ignored(update_id, "the person unblocked the bot; /start will follow")


def media_names(message: Message) -> tuple[str, ...]:
    for attribute, name in MEDIA_NAMES:
        if getattr(message, attribute, None):
            return (name,)
    return ()


def _update(data: Any) -> Update | None:
    """The update, holding only the one part the bot uses; None for update types it does not use
    (those are not parsed at all, so a new or odd type Telegram adds cannot break the webhook)."""
    if not isinstance(data, dict):
        raise BadUpdate("the body is not a JSON object")
    update_id = data.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        raise BadUpdate("update_id is missing or not a number")
    kind = next((k for k in USED_KINDS if k in data), None)
    if kind is None:
        return None
    if not isinstance(data[kind], dict):
        raise BadUpdate(f"{kind} is not an object")
    try:
        return Update.de_json({"update_id": update_id, kind: data[kind]}, None)
    except (TypeError, KeyError, ValueError, AttributeError, IndexError, OverflowError, OSError) as exc:
        # OverflowError and OSError: a `date` too far out for the system's clock functions.
        raise BadUpdate(f"the {kind} does not have Telegram's shape ({type(exc).__name__})") from None


def _chat_id(message: Any) -> int:
    chat_id = getattr(getattr(message, "chat", None), "id", None)
    if not isinstance(chat_id, int) or isinstance(chat_id, bool):
        raise BadUpdate("the message's chat has no id")
    return chat_id


def _text(value: object) -> str:
    # PostgreSQL text cannot hold NUL; no Telegram client sends one on purpose.
    return value.replace("\x00", "") if isinstance(value, str) else ""


def _label(message: Message, data: str | None) -> str | None:
    markup = message.reply_markup
    if markup is None or data is None:
        return None
    for row in getattr(markup, "inline_keyboard", ()) or ():
        for button in row:
            if getattr(button, "callback_data", None) == data and isinstance(button.text, str):
                return button.text
    return None


def _language(message: Message) -> str | None:
    user = message.from_user
    code = user.language_code if user is not None else None
    return code if isinstance(code, str) else None
