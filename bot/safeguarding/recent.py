"""Findings for short messages, remembered: most messages are a few characters ("yes", "2", "no thanks") and
come again and again, and reading one against every list took a fifth of a message's time.

The same detector gives the same finding for the same text, so remembering it changes no answer; only short
texts are kept (a long one rarely comes twice), in memory, a bounded number of them.

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


class RecentFindings:
    """A detector that remembers its findings for short texts; everything else is the detector's own."""

    def __init__(self, detector: Detector) -> None:
        self._detector = detector
        self._findings: dict[str, Finding] = {}

    def detect(self, text: str) -> Finding:
        if len(text) > SHORT:
            return self._detector.detect(text)
        found = self._findings.get(text)
        if found is None:
            found = self._detector.detect(text)
            if len(self._findings) >= KEPT:
                self._findings.clear()  # cheaper than keeping an order, and soon full of the common ones again
            self._findings[text] = found
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self._detector, name)


def with_recent_findings(safeguarding: Safeguarding) -> Safeguarding:
    return replace(safeguarding, detector=cast("Detector", RecentFindings(safeguarding.detector)))
