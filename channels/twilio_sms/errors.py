"""Twilio's error answers in the dispatcher's terms: retry later, give up, or stop contacting the person.

Twilio's own error text often quotes the number it could not reach, so a reason here is built only from
the error code and our own words, never from Twilio's message.

    429 / 20429        too many requests: retry after Retry-After (or the dispatcher's back-off)
    21611, 30001       queue overflow: retry later, never drop
    21610              the person texted STOP to this number: stop all contact (also when a
                       delivery report carries it: `stops_contact`)
    5xx, 20003 / 401   Twilio or our account is unwell, not the person: retry later
    other 4xx          this message cannot be sent (bad number, not a mobile …): give up
"""

from __future__ import annotations

from twilio.base.exceptions import TwilioException, TwilioRestException

from channels.base import SendFailed

QUEUE_FULL_RETRY_SECONDS = 60.0

_REASONS = {
    20003: "Twilio refused our account credentials",
    20429: "Twilio asked us to slow down",
    21211: "the number is not a valid phone number",
    21408: "our account may not send to this country",
    21610: "the person has opted out at Twilio (STOP)",
    21611: "Twilio's queue for our number is full",
    21612: "Twilio cannot route a message from our number to this one",
    21614: "the number cannot receive text messages",
    21617: "the message is longer than Twilio allows",
    30001: "Twilio's queue for our number is full",
    63016: "WhatsApp allows free-form messages only within 24 hours of the person's last message",
}
_STOPPED = frozenset({21610})
_QUEUE_FULL = frozenset({21611, 30001})
_SLOW_DOWN = frozenset({20429})
_ACCOUNT = frozenset({20003})


def stops_contact(error_code: str | int | None) -> bool:
    """Whether a Twilio error code (a delivery report's `ErrorCode`) means the person opted out."""
    if isinstance(error_code, str):
        error_code = int(error_code.strip()) if error_code.strip().isdigit() else None
    return error_code in _STOPPED


def failure_from(exc: TwilioException, retry_after: float | None = None) -> SendFailed:
    status = getattr(exc, "status", None)
    code = getattr(exc, "code", None)
    described = _REASONS.get(code) if isinstance(code, int) else None
    label = f"Twilio error {code}" if code else f"Twilio HTTP {status}"
    reason = f"{label}: {described}" if described else label
    if code in _STOPPED:
        return SendFailed(reason, retryable=False, stop_contact=True)
    if status == 429 or code in _SLOW_DOWN:
        return SendFailed(reason, retryable=True, retry_after=retry_after)
    if code in _QUEUE_FULL:
        return SendFailed(reason, retryable=True, retry_after=retry_after or QUEUE_FULL_RETRY_SECONDS)
    if code in _ACCOUNT or status == 401 or (isinstance(status, int) and status >= 500):
        return SendFailed(reason, retryable=True, retry_after=retry_after)
    if not isinstance(exc, TwilioRestException) and status is None:
        return SendFailed(f"Twilio client error ({type(exc).__name__})", retryable=True)
    return SendFailed(reason, retryable=False)
