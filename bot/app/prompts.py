"""Load everything in the prompts folder once, with readable errors."""

from __future__ import annotations

from pathlib import Path

from bot.app.service import Prompts
from bot.app.understanding import sentiment_reader
from bot.content.meanings import load_meanings
from bot.content.packs.library import PackLibrary, Symbols, SystemTexts
from bot.content.words import loop_words
from bot.safeguarding.loading import load_safeguarding
from bot.safeguarding.recent import with_recent_findings


def load_prompts(directory: Path) -> Prompts:
    return Prompts(
        library=PackLibrary.load(directory),
        texts=SystemTexts.load(directory),
        symbols=Symbols.load(directory),
        # A service's safeguarding lead can extend the phrase lists in its own prompts folder.
        # Findings for short messages are remembered (bot/safeguarding/recent.py): the same text, the same finding.
        safeguarding=with_recent_findings(load_safeguarding(directory)),
        loop_words=loop_words(),
        # Words for answers (prompts/meanings/); a service can add its own in its prompts folder.
        meanings=load_meanings(directory),
        sentiment=sentiment_reader(),
    )
