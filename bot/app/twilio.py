"""Glue between the settings, the conversation service and the Twilio SMS/WhatsApp adapter.

`bot/app/wiring.py` calls `twilio_wiring` once; when Twilio is not configured it gets nothing back and SMS is
simply off. The adapter itself (`channels/twilio_sms/`) knows nothing of settings or storage: it is
given the callables it needs here.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Protocol

from starlette.routing import BaseRoute

from bot.app.service import ConversationService
from bot.app.settings import Settings, SettingsError
from channels.base import Sender
from channels.twilio_sms.client import TwilioApi
from channels.twilio_sms.routes import SmsWebhookConfig, twilio_sms_routes
from channels.twilio_sms.sender import TwilioSender
from channels.twilio_sms.signature import WebhookSigner

RecordStatus = Callable[[int | None, str | None, str, bool], Awaitable[bool]]


class ApplyStatus(Protocol):
    """`Store.record_status`: a delivery report found by outbox id (int) or provider id (str)."""

    def __call__(
        self, provider_id_or_outbox_id: str | int, status: str, *, stop_contact: bool = False
    ) -> Awaitable[bool]: ...


def twilio_configured(settings: Settings) -> bool:
    """True when SMS is on; a half-done configuration is an error that says what is missing."""
    given = {
        "TWILIO_ACCOUNT_SID": bool(settings.twilio_account_sid),
        "TWILIO_AUTH_TOKEN": settings.twilio_auth_token is not None
        and bool(settings.twilio_auth_token.get_secret_value()),
        "TWILIO_PHONE_NUMBER or TWILIO_MESSAGING_SERVICE_SID": bool(
            settings.twilio_phone_number or settings.twilio_messaging_service_sid
        ),
    }
    if not any(given.values()):
        return False
    missing = [name for name, present in given.items() if not present]
    if missing:
        raise SettingsError(f"Twilio is half set up: also set {', '.join(missing)} (or unset the others).")
    return True


def twilio_wiring(
    settings: Settings,
    service: ConversationService,
    record_status: ApplyStatus,
    *,
    clock: Callable[[], datetime] | None = None,
) -> tuple[list[BaseRoute], dict[str, Sender]]:
    """The webhook routes and the outbox senders ({"sms": …, "whatsapp": …}); empty when Twilio is off.

    `clock` stamps incoming messages (tests pass the clock they control); `record_status` is
    `Store.record_status`, which applies a delivery report and returns False when it changed nothing.
    """
    if not twilio_configured(settings):
        return [], {}
    assert settings.twilio_account_sid and settings.twilio_auth_token  # checked just above
    token = settings.twilio_auth_token.get_secret_value()
    phone_number = _digits_only(settings.twilio_phone_number) if settings.twilio_phone_number else None
    whatsapp_setting = settings.twilio_whatsapp_number
    whatsapp_number = _digits_only(whatsapp_setting) if whatsapp_setting else phone_number

    api = TwilioApi(settings.twilio_account_sid, token, base_url=settings.twilio_api_base_url)
    senders: dict[str, Sender] = {
        channel: TwilioSender(
            api,
            channel=channel,
            public_url=settings.public_url,
            from_number=whatsapp_number if channel == "whatsapp" else phone_number,
            messaging_service_sid=settings.twilio_messaging_service_sid,
            plain=settings.sms_plain_text,
            rate_per_second=settings.sms_rate_per_second,
        )
        for channel in ("sms", "whatsapp")
    }
    numbers = {n for n in (phone_number, whatsapp_number) if n}
    config = SmsWebhookConfig(
        signer=WebhookSigner(token, settings.public_url),
        own_numbers=frozenset(numbers),
        messaging_service_sid=settings.twilio_messaging_service_sid,
        plain=settings.sms_plain_text,
        clock=clock or (lambda: datetime.now(UTC)),
    )
    return twilio_sms_routes(config, service.handle, status_recorder(record_status)), senders


def status_recorder(apply: ApplyStatus) -> RecordStatus:
    """The adapter's `record_status` over `Store.record_status`: by our outbox id, else by Twilio's sid.

    The outbox id comes from the callback URL we signed into the send, so it finds the row even when the
    report beats `mark_sent` to the database; the sid covers a callback URL without it. `stop_contact`
    (a 21610 in the report) stops the person the row was for.
    """

    async def record(outbox_id: int | None, provider_id: str | None, status: str, stop_contact: bool) -> bool:
        if outbox_id is not None:
            return await apply(outbox_id, status, stop_contact=stop_contact)
        if provider_id:
            return await apply(provider_id, status, stop_contact=stop_contact)
        return False

    return record


def _digits_only(number: str) -> str:
    """"+44 7700 900000" as Twilio writes it in `To`: +447700900000."""
    number = number.strip()
    if number.lower().startswith("whatsapp:"):
        number = number[len("whatsapp:") :]
    return re.sub(r"[\s()\-.]", "", number)
