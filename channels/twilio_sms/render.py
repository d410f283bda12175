"""Neutral messages as SMS text: numbered choices, one message per reply.

    How was your visit?
    1 Good
    2 OK
    3 Poor
    Reply 1, 2 or 3.

Plain GSM-7 is the default (`plain=True`): no emoji, straight quotes. One emoji switches the whole
text to UCS-2, 70 characters a segment instead of 160, so a question would cost two segments instead
of one, and basic phones may show boxes. A service that wants symbols by SMS turns them back on
(SAID_SMS_SYMBOLS); they then go on the left of the words, where easy read puts its pictures.

A yes or no question shows no numbers: its hint says "Reply YES or NO", and "1" and "2" still work.
Twilio takes at most 1,600 characters a message, so a longer text is split between paragraphs
(`split_for_twilio`) and sent as several messages.
"""

from __future__ import annotations

import re

from twilio.twiml.messaging_response import MessagingResponse

from bot.messages import Ask, Reply, Say
from channels.segments import to_gsm7
from channels.splitting import split_text

TWILIO_BODY_LIMIT = 1600


def render_sms(reply: Reply, *, plain: bool = True) -> str:
    parts: list[str] = []
    for message in reply.messages:
        if isinstance(message, Say):
            parts.append(_with_emoji(message.text, message.emoji, plain))
        elif isinstance(message, Ask):
            lines = [_with_emoji(message.text, message.emoji, plain)]
            # Yes or no needs no numbered list: "Reply YES or NO" says it in fewer characters.
            for choice in () if message.kind == "yesno" else message.choices:
                label = choice.label if plain or not choice.emoji else f"{choice.emoji} {choice.label}"
                lines.append(f"{choice.key} {label}")
            if message.hint:
                lines.append(message.hint)
            parts.append("\n".join(lines))
    text = "\n\n".join(p for p in parts if p)
    return to_gsm7(text) if plain else text


def split_for_twilio(text: str, limit: int = TWILIO_BODY_LIMIT) -> list[str]:
    """Pieces of at most `limit` characters, broken between paragraphs, then lines, then words."""
    return split_text(text, limit)


def twiml(texts: list[str]) -> str:
    """A TwiML answer sending each text as one message; no texts gives an empty `<Response/>`.

    Written out directly, byte for byte what the `twilio` library's `MessagingResponse` writes (the tests
    compare the two): building it as an ElementTree cost more than the rest of the answer's rendering."""
    if not texts:
        return _EMPTY
    messages = []
    for text in texts:
        body = _XML_UNSAFE.sub("", text)
        messages.append(f"<Message>{_escape(body)}</Message>" if body else "<Message />")
    return f"{_DECLARATION}<Response>{''.join(messages)}</Response>"


def twiml_by_library(texts: list[str]) -> str:
    """`twiml` as the `twilio` library builds it: what `twiml` must equal."""
    response = MessagingResponse()
    for text in texts:
        response.message(_XML_UNSAFE.sub("", text))
    return str(response)


_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
_EMPTY = f"{_DECLARATION}<Response />"


def _escape(text: str) -> str:
    # As ElementTree escapes an element's text: &, < and > only.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# Characters XML 1.0 cannot carry at all: Twilio would refuse the whole answer over one of them.
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _with_emoji(text: str, emoji: str, plain: bool) -> str:
    return text if plain or not emoji else f"{emoji} {text}"
