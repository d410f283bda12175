"""Glue between the settings, the conversation service and the Telegram adapter.

`bot/app/wiring.py` calls `telegram_wiring` once; when TELEGRAM_BOT_TOKEN is not set it gets nothing back and
Telegram is simply off. `said telegram set-webhook` calls `set_webhook`. The adapter itself
(`channels/telegram/`) knows nothing of settings or storage: it is given the callables it needs here.

Three settings and one command put a bot live: TELEGRAM_BOT_TOKEN (from BotFather),
TELEGRAM_WEBHOOK_SECRET (any long random string of letters, digits, _ and -), SAID_PUBLIC_URL (https),
then `said telegram set-webhook`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

from starlette.routing import BaseRoute
from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError

from bot.app.prompts import load_prompts
from bot.app.service import ConversationService
from bot.app.settings import Settings, SettingsError
from bot.content.packs.model import Kind
from bot.engine.asks import CONSENT, FORGET, LANGUAGE, MENU
from bot.messages import Channel, Inbound, Reply
from channels.base import Sender
from channels.telegram.api import TelegramApi
from channels.telegram.buttons import ButtonCodec
from channels.telegram.errors import described
from channels.telegram.logs import hide_telegram_details
from channels.telegram.routes import WEBHOOK_PATH, TelegramWebhookConfig, telegram_routes
from channels.telegram.sender import SymbolImage, TelegramSender
from channels.telegram.updates import InboundIds, UpdateReader
from storage.privacy.vault import purpose_key

# The update types the bot reads; Telegram sends no others once the webhook says so.
ALLOWED_UPDATES = ("message", "callback_query", "my_chat_member")
RATE_PER_SECOND = 30.0  # Telegram: about 30 messages a second overall …
PER_CHAT_RATE_PER_SECOND = 1.0  # … and about 1 a second to one chat
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # what Telegram allows in secret_token
PRIVATE_ONLY_KEY = "private_chats_only"
# Until prompts/system.yaml has the text (and its translations), groups are told in English.
PRIVATE_ONLY_ENGLISH = "Sorry, this bot only works in a private chat. Please open a chat with the bot to use it."


def telegram_configured(settings: Settings) -> bool:
    """True when Telegram is on; a half-done configuration is an error that says what is missing."""
    token = settings.telegram_bot_token.get_secret_value().strip() if settings.telegram_bot_token else ""
    secret = settings.telegram_webhook_secret.get_secret_value() if settings.telegram_webhook_secret else ""
    if not token and not secret:
        return False
    if not token:
        raise SettingsError("Telegram is half set up: also set TELEGRAM_BOT_TOKEN (or unset TELEGRAM_WEBHOOK_SECRET).")
    if not secret:
        raise SettingsError(
            "Telegram is half set up: also set TELEGRAM_WEBHOOK_SECRET to a long random value, for example "
            "the output of `python -c 'import secrets; print(secrets.token_urlsafe(32))'`."
        )
    if not _SECRET.match(secret):
        raise SettingsError(
            "TELEGRAM_WEBHOOK_SECRET may only use letters, digits, _ and -, up to 256 characters "
            "(Telegram's rule for the secret token)."
        )
    return True


def telegram_wiring(
    settings: Settings,
    service: ConversationService,
    *,
    clock: Callable[[], datetime] | None = None,
    symbol_image: SymbolImage | None = None,
) -> tuple[list[BaseRoute], dict[str, Sender]]:
    """The webhook route and the outbox sender ({"telegram": …}); empty when Telegram is off.

    `clock` stamps incoming messages (tests pass the clock they control); `symbol_image(name)` gives a
    symbol's PNG card, or None to send the question without one.
    """
    if not telegram_configured(settings):
        return [], {}
    assert settings.telegram_bot_token and settings.telegram_webhook_secret  # checked just above
    token = settings.telegram_bot_token.get_secret_value().strip()
    secret = settings.secret()
    hide_telegram_details(token)
    api = TelegramApi(token, base_url=settings.telegram_api_base_url)
    buttons = ButtonCodec(button_key(secret), catalogue=lambda: choice_catalogue(service))
    sender = TelegramSender(
        api, buttons, symbol_image=symbol_image, rate_per_second=RATE_PER_SECOND,
        per_address_rate_per_second=PER_CHAT_RATE_PER_SECOND,
    )
    reader = UpdateReader(buttons, InboundIds(purpose_key(secret, "telegram-inbound")),
                          knows_pack=lambda pack_id: service.library.get(pack_id) is not None)
    config = TelegramWebhookConfig(
        secret=settings.telegram_webhook_secret.get_secret_value(),
        reader=reader,
        private_only=lambda language: private_only_words(service, language),
        clock=clock or (lambda: datetime.now(UTC)),
    )

    async def handle(address: str, message: Inbound) -> tuple[Reply, bool]:
        # Telegram delivers an update again after an error, so a database blip is "try later", not "sorry".
        return await service.handle_queued(
            Channel.TELEGRAM, address, message, reply_by_outbox=True, retry_when_busy=True
        )

    async def record_block(address: str, stop: Inbound) -> None:
        # The engine records the STOP; its reply is dropped, as nothing can reach a chat that blocked us.
        await service.handle_queued(Channel.TELEGRAM, address, stop, reply_by_outbox=False, retry_when_busy=True)

    return telegram_routes(config, api, sender, handle, record_block), {"telegram": sender}


def choice_catalogue(service: ConversationService) -> Iterator[tuple[str, str]]:
    """Every (question id, value) a button can carry: pack questions, consent, the menu, languages,
    "delete your details?". Long pairs' button data is a hash looked up here."""
    library, texts = service.library, service.prompts.texts
    yes_no = ("yes", "no")
    for answer in yes_no:
        yield CONSENT, answer
        yield FORGET, answer
    for code in dict.fromkeys([*library.languages(), *texts.languages]):
        yield LANGUAGE, code
    for pack in library.all():
        yield MENU, pack.id
        for question in pack.questions:
            values = yes_no if question.kind is Kind.YESNO else tuple(c.value for c in question.choices)
            for value in values:
                yield question.id, value


