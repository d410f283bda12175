"""Telegram's error answers in the dispatcher's terms: retry later, give up, or stop contacting the person.

    RetryAfter (429)          flood control: retry after the seconds Telegram names
    Forbidden (403)           blocked by the person, account deleted, never started: stop all contact
    TimedOut, NetworkError    Telegram or the line is unwell, not the person: retry later
    InvalidToken (401/404)    our token is wrong: retry later, someone has to fix the settings
    ChatMigrated              the chat became a supergroup; we only serve private chats: give up
    BadRequest (400)          this message cannot be sent (chat not found, text too long): give up

Telegram's descriptions name no chat, but a reason here is still built from a list of known phrases
and our own words only, so nothing a provider adds later can carry an address into our logs.
"""

from __future__ import annotations

import datetime as dt
import warnings

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from channels.base import SendFailed

DEFAULT_RETRY_AFTER = 1.0

KNOWN_PHRASES = (
    "bot was blocked by the user",
    "user is deactivated",
    "bot can't initiate conversation with a user",
    "bot was kicked from",
    "chat not found",
    "message is too long",
    "message text is empty",
    "message is not modified",
    "message to edit not found",
    "query is too old",
    "wrong file identifier",
    "image_process_failed",
    "button_data_invalid",
    "have no rights to send a message",
)


def described(exc: TelegramError) -> str:
    """Which known problem this is, in Telegram's words, or the kind of error when it is none of them."""
    text = str(getattr(exc, "message", "") or exc).lower()
    for phrase in KNOWN_PHRASES:
        if phrase in text:
            return phrase
    return type(exc).__name__


def retry_after_seconds(exc: RetryAfter) -> float:
    # `RetryAfter.retry_after` warns about its int-or-timedelta change on every read; the value it
    # holds is the same either way, so read the stored one when it is there.
    value: object = getattr(exc, "_retry_after", None)
    if value is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = exc.retry_after
    if isinstance(value, dt.timedelta):
        return max(value.total_seconds(), 0.0)
    if isinstance(value, int | float):
        return max(float(value), 0.0)
    return DEFAULT_RETRY_AFTER


def failure_from(exc: TelegramError) -> SendFailed:
    if isinstance(exc, RetryAfter):
        seconds = retry_after_seconds(exc)
        return SendFailed(f"Telegram asked us to slow down for {seconds:g} s", retryable=True, retry_after=seconds)
    if isinstance(exc, Forbidden):
        return SendFailed(f"Telegram refused: {described(exc)}", retryable=False, stop_contact=True)
    if isinstance(exc, InvalidToken):
        return SendFailed("Telegram refused our bot token; check TELEGRAM_BOT_TOKEN", retryable=True)
    if isinstance(exc, ChatMigrated):
        return SendFailed("the chat became a group; the bot only works in private chats", retryable=False)
    if isinstance(exc, BadRequest):  # before NetworkError: PTB makes BadRequest a kind of NetworkError
        return SendFailed(f"Telegram refused the message: {described(exc)}", retryable=False)
    if isinstance(exc, TimedOut | NetworkError):
        # Telegram may have taken the message before the line dropped; a retry can then send it twice,
        # which is the outbox's promise: at most what was in flight.
        return SendFailed(f"could not reach Telegram ({type(exc).__name__})", retryable=True)
    return SendFailed(f"Telegram error ({type(exc).__name__})", retryable=True)
