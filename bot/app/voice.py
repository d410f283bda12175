"""Glue between the settings, the conversation service and the Twilio Voice adapter (the phone line).

`bot/app/wiring.py` calls `voice_wiring` once; with Twilio not configured it gets no routes and the phone line
is simply off. The adapter (`channels/twilio_voice/`) knows nothing of settings or storage: what it needs
to know about a caller, the office hours and the stop words are handed to it here as callables.

Settings read here (SAID_ prefix; each falls back to its default until bot/app/settings.py declares it):
    SAID_VOICE_NAME                 Google.en-GB-Neural2-C   the voice for English (or Polly.Amy-Neural)
    SAID_VOICE_NAME_CY              Polly.Gwyneth            the voice for Welsh (cy-GB)
    SAID_VOICE_RATE                 90%                      SSML prosody rate: slower than usual speech
    SAID_VOICE_SPEECH_CONFIDENCE    0.5                      below it, a spoken answer is read back first
    SAID_VOICE_TIMEOUT_SECONDS      6                        silence after a question before the re-ask
    SAID_VOICE_PACK                 phone                    the pack a call answers
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from starlette.routing import BaseRoute

from bot.app.service import ConversationService
from bot.app.settings import Settings
from bot.app.twilio import twilio_configured
from bot.engine.state import Conversation, Stage
from channels.twilio_sms.signature import WebhookSigner
from channels.twilio_voice.call import CallerStatus, VoiceConfig
from channels.twilio_voice.routes import twilio_voice_routes
from channels.twilio_voice.sealing import TranscriptSeal
from channels.twilio_voice.twiml import DEFAULT_TAGS, DEFAULT_VOICES, VoiceStyle
from storage.errors import StorageError
from storage.privacy.vault import AddressError, purpose_key

log = logging.getLogger("said.voice")

DEFAULTS: dict[str, Any] = {
    "voice_name": DEFAULT_VOICES["en"],
    "voice_name_cy": DEFAULT_VOICES["cy"],
    "voice_rate": "90%",
    "voice_speech_confidence": 0.5,
    "voice_timeout_seconds": 6,
    "voice_pack": "phone",
}


def voice_wiring(
    settings: Settings, service: ConversationService, *, clock: Callable[[], datetime] | None = None
) -> list[BaseRoute]:
    """The phone line's webhook routes; empty when Twilio is off. `clock` stamps each step (tests pass theirs)."""
    if not twilio_configured(settings):
        return []
    assert settings.twilio_auth_token is not None  # checked by twilio_configured
    now = clock or (lambda: datetime.now(UTC))
    pack_id = str(setting(settings, "voice_pack"))
    if service.library.get(pack_id) is None:
        log.warning("the phone line's pack '%s' is not in the prompts; callers will hear the menu", pack_id)
    config = VoiceConfig(
        signer=WebhookSigner(settings.twilio_auth_token.get_secret_value(), settings.public_url),
        seal=TranscriptSeal(purpose_key(settings.secret(), "voice-transcript")),
        style=voice_style(settings),
        pack_id=pack_id,
        confidence_threshold=float(setting(settings, "voice_speech_confidence")),
        site=urlsplit(settings.public_url).hostname or "",
        caller_status=caller_lookup(service, pack_id, now),
        closed_hours=closed_hours(service),
        is_stop=lambda said: service.prompts.texts.command(said) == "stop",
        clock=now,
    )
    return twilio_voice_routes(config, service.handle)


def setting(settings: Settings, name: str) -> Any:
    """A voice setting, or its default while bot/app/settings.py does not declare it."""
    value = getattr(settings, name, None)
    return DEFAULTS[name] if value is None else value


def voice_style(settings: Settings) -> VoiceStyle:
    voices = {"en": str(setting(settings, "voice_name")), "cy": str(setting(settings, "voice_name_cy"))}
    return VoiceStyle(
        voices=voices,
        tags=dict(DEFAULT_TAGS),
        rate=str(setting(settings, "voice_rate")),
        timeout_seconds=int(setting(settings, "voice_timeout_seconds")),
    )


def caller_lookup(
    service: ConversationService, pack_id: str, now: Callable[[], datetime]
) -> Callable[[str], Awaitable[CallerStatus]]:
    """What the line needs to know about a caller, read without touching their record."""

    async def status(address: str) -> CallerStatus:
        try:
            async with service.store.unit() as uow:
                person = await uow.participant("voice", address, create=False)
        except (AddressError, StorageError):
            # An unreadable caller id or a database blip: greet them as new; the first answer tells more.
            return CallerStatus()
        if person is None:
            return CallerStatus()
        conversation = Conversation.from_dict(person.conversation)
        last_seen = conversation.last_seen
        recent = last_seen is not None and now() - last_seen <= service.expiry
        unfinished = (
            conversation.pack_id == pack_id and conversation.stage is Stage.QUESTION and recent
        )
        return CallerStatus(
            stopped=person.stopped, unfinished=unfinished, language=person.language or conversation.language
        )

    return status


def closed_hours(service: ConversationService) -> Callable[[datetime, str], str | None]:
    def when(now: datetime, language: str) -> str | None:
        hours = service.office_hours
        return None if hours.is_open(now) else hours.describe(language)

    return when


