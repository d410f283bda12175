"""The sentiment signal handed to the engine: VADER (vaderSentiment), loaded once at start-up.

VADER is a lexicon and rules made for social-media text: it knows slang, emoji, "not great" and "sooo
good". The engine uses it only on a question whose answers are feelings, only when the meaning lists in
prompts/meanings/ understood none of the reply, and never stores what it suggests without asking back
("Did you mean 3 Not good?"). English only: it is not asked about other languages' words.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger("said.understanding")


def sentiment_reader() -> Callable[[str], float] | None:
    """A function giving a reply's compound sentiment, -1 to 1; None if VADER cannot be loaded."""
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:  # the signal is optional: without it, unknown words are simply asked about
        log.warning("vaderSentiment is not installed; replies are read from the meaning lists alone")
        return None
    analyzer = SentimentIntensityAnalyzer()

    def compound(text: str) -> float:
        return float(analyzer.polarity_scores(text[:500])["compound"])

    return compound
