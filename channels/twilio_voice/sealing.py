"""Sealing a transcript that rides in a URL while the caller confirms it.

A low-confidence answer is read back ("I heard, my son is 12. If that is right, press 1") and kept in
the next action URL until the caller presses 1. URLs end up in access logs and in Twilio's request
logs, and a transcript may hold a name or a number, so it travels encrypted (AES-256-GCM) under a key
derived from the deployment secret, never as words. The URL's query string is signed by Twilio as well,
so a sealed value can neither be read nor swapped.

    seal = TranscriptSeal(key)
    token = seal.close("my son is 12")   # URL-safe text, different every time
    seal.open(token)                      # "my son is 12"; None for anything not sealed by this key
"""

from __future__ import annotations

import base64
import binascii
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_NONCE_BYTES = 12
_AAD = b"said-and-done/voice-transcript/v1"
MAX_TRANSCRIPT = 1_000  # characters kept; Twilio's transcripts of one answer are far shorter


class TranscriptSeal:
    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("the transcript key must be 32 bytes")
        self._aead = AESGCM(key)

    def __repr__(self) -> str:
        return "TranscriptSeal()"  # never the key

    def close(self, transcript: str) -> str:
        nonce = os.urandom(_NONCE_BYTES)
        data = transcript[:MAX_TRANSCRIPT].encode("utf-8", "replace")
        sealed = nonce + self._aead.encrypt(nonce, data, _AAD)
        return base64.urlsafe_b64encode(sealed).decode("ascii").rstrip("=")

    def open(self, token: str) -> str | None:
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        except (binascii.Error, ValueError):
            return None
        if len(raw) <= _NONCE_BYTES:
            return None
        try:
            data = self._aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _AAD)
        except InvalidTag:
            return None
        return data.decode("utf-8", "replace")
