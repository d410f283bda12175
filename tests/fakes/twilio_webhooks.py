"""Requests as Twilio makes them to our webhooks: every field it sends, signed with the auth token.

Field lists follow Twilio's incoming-message and status-callback documentation; Twilio adds fields
over time, and so do these forms (`extra=`), because our adapter must sign over whatever arrives.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from twilio.request_validator import RequestValidator

DEFAULT_ACCOUNT = "AC" + "0" * 32


@dataclass(frozen=True)
class SignedRequest:
    url: str  # the full public URL Twilio was told to call
    path_and_query: str  # what to give the test client
    form: dict[str, str]
    headers: dict[str, str]


def new_message_sid() -> str:
    return "SM" + secrets.token_hex(16)


def inbound_form(
    from_: str,
    to: str,
    body: str,
    *,
    sid: str | None = None,
    account_sid: str = DEFAULT_ACCOUNT,
    media_types: tuple[str, ...] = (),
    opt_out_type: str | None = None,
    messaging_service_sid: str | None = None,
    extra: dict[str, str] | None = None,
) -> dict[str, str]:
    sid = sid or new_message_sid()
    whatsapp = from_.startswith("whatsapp:")
    form = {
        "ToCountry": "GB", "ToState": "", "SmsMessageSid": sid, "NumMedia": str(len(media_types)),
        "ToCity": "", "FromZip": "", "SmsSid": sid, "FromState": "", "SmsStatus": "received",
        "FromCity": "", "Body": body, "FromCountry": "GB", "To": to, "ToZip": "",
        "NumSegments": "1", "ReferralNumMedia": "0", "MessageSid": sid, "AccountSid": account_sid,
        "From": from_, "ApiVersion": "2010-04-01",
    }
    if whatsapp:
        form |= {"ProfileName": "Parent", "WaId": from_.removeprefix("whatsapp:+"), "MessageType": "text"}
        for key in [k for k in form if k.startswith(("To", "From")) and k not in ("To", "From")]:
            form.pop(key)  # WhatsApp messages carry no place fields
    for index, content_type in enumerate(media_types):
        form[f"MediaContentType{index}"] = content_type
        form[f"MediaUrl{index}"] = f"https://api.twilio.com/2010-04-01/Accounts/{account_sid}/Messages/{sid}/Media/ME{index}"
    if opt_out_type:
        form["OptOutType"] = opt_out_type
    if messaging_service_sid:
        form["MessagingServiceSid"] = messaging_service_sid
    return form | (extra or {})


def status_form(
    sid: str,
    status: str,
    *,
    to: str,
    from_: str,
    account_sid: str = DEFAULT_ACCOUNT,
    error_code: str | None = None,
) -> dict[str, str]:
    form = {
        "SmsSid": sid, "SmsStatus": status, "MessageStatus": status, "To": to, "MessageSid": sid,
        "AccountSid": account_sid, "From": from_, "ApiVersion": "2010-04-01",
    }
    if error_code:
        form["ErrorCode"] = error_code
    return form


def sign(auth_token: str, url: str, form: dict[str, str]) -> str:
    return RequestValidator(auth_token).compute_signature(url, form)


def signed(auth_token: str, public_url: str, path_and_query: str, form: dict[str, str]) -> SignedRequest:
    url = public_url.rstrip("/") + path_and_query
    return SignedRequest(
        url=url,
        path_and_query=path_and_query,
        form=form,
        headers={
            "X-Twilio-Signature": sign(auth_token, url, form),
            "I-Twilio-Idempotency-Token": secrets.token_hex(16),
        },
    )
