"""The voice webhooks: an incoming call, and the follow-ups its TwiML points Twilio at.

    POST /webhooks/twilio/voice          a call rings: welcome and the first question
    POST /webhooks/twilio/voice/answer   a <Gather> heard keys or speech (`?c=…&n=…` says what was asked)
    POST /webhooks/twilio/voice/silence  the <Redirect> after a <Gather> that heard nothing

Every request's `X-Twilio-Signature` is checked against `SAID_PUBLIC_URL` + path + query before anything
else is read: a missing or wrong signature is 403 and nothing is stored. Answers are TwiML (200) even
when something inside goes wrong, because Twilio would otherwise tell the caller "an application error
has occurred" in a voice nobody chose. Log lines name the CallSid, never the caller's number.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from channels.body import BodyTooLarge, read_body
from channels.twilio_sms.signature import SIGNATURE_HEADER, WebhookSigner
from channels.twilio_voice.call import ANSWER_PATH, SILENCE_PATH, VOICE_PATH, HandleInbound, VoiceCall, VoiceConfig
from channels.twilio_voice.callstate import CallState
from channels.twilio_voice.inbound import BadCall, CallInput, parse_call
from channels.twilio_voice.twiml import CallAnswer

log = logging.getLogger("said.voice")

# A call's form is a few dozen short fields and a transcript; anything far bigger is not from Twilio.
MAX_FORM_BYTES = 64 * 1024
FORM_TYPE = "application/x-www-form-urlencoded"
XML = "application/xml"


def twilio_voice_routes(config: VoiceConfig, handle: HandleInbound) -> list[BaseRoute]:
    call = VoiceCall(config, handle)

    async def incoming(request: Request) -> Response:
        parsed = await _signed_call(request, config.signer)
        if isinstance(parsed, Response):
            return parsed
        return await _answer(call, parsed, lambda: call.start(parsed))

    async def answered(request: Request) -> Response:
        parsed = await _signed_call(request, config.signer)
        if isinstance(parsed, Response):
            return parsed
        state = CallState.from_query(request.query_params)
        return await _answer(call, parsed, lambda: call.answer(parsed, state))

    async def silent(request: Request) -> Response:
        parsed = await _signed_call(request, config.signer)
        if isinstance(parsed, Response):
            return parsed
        state = CallState.from_query(request.query_params)
        return await _answer(call, parsed, lambda: call.silence(parsed, state))

    return [
        Route(VOICE_PATH, incoming, methods=["POST"]),
        Route(ANSWER_PATH, answered, methods=["POST"]),
        Route(SILENCE_PATH, silent, methods=["POST"]),
    ]


async def _answer(call: VoiceCall, parsed: CallInput, step: Callable[[], Awaitable[str]]) -> Response:
    try:
        twiml = await step()
    except Exception as exc:
        # Only the exception's type: its text may quote what the caller said.
        log.error("voice call %s: step failed with %s", parsed.call_sid, type(exc).__name__)
        answer = CallAnswer(call.config.style)
        answer.say(call.config.default_language, [call.words.get("sorry", call.config.default_language)])
        answer.hang_up()
        twiml = str(answer)
    return Response(twiml, media_type=XML)


async def _signed_call(request: Request, signer: WebhookSigner) -> CallInput | Response:
    """The parsed call of a request whose signature holds, or the error answer to give."""
    try:
        body = await read_body(request, limit=MAX_FORM_BYTES)
    except BodyTooLarge as refused:
        log.warning("twilio voice webhook at %s refused: body over %d bytes%s", request.url.path, refused.limit,
                    f" ({refused.declared} declared)" if refused.declared is not None else "")
        return PlainTextResponse("Request body too large", status_code=413)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    fields = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True) if content_type == FORM_TYPE else []
    signature = request.headers.get(SIGNATURE_HEADER)
    query = request.scope.get("query_string", b"").decode("latin-1")
    if not signer.is_valid(request.url.path, query, fields, signature):
        log.warning("twilio voice webhook at %s refused: %s signature", request.url.path,
                    "missing" if not signature else "wrong")
        return PlainTextResponse("Forbidden: the Twilio signature does not match", status_code=403)
    try:
        return parse_call(dict(fields))
    except BadCall as exc:
        log.warning("twilio voice webhook at %s refused: %s", request.url.path, exc)
        return PlainTextResponse(f"Bad request: {exc}", status_code=400)
