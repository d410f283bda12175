"""Findings for short messages, remembered: most messages are a few characters ("yes", "2", "no thanks") and
come again and again, and reading one against every list took a fifth of a message's time.

The same detector gives the same finding for the same text, so remembering it changes no answer; only short
texts are kept (a long one rarely comes twice), in memory, a bounded number of them.

What is kept is the text itself, so nothing that could be a phone number is: a text with more than two digits
in it (however they are spaced or punctuated: "07700 900123", "0 7 7 0 0", "call 999") is read afresh every
time and never stored. Answers such as "1", "10" or "2 please" are still remembered; two digits are not
enough to reach anyone.

    safeguarding = with_recent_findings(load_safeguarding(folder))
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from bot.safeguarding.finding import Finding

if TYPE_CHECKING:
    from bot.safeguarding.detect import Detector
    from bot.safeguarding.loading import Safeguarding

SHORT = 64  # characters: answers, numbers, "yes please"; longer messages are read afresh every time
KEPT = 4096
MOST_DIGITS = 2  # a text with more digits than this could hold part of a phone number: never remembered


def may_remember(text: str) -> bool:
    """True for a text short enough to remember and without enough digits to be (part of) a phone number."""
    return len(text) <= SHORT and sum(c.isdigit() for c in text) <= MOST_DIGITS


class RecentFindings:
    """A detector that remembers its findings for short texts; everything else is the detector's own."""

    def __init__(self, detector: Detector) -> None:
        self._detector = detector
        self._findings: dict[str, Finding] = {}

    def detect(self, text: str) -> Finding:
        if not may_remember(text):
            return self._detector.detect(text)
        found = self._findings.get(text)
        if found is None:
            found = self._detector.detect(text)
            if len(self._findings) >= KEPT:
                self._findings.clear()  # cheaper than keeping an order, and soon full of the common ones again
            self._findings[text] = found
        return found

    def __contains__(self, text: object) -> bool:
        """True when `text` is held in memory."""
        return text in self._findings

    def __getattr__(self, name: str) -> Any:
        return getattr(self._detector, name)


def with_recent_findings(safeguarding: Safeguarding) -> Safeguarding:
    return replace(safeguarding, detector=cast("Detector", RecentFindings(safeguarding.detector)))
