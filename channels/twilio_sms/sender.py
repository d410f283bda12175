"""Proactive SMS and WhatsApp messages through the real `twilio` REST client (the outbox's Sender).

Every send asks Twilio to report delivery to `SAID_PUBLIC_URL/webhooks/twilio/status?outbox=<id>`: our
own id is in the URL, so a report that arrives before we have stored Twilio's message sid still finds
its row. Encoding and segments are worked out from the exact text sent, so the cost of every outgoing
text is known and stored.

The dispatcher holds the rate limit across processes; `rate_per_second` tells it this sender's
(a UK long code manages about one message a second).
"""

from __future__ import annotations

import logging

import aiohttp
from twilio.base.exceptions import TwilioException

from bot.messages import Outbound, Reply
from channels.base import SendFailed, Sent
from channels.segments import sms_cost
from channels.twilio_sms.client import TwilioApi, last_retry_after
from channels.twilio_sms.errors import failure_from
from channels.twilio_sms.inbound import WHATSAPP_PREFIX
from channels.twilio_sms.render import render_sms, split_for_twilio
from channels.twilio_sms.routes import STATUS_PATH

log = logging.getLogger("said.twilio")


class TwilioSender:
    def __init__(
        self,
        api: TwilioApi,
        *,
        channel: str = "sms",
        public_url: str,
        from_number: str | None = None,
        messaging_service_sid: str | None = None,
        plain: bool = True,
        rate_per_second: float = 1.0,
    ) -> None:
        if channel not in ("sms", "whatsapp"):
            raise ValueError("a Twilio messaging sender is for the sms or whatsapp channel")
        if not from_number and not messaging_service_sid:
            raise ValueError("set TWILIO_PHONE_NUMBER or TWILIO_MESSAGING_SERVICE_SID to send messages")
        if rate_per_second <= 0:
            raise ValueError("the messages-per-second rate must be more than 0")
        self.api = api
        self.channel = channel
        self.public_url = public_url.rstrip("/")
        self.from_number = from_number
        self.messaging_service_sid = messaging_service_sid
        self.plain = plain and channel == "sms"  # WhatsApp costs the same with emoji, so keep them
        self.rate_per_second = rate_per_second

    def __repr__(self) -> str:
        return f"TwilioSender(channel={self.channel!r}, rate_per_second={self.rate_per_second})"

    async def aclose(self) -> None:
        """Close the HTTP session (at shutdown); the SMS and WhatsApp senders share it, closing twice is fine."""
        await self.api.aclose()

    def status_callback(self, outbox_id: int) -> str:
        return f"{self.public_url}{STATUS_PATH}?outbox={outbox_id}"

    async def send(self, address: str, messages: list[Outbound], *, outbox_id: int) -> Sent:
        texts = split_for_twilio(render_sms(Reply(messages=tuple(messages)), plain=self.plain))
        if not texts:
            raise SendFailed("the message has no text to send", retryable=False)
        sids = [await self._create(address, text, outbox_id) for text in texts]
        if self.channel == "whatsapp":
            # WhatsApp is priced by conversation, not by segment.
            return Sent(provider_id=sids[-1])
        costs = [sms_cost(text) for text in texts]
        encoding = "UCS-2" if any(c.encoding == "UCS-2" for c in costs) else "GSM-7"
        log.info("outbox %d sent by twilio sms as %s: %d segment(s), %s", outbox_id, sids[-1],
                 sum(c.segments for c in costs), encoding)
        return Sent(provider_id=sids[-1], segments=sum(c.segments for c in costs), encoding=encoding)

    async def _create(self, address: str, text: str, outbox_id: int) -> str:
        to = self._address(address)
        sender: dict[str, str] = {}
        if self.channel == "whatsapp" and self.from_number:
            sender["from_"] = self._address(self.from_number)
        elif self.messaging_service_sid:
            # The service picks the sender from its pool (for WhatsApp, its WhatsApp sender).
            sender["messaging_service_sid"] = self.messaging_service_sid
        else:
            sender["from_"] = str(self.from_number)
        last_retry_after.set(None)
        try:
            message = await self.api.client().messages.create_async(
                to=to, body=text, status_callback=self.status_callback(outbox_id), **sender
            )
        except TwilioException as exc:
            raise failure_from(exc, last_retry_after.get()) from None
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            # Twilio may have accepted the message before the line dropped; the dispatcher's retry
            # can then send it twice, which is the outbox's promise: at most what was in flight.
            raise SendFailed(f"could not reach Twilio ({type(exc).__name__})", retryable=True) from None
        if not message.sid:
            raise SendFailed("Twilio answered without a message sid", retryable=True)
        return str(message.sid)

    def _address(self, number: str) -> str:
        if self.channel == "whatsapp" and not number.lower().startswith(WHATSAPP_PREFIX):
            return WHATSAPP_PREFIX + number
        return number
