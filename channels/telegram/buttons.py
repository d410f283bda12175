"""What a button says when it is tapped: short, opaque `callback_data`, signed so only our buttons count.

    c:<question_id>:<value>:<tag>    the usual form, e.g. "c:feeling:good:Qm9vX2k1"
    h:<digest>                       when that would pass Telegram's 64 bytes; looked up among every
                                     (question, value) pair the bot can ask, or those sent lately

The tag and the digest are keyed hashes (HMAC-SHA256) of question and value, so data we did not make
(a modified client, a button from another deployment) is refused rather than answering anything.
Telegram keeps old keyboards on screen, which is why the question travels with the value: the engine
uses it to tell a tap on an old question from an answer to the current one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

MAX_BYTES = 64  # Telegram's limit for callback_data
TAG_CHARS = 8  # 48 bits: guessing one takes about 10^14 tries, each a visible tap
DIGEST_CHARS = 22  # 132 bits: no two pairs share one
REMEMBERED = 10_000  # long pairs kept from recent sends, for pairs the catalogue does not know

Catalogue = Callable[[], Iterable[tuple[str, str]]]


@dataclass(frozen=True, slots=True)
class Tapped:
    question_id: str
    value: str


class ButtonCodec:
    def __init__(self, key: bytes, catalogue: Catalogue | None = None) -> None:
        if len(key) < 16:
            raise ValueError("the button key must be at least 16 bytes")
        self._key = key
        self._catalogue = catalogue or (lambda: ())
        self._long: OrderedDict[str, Tapped] = OrderedDict()

    def __repr__(self) -> str:
        return "ButtonCodec()"  # never the key

    def encode(self, question_id: str, value: str) -> str:
        if ":" not in question_id and ":" not in value:
            short = f"c:{question_id}:{value}:{self._mac(question_id, value, TAG_CHARS)}"
            if len(short.encode("utf-8")) <= MAX_BYTES:
                return short
        digest = self._mac(question_id, value, DIGEST_CHARS)
        self._long[digest] = Tapped(question_id, value)
        self._long.move_to_end(digest)
        while len(self._long) > REMEMBERED:
            self._long.popitem(last=False)
        return f"h:{digest}"

    def decode(self, data: str | None) -> Tapped | None:
        """The question and value behind data we made, or None for anything else."""
        if not data or len(data.encode("utf-8", "surrogatepass")) > MAX_BYTES:
            return None
        if data.startswith("c:"):
            body, _, tag = data[2:].rpartition(":")
            question_id, _, value = body.partition(":")
            if not question_id or not value or not tag:
                return None
            if not _same(tag, self._mac(question_id, value, TAG_CHARS)):
                return None
            return Tapped(question_id, value)
        if data.startswith("h:"):
            digest = data[2:]
            found = self._long.get(digest) or self._from_catalogue(digest)
            return found
        return None

    def _from_catalogue(self, digest: str) -> Tapped | None:
        # Another process (or this one before a restart) sent the button: every pair the bot can ask
        # is in the catalogue, a few hundred hashes to work out at most.
        for question_id, value in self._catalogue():
            if _same(digest, self._mac(question_id, value, DIGEST_CHARS)):
                return Tapped(question_id, value)
        return None

    def _mac(self, question_id: str, value: str, chars: int) -> str:
        message = f"{question_id}\x00{value}".encode("utf-8", "surrogatepass")
        raw = hmac.new(self._key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")[:chars]


def _same(given: str, expected: str) -> bool:
    # As bytes: compare_digest refuses str with non-ASCII characters, and button data may carry any.
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected.encode("utf-8"))
