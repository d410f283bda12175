"""The browser's only state: an opaque random token in a cookie, and a CSRF token derived from it.

The session token is the person's "address" on the web channel, so it is treated like a phone number:
never logged, never echoed in a page except inside its own HttpOnly cookie.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

COOKIE_NAME = "said_chat"
COOKIE_PATH = "/chat"
# The token is secrets.token_urlsafe(32): 43 characters of the URL-safe base64 alphabet.
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def looks_like_token(value: str | None) -> bool:
    """A cookie we could have issued; anything else is ignored rather than passed on as an address."""
    return value is not None and _TOKEN_SHAPE.match(value) is not None


class CsrfSigner:
    """CSRF tokens are an HMAC of the session token, so they need no storage and die with the session."""

    def __init__(self, secret: bytes) -> None:
        if not secret:
            raise ValueError("the web chat needs a non-empty CSRF secret")
        self._secret = secret

    def _mac(self, purpose: str, message: str) -> str:
        return hmac.new(self._secret, f"{purpose}:{message}".encode(), hashlib.sha256).hexdigest()

    def token_for(self, session_token: str) -> str:
        return self._mac("csrf", session_token)

    def is_valid(self, session_token: str | None, csrf: str | None) -> bool:
        if not session_token or not csrf:
            return False
        # As bytes: compare_digest refuses str with non-ASCII characters, and a forged form may carry any.
        return hmac.compare_digest(self.token_for(session_token).encode(), csrf.encode("utf-8", "surrogateescape"))

    def provider_id(self, session_token: str, turn: int) -> str:
        """A stable id for "this session's message at this turn", so the service processes a
        repeated submit once; keyed so the id reveals nothing about the session token."""
        return "web-" + self._mac("inbound", f"{session_token}:{turn}")[:32]