def private_only_words(service: ConversationService, language: str | None) -> str:
    texts = service.prompts.texts
    if texts.has(PRIVATE_ONLY_KEY):
        code = (language or "en").split("-")[0].lower()
        return texts.get(PRIVATE_ONLY_KEY, code if code in texts.languages else "en")
    return PRIVATE_ONLY_ENGLISH


async def set_webhook(settings: Settings) -> str:
    """Tell Telegram to post this bot's updates to SAID_PUBLIC_URL/webhooks/telegram, with the secret.

    Returns a plain-words summary (the bot's name, the URL, deep links to each pack); a problem is a
    SettingsError that says what to fix.
    """
    if not telegram_configured(settings):
        raise SettingsError(
            "Telegram is not set up: set TELEGRAM_BOT_TOKEN (from BotFather) and TELEGRAM_WEBHOOK_SECRET first."
        )
    assert settings.telegram_bot_token and settings.telegram_webhook_secret
    token = settings.telegram_bot_token.get_secret_value().strip()
    hide_telegram_details(token)
    url = settings.public_url + WEBHOOK_PATH
    api = TelegramApi(token, base_url=settings.telegram_api_base_url)
    try:
        bot = api.bot()
        me = await bot.get_me()
        await bot.set_webhook(
            url=url, secret_token=settings.telegram_webhook_secret.get_secret_value(),
            allowed_updates=list(ALLOWED_UPDATES),
        )
        info = await bot.get_webhook_info()
    except TelegramError as exc:
        raise SettingsError(_setup_problem(exc, url)) from None
    finally:
        await api.aclose()
    if info.url != url:
        raise SettingsError(f"Telegram did not keep the webhook address: it has '{info.url}' instead of {url}.")
    name = me.username or me.first_name
    lines = [
        f"Telegram will now send messages for @{name} to {url}.",
        "It sends messages, button taps and blocks (" + ", ".join(ALLOWED_UPDATES) + "), with the secret.",
    ]
    if info.pending_update_count:
        lines.append(f"{info.pending_update_count} messages are waiting and will arrive now.")
    packs = load_prompts(settings.prompts_dir).library.all("telegram")
    if packs and me.username:
        lines.append("Links that start a pack straight away:")
        lines.extend(f"  https://t.me/{me.username}?start={pack.id}" for pack in packs)
    return "\n".join(lines)


def _setup_problem(exc: TelegramError, url: str) -> str:
    if isinstance(exc, InvalidToken):
        return "Telegram did not accept TELEGRAM_BOT_TOKEN. Copy the token from BotFather again."
    if isinstance(exc, NetworkError) and not isinstance(exc, BadRequest):
        return "Could not reach Telegram. Check the internet connection and TELEGRAM_API_BASE_URL, then try again."
    text = str(getattr(exc, "message", "")).lower()
    if "https" in text or not url.startswith("https://"):
        return (f"Telegram refused the webhook address {url}: it must be https:// on port 443, 80, 88 or 8443. "
                "Set SAID_PUBLIC_URL to the public https address of this service.")
    if "resolve host" in text:
        return f"Telegram could not find the host in {url}. Check SAID_PUBLIC_URL."
    return f"Telegram refused to set the webhook ({described(exc)}). Check SAID_PUBLIC_URL and try again."


def button_key(secret: str) -> bytes:
    """The key that signs button data (tools that build taps, like the benchmark, need it too)."""
    return purpose_key(secret, "telegram-buttons")


