"""`POST /webhooks/telegram`: Telegram's updates, checked, read and handed to the conversation service.

    X-Telegram-Bot-Api-Secret-Token wrong or missing   403, nothing read or stored
    a body that is not an update                       400 (Telegram never sends one; nothing stored)
    anything we read                                   200 once handled, so Telegram does not resend it
    the database is unavailable                        503 with nothing kept, so Telegram sends it again

The update is handled before the answer, so a crash or a 500 makes Telegram deliver it again, and the
de-duplication by provider id makes sure a delivered-again update is processed once. Replies go through
the durable outbox (the service queues them and wakes the dispatcher); only a reply the outbox could
not take (the person was just forgotten, the database blipped) is sent from here.

A tap is acknowledged at once (the spinner on the button stops), then the question's message is
edited to show the chosen answer in words with the keyboard gone, so an old button cannot answer
again. Updates from one chat are handled one at a time, in the order they arrive. Log lines name the
update id and what happened, never a chat id or a name.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route
from telegram.error import TelegramError

from bot.messages import Inbound, Reply, TryLater
from channels.body import BodyTooLarge, read_body
from channels.telegram.api import TelegramApi
from channels.telegram.errors import described
from channels.telegram.render import TEXT_LIMIT
from channels.telegram.sender import TelegramSender
from channels.telegram.updates import (
    BadUpdate,
    Blocked,
    ButtonTap,
    Ignored,
    NotPrivate,
    Said,
    UpdateReader,
)
from channels.webchat.locks import SessionLocks

log = logging.getLogger("said.telegram")

WEBHOOK_PATH = "/webhooks/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name, not a secret
# A Telegram update is a few kilobytes; the biggest (a long text with many entities) stays far below this.
MAX_BODY_BYTES = 256 * 1024
CHOSEN_MARK = "👉"  # before the chosen answer's words, under the question

# (address, message) -> (reply, whether the outbox took it): ConversationService.handle_queued
HandleInbound = Callable[[str, Inbound], Awaitable[tuple[Reply, bool]]]
# (address, STOP) -> None: the person blocked the bot; the engine records it, nobody is told
RecordBlock = Callable[[str, Inbound], Awaitable[None]]


@dataclass(frozen=True)
class TelegramWebhookConfig:
    secret: str
    reader: UpdateReader
    private_only: Callable[[str | None], str]  # the words for a group chat, in a language code's language
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))


def telegram_routes(
    config: TelegramWebhookConfig,
    api: TelegramApi,
    sender: TelegramSender,
    handle: HandleInbound,
    record_block: RecordBlock,
) -> list[BaseRoute]:
    locks = SessionLocks()

    async def webhook(request: Request) -> Response:
        if not _secret_matches(request.headers.get(SECRET_HEADER), config.secret):
            log.warning("telegram webhook refused: %s secret token",
                        "missing" if SECRET_HEADER.lower() not in request.headers else "wrong")
            return PlainTextResponse("Forbidden: the secret token does not match", status_code=403)
        body = await _body(request)
        if isinstance(body, Response):
            return body
        try:
            event = config.reader.read(json.loads(body), config.clock())
        except (ValueError, RecursionError) as exc:  # json's errors and BadUpdate are ValueErrors
            reason = str(exc) if isinstance(exc, BadUpdate) else "the body is not JSON"
            log.warning("telegram webhook refused: %s", reason)
            return PlainTextResponse(f"Bad request: {reason}", status_code=400)
        try:
            await _handle(event)
        except TryLater:
            # Nothing was kept; Telegram delivers the update again after an error, and the provider id
            # makes sure it is processed once when it does.
            log.warning("telegram update %d: the database is unavailable; asked Telegram to send it again",
                        event.update_id)
            return PlainTextResponse("Try again later", status_code=503, headers={"Retry-After": "30"})
        return PlainTextResponse("ok")

    async def _handle(event: object) -> None:
        match event:
            case Said():
                async with locks.hold(str(event.chat_id)):
                    await _said(event)
            case ButtonTap():
                await _answer_tap(event)
                if event.chat_id is not None and event.message is not None:
                    async with locks.hold(str(event.chat_id)):
                        await _tapped(event)
                else:
                    log.info("telegram update %d: a tap on a button we did not make, or outside a private "
                             "chat; answered, ignored", event.update_id)
            case NotPrivate():
                await _not_private(event)
            case Blocked():
                async with locks.hold(str(event.chat_id)):
                    await record_block(str(event.chat_id), event.message)
                log.info("telegram update %d: the person blocked the bot; marked as stopped", event.update_id)
            case Ignored():
                log.info("telegram update %s ignored: %s", event.update_id, event.reason)

    async def _said(event: Said) -> None:
        reply, queued = await handle(str(event.chat_id), event.message)
        _log_handled(event.update_id, "a message", reply, queued)
        if not queued and reply.messages:
            await sender.send_reply(event.chat_id, reply.messages)

    async def _tapped(event: ButtonTap) -> None:
        assert event.chat_id is not None and event.message is not None
        reply, queued = await handle(str(event.chat_id), event.message)
        await _show_choice(event)
        _log_handled(event.update_id, "a tap", reply, queued)
        if not queued and reply.messages:
            await sender.send_reply(event.chat_id, reply.messages)

    async def _answer_tap(event: ButtonTap) -> None:
        try:
            await api.bot().answer_callback_query(event.query_id)
        except TelegramError as exc:  # a tap answered late is still handled
            log.info("telegram update %d: tap not acknowledged: %s", event.update_id, described(exc))

    async def _show_choice(event: ButtonTap) -> None:
        """The chosen answer in words under the question, and no keyboard left to tap again."""
        if event.chat_id is None or event.message_id is None:
            return  # too old for Telegram to let us change it
        bot = api.bot()
        try:
            if event.shown_text and event.label:
                text = f"{event.shown_text}\n\n{CHOSEN_MARK} {event.label}"
                if len(text) <= TEXT_LIMIT:
                    await bot.edit_message_text(text=text, chat_id=event.chat_id, message_id=event.message_id)
                    return
            await bot.edit_message_reply_markup(chat_id=event.chat_id, message_id=event.message_id)
        except TelegramError as exc:  # already edited (a repeated update), or gone
            log.info("telegram update %d: question not updated: %s", event.update_id, described(exc))

    async def _not_private(event: NotPrivate) -> None:
        # Nothing about a group is stored: the bot explains and leaves.
        bot = api.bot()
        try:
            await bot.send_message(chat_id=event.chat_id, text=config.private_only(event.language))
        except TelegramError as exc:
            log.info("telegram update %d: group notice not sent: %s", event.update_id, described(exc))
        try:
            await bot.leave_chat(chat_id=event.chat_id)
        except TelegramError as exc:
            log.info("telegram update %d: could not leave the group: %s", event.update_id, described(exc))
        log.info("telegram update %d: a group or channel chat; told it is private chats only, left",
                 event.update_id)

    return [Route(WEBHOOK_PATH, webhook, methods=["POST"])]


def _log_handled(update_id: int, what: str, reply: Reply, queued: bool) -> None:
    how = "in the outbox" if queued else "sent from here" if reply.messages else "nothing to send"
    log.info("telegram update %d: %s handled; %d message(s) in reply, %s", update_id, what, len(reply.messages), how)


def _secret_matches(given: str | None, secret: str) -> bool:
    if not given:
        return False
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), secret.encode("utf-8"))


async def _body(request: Request) -> bytes | Response:
    try:
        return await read_body(request, limit=MAX_BODY_BYTES)
    except BodyTooLarge as refused:
        log.warning("telegram webhook refused: body over %d bytes%s", refused.limit,
                    f" ({refused.declared} declared)" if refused.declared is not None else "")
        return PlainTextResponse("Request body too large", status_code=413)
