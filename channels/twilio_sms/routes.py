"""The two Twilio messaging webhooks: incoming messages (answered inline with TwiML) and delivery statuses.

    POST /webhooks/twilio/sms     an SMS or WhatsApp message; the reply goes back in the same HTTP answer,
                                  which is what makes it instant and lets it through quiet hours
    POST /webhooks/twilio/status  a delivery report for a message the outbox sent; `?outbox=<id>` says which
                                  (else its MessageSid); a failure with ErrorCode 21610 (the person
                                  opted out at Twilio) also stops all contact with the person

Both check `X-Twilio-Signature` before reading anything else: a missing or wrong signature is 403 and
nothing is stored. Log lines name the message sid and what happened, never a phone number.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot.messages import Channel, Inbound, Reply
from channels.body import BodyTooLarge, read_body
from channels.segments import sms_cost
from channels.twilio_sms.errors import stops_contact
from channels.twilio_sms.inbound import BadInbound, ParsedInbound, parse_inbound
from channels.twilio_sms.render import render_sms, split_for_twilio, twiml
from channels.twilio_sms.signature import SIGNATURE_HEADER, WebhookSigner

log = logging.getLogger("said.twilio")

SMS_PATH = "/webhooks/twilio/sms"
STATUS_PATH = "/webhooks/twilio/status"
IDEMPOTENCY_HEADER = "I-Twilio-Idempotency-Token"
# Twilio's own body limit is 1,600 characters, a few hundred more for its other fields; anything far
# bigger is not from Twilio, and reading it would only cost memory.
MAX_FORM_BYTES = 64 * 1024
FORM_TYPE = "application/x-www-form-urlencoded"

HandleInbound = Callable[[Channel, str, Inbound], Awaitable[Reply]]
# (outbox id, provider message id, status, stop_contact) -> whether the report changed the row.
RecordStatus = Callable[[int | None, str | None, str, bool], Awaitable[bool]]


@dataclass(frozen=True)
class SmsWebhookConfig:
    signer: WebhookSigner
    own_numbers: frozenset[str]  # our numbers in E.164, SMS and WhatsApp
    messaging_service_sid: str | None = None
    plain: bool = True  # GSM-7 rendering for SMS (WhatsApp always keeps its emoji)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))


def twilio_sms_routes(
    config: SmsWebhookConfig, handle: HandleInbound, record_status: RecordStatus
) -> list[BaseRoute]:
    async def incoming(request: Request) -> Response:
        fields = await _signed_fields(request, config.signer)
        if isinstance(fields, Response):
            return fields
        form = dict(fields)  # Twilio sends each field once; for a repeated one, the last wins
        try:
            parsed = parse_inbound(form, config.clock(), request.headers.get(IDEMPOTENCY_HEADER))
        except BadInbound as exc:
            log.warning("twilio message webhook refused: %s", exc)
            return PlainTextResponse(f"Bad request: {exc}", status_code=400)
        if not _ours(parsed, config):
            log.warning(
                "twilio %s message %s is for a number this service does not use; ignored",
                parsed.channel, parsed.message.provider_id,
            )
            return _twiml([])
        reply = await handle(parsed.channel, parsed.address, parsed.message)
        if parsed.opt_out_type is not None:
            # Advanced Opt-Out has already answered the person; a second reply would be a double text
            # (and, after STOP, refused by Twilio anyway).
            log.info("twilio %s message %s: %s handled by Twilio's opt-out", parsed.channel,
                     parsed.message.provider_id, parsed.opt_out_type)
            return _twiml([])
        plain = config.plain and parsed.channel == Channel.SMS
        texts = split_for_twilio(render_sms(reply, plain=plain))
        _log_reply(parsed, texts)
        return _twiml(texts)

    async def status(request: Request) -> Response:
        fields = await _signed_fields(request, config.signer)
        if isinstance(fields, Response):
            return fields
        form = dict(fields)
        state = (form.get("MessageStatus") or form.get("SmsStatus") or "").strip().lower()
        provider_id = (form.get("MessageSid") or form.get("SmsSid") or "").strip() or None
        outbox_id = _outbox_id(request.query_params.get("outbox"))
        if not state or (provider_id is None and outbox_id is None):
            log.warning("twilio status callback refused: MessageStatus or MessageSid is missing")
            return PlainTextResponse("Bad request: MessageStatus and MessageSid are needed", status_code=400)
        error = form.get("ErrorCode", "").strip()
        # Twilio refused the message because the person texted STOP to it: as when a send is refused
        # with 21610, contact stops. (`To` is their number: it is never logged or echoed.)
        opted_out = stops_contact(error) and state in ("failed", "undelivered")
        changed = await record_status(outbox_id, provider_id, state, opted_out)
        if changed:
            log.info("twilio status %s for outbox %s (%s)%s%s", state, outbox_id, provider_id,
                     f", error {error}" if error else "",
                     "; the person opted out at Twilio, contact stopped" if opted_out else "")
        else:
            log.info("twilio status %s for outbox %s (%s) changed nothing: unknown message or older status",
                     state, outbox_id, provider_id)
        # 200 either way: Twilio retrying a report we cannot use would not make it usable.
        return PlainTextResponse("recorded" if changed else "nothing to change")

    return [
        Route(SMS_PATH, incoming, methods=["POST"]),
        Route(STATUS_PATH, status, methods=["POST"]),
    ]


async def _signed_fields(request: Request, signer: WebhookSigner) -> list[tuple[str, str]] | Response:
    """The form fields of a request whose signature holds, or the error answer to give."""
    try:
        body = await read_body(request, limit=MAX_FORM_BYTES)
    except BodyTooLarge as refused:
        log.warning("twilio webhook at %s refused: body over %d bytes%s", request.url.path, refused.limit,
                    f" ({refused.declared} declared)" if refused.declared is not None else "")
        return PlainTextResponse("Request body too large", status_code=413)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    fields: list[tuple[str, str]] = []
    if content_type == FORM_TYPE:
        fields = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    signature = request.headers.get(SIGNATURE_HEADER)
    query = request.scope.get("query_string", b"").decode("latin-1")
    if not signer.is_valid(request.url.path, query, fields, signature):
        log.warning("twilio webhook at %s refused: %s signature", request.url.path,
                    "missing" if not signature else "wrong")
        return PlainTextResponse("Forbidden: the Twilio signature does not match", status_code=403)
    return fields


def _ours(parsed: ParsedInbound, config: SmsWebhookConfig) -> bool:
    if parsed.to in config.own_numbers:
        return True
    sid = config.messaging_service_sid
    return bool(sid) and parsed.messaging_service_sid == sid


def _outbox_id(value: str | None) -> int | None:
    if value is None or not value.strip().isdigit():
        return None
    return int(value.strip())


def _log_reply(parsed: ParsedInbound, texts: list[str]) -> None:
    if parsed.channel == Channel.SMS:
        costs = [sms_cost(text) for text in texts]
        log.info(
            "twilio sms message %s answered: %d message(s), %d segment(s), %s",
            parsed.message.provider_id, len(texts), sum(c.segments for c in costs),
            "/".join(sorted({c.encoding for c in costs})) or "empty",
        )
    else:
        log.info("twilio %s message %s answered: %d message(s)", parsed.channel, parsed.message.provider_id,
                 len(texts))


def _twiml(texts: list[str]) -> Response:
    return Response(twiml(texts), media_type="application/xml")
