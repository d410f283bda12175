"""Checking `X-Twilio-Signature` with the `twilio` library's own `RequestValidator`.

Twilio signs the URL it was told to call, exactly as written there, followed by every POST field sorted
by name. Behind a proxy or load balancer our own idea of the URL (internal host, plain http, another
port) differs from it, so the URL is rebuilt from `SAID_PUBLIC_URL` + the path + the query string as it
arrived, never from the Host header. `RequestValidator.validate` tries the URL both with and without
its port (Twilio's own signing has varied on that), so `https://host:8443/…` and `https://host/…` both
work as configured.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from urllib.parse import urlparse

from twilio.request_validator import RequestValidator, add_port, compare, remove_port

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
        params = _params(fields)
        # RequestValidator.validate's own check, in the same order, stopping at the first URL that matches:
        # a signature Twilio made for the URL without the port needs one HMAC here, not always two.
        without_port, with_port = self._urls(path, query)
        if compare(self._validator.compute_signature(without_port, params), signature):
            return True
        return bool(compare(self._validator.compute_signature(with_port, params), signature))

    @functools.lru_cache(maxsize=64)  # noqa: B019 (one signer for the app's life; its webhook paths are few)
    def _urls(self, path: str, query: str) -> tuple[str, str]:
        """The URL Twilio signed without its port and with it, as RequestValidator.validate spells them."""
        parsed = urlparse(self.url_for(path, query))
        return remove_port(parsed), add_port(parsed)


def _params(fields: Iterable[tuple[str, str]]) -> _MultiParams:
    params = _MultiParams()
    for name, value in fields:
        params.setdefault(name, []).append(value)
    return params
