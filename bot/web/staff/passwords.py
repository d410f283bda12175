"""Staff passwords: argon2id hashes, checked off the event loop because checking is slow on purpose.

Long passphrases and password managers are welcome: any characters, 12 to 256 of them, no composition
rules (NIST SP 800-63B). A password too common to be safe is refused by a short list of the worst.
"""

from __future__ import annotations

import asyncio
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12
MAX_LENGTH = 256
_WORST = frozenset(
    {
        "password1234", "passwordpassword", "123456789012", "qwertyuiopas", "iloveyou1234", "letmeinletmein",
        "welcome12345", "changeme1234", "administrator", "passw0rd1234",
    }
)


class PasswordRejected(ValueError):
    """The new password does not meet the rules; the message says what to do, in plain words."""


def check_new_password(password: str, *, email: str = "") -> None:
    if len(password) < MIN_LENGTH:
        raise PasswordRejected(f"Use at least {MIN_LENGTH} characters. A few words together work well.")
    if len(password) > MAX_LENGTH:
        raise PasswordRejected(f"Use at most {MAX_LENGTH} characters.")
    folded = password.casefold()
    if folded in _WORST or len(set(folded)) < 4:
        raise PasswordRejected("This password is too easy to guess. Try a few words that do not go together.")
    if email and folded == email.casefold():
        raise PasswordRejected("Do not use your email address as your password.")


def one_time_password() -> str:
    """A random password to give once; the person must replace it when they first sign in."""
    words = secrets.token_urlsafe(15)
    return f"{words[:5]}-{words[5:10]}-{words[10:15]}-{words[15:]}"


class Passwords:
    """Hash and verify; pass a cheaper `PasswordHasher` in tests only."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self.hasher = hasher or PasswordHasher()
        # A hash to check against when the account does not exist, so both answers take as long.
        self._decoy = self.hasher.hash(secrets.token_urlsafe(16))

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self.hasher.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """True when `password` matches; with no hash (unknown account) it still does the work, then says no."""
        return await asyncio.to_thread(self._verify, password_hash, password)

    def _verify(self, password_hash: str | None, password: str) -> bool:
        try:
            self.hasher.verify(password_hash or self._decoy, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
        return password_hash is not None

    def needs_rehash(self, password_hash: str) -> bool:
        return self.hasher.check_needs_rehash(password_hash)
