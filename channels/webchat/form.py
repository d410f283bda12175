"""Read a web chat form post without trusting it: any bytes in, a tidy `ChatForm` out.

Browsers post `application/x-www-form-urlencoded` as UTF-8 (the page says so), but a broken client or
an attacker can send anything: invalid UTF-8, control characters, 10,000 characters, fields twice. None
of that may crash the chat or reach the engine untidied.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qsl

MAX_TEXT = 2000  # characters a person may type; the text box says so with maxlength too
MAX_BODY = 256 * 1024  # bytes; 2,000 characters of percent-encoded 4-byte UTF-8 is under 25 KiB
_MAX_FIELDS = 16
_MAX_VALUE = 100  # a button value or CSRF token is short; anything longer is not ours

# C0 and C1 controls and DEL; newline is kept (people write paragraphs), tab becomes a space.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BUTTON_VALUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class FormError(ValueError):
    """The body is not a form we can read; the message is safe to show in a log."""


@dataclass(frozen=True, slots=True)
class ChatForm:
    csrf: str | None = None
    turn: int | None = None
    text: str = ""
    choice: str | None = None
    start: str | None = None
    truncated: bool = False  # the typed text was longer than MAX_TEXT and was cut

    @property
    def is_empty(self) -> bool:
        return not self.text and self.choice is None and self.start is None


def clean_text(raw: str) -> tuple[str, bool]:
    """Typed text as the engine should see it, and whether it had to be cut to MAX_TEXT characters."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _CONTROLS.sub("", text)
    text = unicodedata.normalize("NFC", text).strip()
    if len(text) <= MAX_TEXT:
        return text, False
    return text[:MAX_TEXT].rstrip(), True


def _button_value(raw: str | None) -> str | None:
    if raw is None:
        return None
    value = raw.strip()
    if not value or len(value) > _MAX_VALUE or not _BUTTON_VALUE.match(value):
        return None
    return value


def _turn(raw: str | None) -> int | None:
    if raw is None or not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        return None
    return int(raw)


def parse_form(body: bytes) -> ChatForm:
    """Parse an urlencoded body. Invalid UTF-8 becomes U+FFFD rather than an error."""
    if len(body) > MAX_BODY:
        raise FormError("form body too large")
    # A well-formed urlencoded body is ASCII; stray raw bytes are replaced, never fatal.
    query = body.decode("ascii", errors="replace")
    try:
        pairs = parse_qsl(query, keep_blank_values=True, encoding="utf-8", errors="replace", max_num_fields=_MAX_FIELDS)
    except ValueError as exc:
        raise FormError("too many form fields") from exc
    fields: dict[str, str] = {}
    for name, value in pairs:
        fields.setdefault(name, value)  # a repeated field: the first one wins, as a browser sends it
    text, truncated = clean_text(fields.get("text", ""))
    csrf = fields.get("csrf")
    return ChatForm(
        csrf=csrf if csrf is not None and len(csrf) <= _MAX_VALUE else None,
        turn=_turn(fields.get("turn")),
        text=text,
        choice=_button_value(fields.get("choice")),
        start=_button_value(fields.get("start")),
        truncated=truncated,
    )
