"""Twilio's voice webhook form as what the IVR needs: who is calling, and what they pressed or said.

Twilio posts `CallSid`, `From`, `To`, `CallStatus` … on every request of a call, and after a `<Gather>`
also `Digits` (keys pressed) or `SpeechResult` with `Confidence` (0.0 to 1.0). Unknown fields are
ignored here (they still count for the signature).

A withheld caller id arrives as a word or as one of the digit strings carriers use for the words
(`+266696687` spells ANONYMOUS on a keypad, `+7378742833` RESTRICTED, `+8656696` UNKNOWN, `+86282452253`
UNAVAILABLE). Such a caller still answers: the call itself becomes the address, `call:<CallSid>`, good
for this one call only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from channels.twilio_voice.callstate import CALL_SID

WITHHELD_WORDS = frozenset({"anonymous", "restricted", "unknown", "unavailable", "private", "withheld", "blocked"})
WITHHELD_NUMBERS = frozenset({"+266696687", "+7378742833", "+8656696", "+86282452253", "266696687", "7378742833"})
CALL_ADDRESS_PREFIX = "call:"
MAX_SPEECH = 2_000  # characters; far more than anyone says in one answer
MAX_DIGITS = 20


class BadCall(ValueError):
    """The form is not a call we can use. The message names the field, never its value."""


@dataclass(frozen=True, slots=True)
class CallInput:
    call_sid: str
    address: str  # the caller id as Twilio wrote it, or call:<CallSid> when it is withheld
    withheld: bool
    digits: str  # keys pressed, "" when none
    speech: str  # what was said, "" when nothing
    confidence: float | None  # the recogniser's confidence in `speech`, None when it gave none

    @property
    def silent(self) -> bool:
        return not self.digits and not self.speech


def parse_call(form: Mapping[str, str]) -> CallInput:
    call_sid = form.get("CallSid", "").strip()
    if not call_sid:
        raise BadCall("the CallSid field is missing")
    if not CALL_SID.fullmatch(call_sid):
        raise BadCall("the CallSid field is not a call id")
    caller = (form.get("From") or form.get("Caller") or "").strip()
    withheld = is_withheld(caller)
    address = f"{CALL_ADDRESS_PREFIX}{call_sid}" if withheld else caller
    # PostgreSQL text cannot hold NUL; a recogniser never means one.
    speech = " ".join(form.get("SpeechResult", "").replace("\x00", " ").split())[:MAX_SPEECH]
    digits = form.get("Digits", "").strip()[:MAX_DIGITS]
    return CallInput(
        call_sid=call_sid,
        address=address,
        withheld=withheld,
        digits=digits,
        speech=speech,
        confidence=_confidence(form.get("Confidence")) if speech else None,
    )


def is_withheld(caller: str) -> bool:
    text = caller.strip().lower()
    if text.startswith("client:") or text.startswith("sip:"):
        return True  # a browser or SIP caller has no phone number to know them by
    digits = text.replace(" ", "")
    return not digits or text in WITHHELD_WORDS or digits in WITHHELD_NUMBERS


def _confidence(text: str | None) -> float | None:
    try:
        value = float((text or "").strip())
    except ValueError:
        return None
    return value if math.isfinite(value) and 0.0 <= value <= 1.0 else None
