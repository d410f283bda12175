"""Short quotes of the checked text for messages, with anything like a phone number hidden.

Findings are shown to staff and printed in CI logs; a staff broadcast may quote a number, and the
checker must never repeat an address.
"""

from __future__ import annotations

import regex

_LONG_NUMBER = regex.compile(r"\+?\d[\d\s\-().]{4,}\d")
_EMAIL = regex.compile(r"\S+@\S+")


def excerpt(text: str, words: int = 8) -> str:
    safe = _EMAIL.sub("…", _LONG_NUMBER.sub("…", text))
    parts = safe.split()
    clipped = " ".join(parts[:words])
    return f'"{clipped}…"' if len(parts) > words else f'"{clipped}"'
