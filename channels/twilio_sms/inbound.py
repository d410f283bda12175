"""Twilio's incoming-message webhook as a neutral `Inbound`.

Twilio posts a form (`MessageSid`, `From`, `To`, `Body`, `NumMedia`, `MediaContentType0` …) and adds
fields without notice, so everything is read from a plain mapping and unknown fields are ignored here
(they still count for the signature). WhatsApp through Twilio arrives on the same webhook with `From`
written `whatsapp:+44…`.

With Advanced Opt-Out on a Messaging Service, Twilio has already matched a STOP, START or HELP keyword
(in any of the service's languages) and already replied; it says so in `OptOutType`. The engine gets the
plain English command so it records the change, and the adapter sends no second reply.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.messages import Channel, Inbound

WHATSAPP_PREFIX = "whatsapp:"
OPT_OUT_COMMANDS = {"STOP": "STOP", "START": "START", "HELP": "HELP"}
MAX_MEDIA = 10  # Twilio delivers at most ten attachments a message
MAX_PROVIDER_ID = 120


class BadInbound(ValueError):
    """The form is not an incoming message we can use. The message names the field, never its value."""


@dataclass(frozen=True, slots=True)
class ParsedInbound:
    channel: Channel
    address: str  # `From` as Twilio wrote it; the storage layer normalises it into the vault
    to: str  # our number, without a `whatsapp:` prefix
    message: Inbound
    opt_out_type: str | None  # STOP / START / HELP when Twilio already handled a keyword
    messaging_service_sid: str | None


def parse_inbound(
    form: Mapping[str, str], received_at: datetime, idempotency_token: str | None = None
) -> ParsedInbound:
    sender = form.get("From", "").strip()
    if not sender:
        raise BadInbound("the From field is missing")
    provider_id = _first(form, "MessageSid", "SmsMessageSid", "SmsSid") or _token_id(idempotency_token)
    if provider_id is None:
        raise BadInbound("the MessageSid field is missing")
    provider_id = _bounded(provider_id)
    channel = Channel.WHATSAPP if sender.lower().startswith(WHATSAPP_PREFIX) else Channel.SMS
    opt_out = form.get("OptOutType", "").strip().upper() or None
    # PostgreSQL text cannot hold NUL; no phone sends one on purpose.
    text = form.get("Body", "").replace("\x00", "")
    if opt_out in OPT_OUT_COMMANDS:
        text = OPT_OUT_COMMANDS[opt_out]
    else:
        opt_out = None  # a type we do not know: treat the message as what the person wrote
    message = Inbound(
        text=text,
        channel=channel,
        received_at=received_at,
        media=media_names(form),
        provider_id=provider_id,
    )
    return ParsedInbound(
        channel=channel,
        address=sender,
        to=_strip_prefix(form.get("To", "").strip()),
        message=message,
        opt_out_type=opt_out,
        messaging_service_sid=form.get("MessagingServiceSid") or None,
    )


def media_names(form: Mapping[str, str]) -> tuple[str, ...]:
    """What was attached, in words ("picture", "voice note"); the files are never downloaded."""
    try:
        count = int(form.get("NumMedia", "0") or "0")
    except ValueError:
        count = 0
    names = []
    for index in range(max(0, min(count, MAX_MEDIA))):
        names.append(_media_name(form.get(f"MediaContentType{index}", "")))
    return tuple(names)


def _media_name(content_type: str) -> str:
    kind = content_type.split("/", 1)[0].strip().lower()
    subtype = content_type.split("/", 1)[-1].strip().lower()
    if kind == "image":
        return "picture"
    if kind == "audio":
        return "voice note"
    if kind == "video":
        return "video"
    if "vcard" in subtype:
        return "contact card"
    return "file"


def _first(form: Mapping[str, str], *names: str) -> str | None:
    for name in names:
        value = form.get(name, "").strip()
        if value:
            return value
    return None


def _token_id(token: str | None) -> str | None:
    # A Twilio-compatible API may send only the idempotency token; it is as unique as a MessageSid.
    token = (token or "").strip()
    return f"idem:{token}" if token else None


def _bounded(provider_id: str) -> str:
    # The database keeps 128 characters; a longer id is stood in for by its hash, still unique.
    if len(provider_id) <= MAX_PROVIDER_ID:
        return provider_id
    return "sha256:" + hashlib.sha256(provider_id.encode("utf-8", "surrogatepass")).hexdigest()


def _strip_prefix(number: str) -> str:
    return number[len(WHATSAPP_PREFIX) :] if number.lower().startswith(WHATSAPP_PREFIX) else number
