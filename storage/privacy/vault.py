"""Pseudonyms, the address vault and text scrubbing: how we know a person without keeping who they are.

A participant is known by a keyed hash of channel and normalised address. The address itself is kept only
encrypted in the vault, for as long as a conversation or a consent needs it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from dataclasses import dataclass, field

import phonenumbers
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from storage.privacy.scrub import DEFAULT_MAX_LENGTH, is_nhs_number, scrub

__all__ = [
    "DEFAULT_MAX_LENGTH",
    "AddressError",
    "Keys",
    "Vault",
    "VaultError",
    "identity_channel",
    "is_nhs_number",
    "normalise_address",
    "pseudonym",
    "pseudonym_of_normalised",
    "purpose_key",
    "scrub",
    "short",
]

PHONE_CHANNELS = frozenset({"sms", "voice", "whatsapp"})
KNOWN_CHANNELS = PHONE_CHANNELS | {"telegram", "web"}
DEFAULT_REGION = "GB"

# Changing these would change every pseudonym and make every vault entry unreadable.
_HKDF_SALT = b"said-and-done/keys/v1"
_PSEUDONYM_INFO = b"pseudonym"
_VAULT_INFO = b"vault"
_VAULT_FORMAT_V1 = b"\x01"  # associated data a constant: only `open_unbound` (the migration) reads it
_VAULT_AAD_V1 = b"said-and-done/vault/v1"
_VAULT_FORMAT = b"\x02"
ADDRESS = "address"  # a participant's own address, in vault_entries
CALLBACK = "callback"  # a number given for a call back, in safeguarding_callback_numbers
_NONCE_BYTES = 12
_TELEGRAM_ID = re.compile(r"-?[0-9]{1,20}")
_MAX_WEB_ADDRESS = 512


class AddressError(ValueError):
    """An address we cannot normalise. The message never contains the address."""


class VaultError(Exception):
    """A vault entry that cannot be opened (wrong key or damaged). The message reveals nothing of it."""


@dataclass(frozen=True, slots=True)
class Keys:
    """The two independent keys derived from the one deployment secret."""

    pseudonym_key: bytes = field(repr=False)
    vault_key: bytes = field(repr=False)

    @classmethod
    def from_secret(cls, secret: str) -> Keys:
        if not secret:
            raise ValueError("the secret key is empty; set SAID_SECRET_KEY")
        material = secret.encode("utf-8")
        return cls(pseudonym_key=_derive(material, _PSEUDONYM_INFO), vault_key=_derive(material, _VAULT_INFO))


def _derive(material: bytes, info: bytes) -> bytes:
    # HKDF with distinct `info` gives keys that reveal nothing about each other or the secret.
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=_HKDF_SALT, info=info).derive(material)


def purpose_key(secret: str, purpose: str) -> bytes:
    """A key for one use elsewhere in the service (web chat CSRF, Telegram button tags, voice seals).

    Every key the service uses is derived here, from the one deployment secret. A key per purpose, so
    one use's tags reveal nothing about another's. HMAC-SHA256 (not the HKDF above) because these keys
    predate the vault's and changing them would void buttons and forms already in people's hands.
    """
    return hmac.new(secret.encode(), purpose.encode(), hashlib.sha256).digest()


CALL_PREFIX = "call:"
_CALL_ID = re.compile(r"[A-Za-z0-9-]{8,64}")


def normalise_address(channel: str, address: str) -> str:
    """The canonical form of an address: E.164 for phones, the decimal chat id for Telegram.

    >>> normalise_address("sms", "07700 900123")
    '+447700900123'
    >>> normalise_address("whatsapp", "whatsapp:+44 7700 900123")
    '+447700900123'
    """
    if channel == "voice" and address.startswith(CALL_PREFIX):
        # A withheld number: the call itself is the only address, good for this one call.
        if not _CALL_ID.fullmatch(address[len(CALL_PREFIX) :]):
            raise AddressError("a one-call address must be call: and a call id")
        return address
    if channel in PHONE_CHANNELS:
        return _normalise_phone(address)
    if channel == "telegram":
        text = address.strip()
        if not _TELEGRAM_ID.fullmatch(text):
            raise AddressError("a Telegram chat id must be a whole number")
        return str(int(text))
    if channel == "web":
        if not address or len(address) > _MAX_WEB_ADDRESS:
            raise AddressError("a web chat address must be a non-empty token of at most 512 characters")
        return address
    raise AddressError("unknown channel")


def _normalise_phone(address: str) -> str:
    text = address.strip()
    if text.lower().startswith("whatsapp:"):
        text = text[len("whatsapp:") :].strip()
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise AddressError("this is not a phone number we can read") from None
    # "Possible" (right length for the country) rather than "valid": test and drama ranges are not valid
    # but are real enough for a provider to send from, and we only need a stable canonical form. A
    # local-only number (no area code) is refused: it cannot be written in E.164.
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
        raise AddressError("this is not a phone number we can read")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def identity_channel(channel: str) -> str:
    """The channel part of a pseudonym: SMS and calls from one phone are one person; WhatsApp is separate."""
    return "phone" if channel in ("sms", "voice") else channel


def pseudonym(keys: Keys, channel: str, address: str) -> str:
    """Hex HMAC-SHA256 of the identity channel and the normalised address (64 characters)."""
    return pseudonym_of_normalised(keys, channel, normalise_address(channel, address))


def pseudonym_of_normalised(keys: Keys, channel: str, normalised: str) -> str:
    """`pseudonym` for an address already passed through `normalise_address`."""
    # One-call addresses (withheld numbers) carry their own "call:" namespace, apart from phones.
    subject = normalised if normalised.startswith(CALL_PREFIX) else f"{identity_channel(channel)}:{normalised}"
    return hmac.new(keys.pseudonym_key, subject.encode("utf-8"), hashlib.sha256).hexdigest()


def short(pseudonym: str) -> str:
    """The first 8 hex characters, enough to follow one person through the logs."""
    return pseudonym[:8]


def _bound(participant_id: int, purpose: str) -> bytes:
    return f"said-and-done/vault/v2:{purpose}:{int(participant_id)}".encode()


class Vault:
    """Authenticated encryption (AES-256-GCM) of addresses under the vault key.

    Each sealed address is bound to its participant and its purpose (the associated data names both), so
    an entry copied onto another participant's row, or from a call-back number to a vault entry, does not
    open: someone who can write to the database cannot make one person's messages go to another."""

    def __init__(self, keys: Keys) -> None:
        self._aead = AESGCM(keys.vault_key)

    def __repr__(self) -> str:
        return "Vault()"

    def seal(self, address: str, *, participant_id: int, purpose: str = ADDRESS) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        body = self._aead.encrypt(nonce, address.encode("utf-8"), _bound(participant_id, purpose))
        return _VAULT_FORMAT + nonce + body

    def open(self, token: bytes, *, participant_id: int, purpose: str = ADDRESS) -> str:
        return self._open(token, _VAULT_FORMAT, _bound(participant_id, purpose))

    def open_unbound(self, token: bytes) -> str:
        """An entry sealed before entries were bound to their participant (format 1), for re-sealing."""
        return self._open(token, _VAULT_FORMAT_V1, _VAULT_AAD_V1)

    def _open(self, token: bytes, form: bytes, associated: bytes) -> str:
        if len(token) < 1 + _NONCE_BYTES + 16 or token[:1] != form:
            raise VaultError("the vault entry is damaged or in another format")
        nonce, body = token[1 : 1 + _NONCE_BYTES], token[1 + _NONCE_BYTES :]
        try:
            return self._aead.decrypt(nonce, body, associated).decode("utf-8")
        except (InvalidTag, UnicodeDecodeError):
            raise VaultError("the vault entry cannot be opened with this key for this participant") from None
