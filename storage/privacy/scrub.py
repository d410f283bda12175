"""Remove contact details and identifiers from free text before it is stored.

People type their phone number, email or NHS number into feedback all the time, usually to be helpful.
We keep the words around them and replace the identifier with a label a reader understands.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

DEFAULT_MAX_LENGTH = 4000

PHONE = "[phone number]"
EMAIL = "[email]"
POSTCODE = "[postcode]"
NHS_NUMBER = "[NHS number]"
NUMBER = "[number]"

# Bidi overrides and isolates can make stored text display differently from what it contains (and hide
# digits from a reader); zero-width characters can hide a number from the patterns below.
_INVISIBLE = frozenset(
    "\u061c\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff\u00ad"
)
_KEEP_CONTROLS = frozenset("\n\t")

# An email is `[\w.%+'-]+@[\w-]+(?:\.[\w-]+)+`. As one regex that is quadratic: on a long run of letters
# with no @ the engine tries every start and runs to the end of the run each time (4,000 letters took
# 430 ms). `_emails` finds the same matches from each @ instead, in time linear in the text.
_LOCAL_CHAR = re.compile(r"[\w.%+'-]")
_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)+")
# At most this many numbers a scrub go through the phonenumbers matcher (each costs about 0.45 ms: a
# crafted message of 700 numbers took 290 ms). Numbers after that are still caught by the backstops below
# (+ or 0 then nine more digits, and any nine digits in a row); real messages hold a handful.
PHONE_MATCHER_BUDGET = 12
_NHS = re.compile(r"(?<!\d)(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?!\d)")
# A backstop for phone numbers the matcher turns down (a number glued to letters, odd grouping): a + or
# a leading 0, then at least nine more digits with light punctuation between them. ZWJ/ZWNJ stay in
# text (some scripts need them) so they count as punctuation here.
_COUNTRY_CODE_BEFORE = re.compile(r"(?:\+|00)\d{1,3}[ \-.]?(?:\(0\)[ \-.]?)?$")
_PHONE_SHAPE = re.compile(r"(?:\+|0)\d(?:[ \t\u00a0\u202f\-.()\u200c\u200d]{0,3}\d){8,}")
_POSTCODE = re.compile(r"\b(?:GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})\b", re.IGNORECASE | re.ASCII)
_LONG_RUN = re.compile(r"\d{9,}")


def scrub(text: str, max_length: int = DEFAULT_MAX_LENGTH) -> str:
    """Return `text` without phone numbers, emails, postcodes, NHS numbers, long numbers or hidden characters.

    >>> scrub("Call me on 07700 900123 or mail sam@example.org")
    'Call me on [phone number] or mail [email]'

    The result is at most `max_length` characters and scrubbing it again changes nothing.
    """
    if max_length < 1:
        raise ValueError("max_length must be at least 1")
    # A little slack so a number cut by the length cap is still seen whole before the final cut.
    out = _clean(text)[: max_length + 64]
    budget = [PHONE_MATCHER_BUDGET]  # shared by every round below
    out = _replace_all(out, budget)[:max_length]
    # Replacing can join or cut text into a new match (rare); repeat until nothing changes. Every round
    # that changes something removes digits or an @, so this ends quickly.
    for _ in range(8):
        again = _replace_all(out, budget)[:max_length]
        if again == out:
            break
        out = again
    return out


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        ch
        for ch in text
        if ch in _KEEP_CONTROLS or (ch not in _INVISIBLE and unicodedata.category(ch) not in ("Cc", "Cs"))
    )


def _emails(text: str) -> str:
    """`re.sub` of the email pattern above, in linear time: each @ is looked at once, left to right."""
    if "@" not in text:
        return text
    out: list[str] = []
    done = 0  # text before this has been copied to `out` (or replaced)
    at = text.find("@")
    while at != -1:
        start = at
        while start > done and _LOCAL_CHAR.match(text, start - 1):
            start -= 1
        domain = _DOMAIN.match(text, at + 1) if start < at else None
        if domain is None:
            at = text.find("@", at + 1)
            continue
        out.append(text[done:start])
        out.append(EMAIL)
        done = domain.end()
        at = text.find("@", done)
    out.append(text[done:])
    return "".join(out)


def _replace_all(text: str, budget: list[int]) -> str:
    text = _emails(text)
    text = _NHS.sub(_nhs_label, text)
    text = _replace_matched_phones(text, budget)
    text = _PHONE_SHAPE.sub(PHONE, text)
    text = _POSTCODE.sub(POSTCODE, text)
    return _LONG_RUN.sub(NUMBER, text)


def _nhs_label(match: re.Match[str]) -> str:
    digits = "".join(match.groups())
    if not is_nhs_number(digits) or _COUNTRY_CODE_BEFORE.search(match.string, 0, match.start()):
        return match.group(0)  # "+44 161 664 5091" is a phone number whose last ten digits pass the check
    return NHS_NUMBER


def is_nhs_number(digits: str) -> bool:
    """The NHS number modulus 11 check on a 10-digit string."""
    if len(digits) != 10 or not digits.isdecimal():
        return False
    values = [int(d) for d in digits]
    total = sum(v * w for v, w in zip(values[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == values[9]


def _replace_matched_phones(text: str, budget: list[int]) -> str:
    if budget[0] <= 0 or not any(ch.isdigit() for ch in text):
        return text
    spans: list[tuple[int, int]] = []
    # POSSIBLE leniency finds UK numbers written with spaces or brackets, and +international numbers,
    # that VALID misses (for example Ofcom's drama ranges, or numbers a person mistypes by one digit).
    matcher = phonenumbers.PhoneNumberMatcher(
        text, "GB", leniency=phonenumbers.Leniency.POSSIBLE, max_tries=PHONE_MATCHER_BUDGET
    )
    for match in matcher:
        budget[0] -= 1
        if budget[0] < 0:
            break
        raw = match.raw_string
        digits = sum(ch.isdigit() for ch in raw)
        # POSSIBLE alone also matches plain counts such as "1000000"; a phone number starts with + or 0
        # or is long enough to dial.
        if raw.lstrip("(").startswith(("+", "0")) or digits >= 9:
            spans.append((match.start, match.end))
    for start, end in reversed(spans):
        text = text[:start] + PHONE + text[end:]
    return text
