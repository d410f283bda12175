"""Checking `X-Twilio-Signature` with the `twilio` library's own `RequestValidator`.

Twilio signs the URL it was told to call, exactly as written there, followed by every POST field sorted
by name. Behind a proxy or load balancer our own idea of the URL (internal host, plain http, another
port) differs from it, so the URL is rebuilt from `SAID_PUBLIC_URL` + the path + the query string as it
arrived, never from the Host header. `RequestValidator.validate` tries the URL both with and without
its port (Twilio's own signing has varied on that), so `https://host:8443/…` and `https://host/…` both
work as configured.
"""

from __future__ import annotations

from collections.abc import Iterable

from twilio.request_validator import RequestValidator

SIGNATURE_HEADER = "X-Twilio-Signature"


class _MultiParams(dict[str, list[str]]):
    """A field sent twice is signed twice; RequestValidator reads repeated values through `getall`."""

    def getall(self, name: str) -> list[str]:
        return self[name]


class WebhookSigner:
    """Verifies (and, for tests and tools, computes) Twilio webhook signatures for one auth token."""

    def __init__(self, auth_token: str, public_url: str) -> None:
        self._validator = RequestValidator(auth_token)
        self.public_url = public_url.rstrip("/")

    def __repr__(self) -> str:
        return f"WebhookSigner(public_url={self.public_url!r})"  # never the token

    def url_for(self, path: str, query: str = "") -> str:
        return f"{self.public_url}{path}" + (f"?{query}" if query else "")

    def is_valid(
        self, path: str, query: str, fields: Iterable[tuple[str, str]], signature: str | None
    ) -> bool:
        if not signature:
            return False
        return bool(self._validator.validate(self.url_for(path, query), _params(fields), signature))


def _params(fields: Iterable[tuple[str, str]]) -> _MultiParams:
    params = _MultiParams()
    for name, value in fields:
        params.setdefault(name, []).append(value)
    return params
