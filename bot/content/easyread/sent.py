"""The messages a pack really sends, built by the engine's own functions, so the channel budgets
price what people receive: the consent question with its yes/no labels and hint, each question with
its numbered choices and hint, and the support words after a pack with sensitive questions.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.content.packs.library import PackLibrary
from bot.content.packs.model import Pack, Question
from bot.content.packs.symbols import Symbols
from bot.content.packs.texts import SystemTexts
from bot.content.packs.yamlfile import SHIPPED_PROMPTS
from bot.content.words import loop_words
from bot.engine.asks import consent_ask, question_ask
from bot.engine.context import Context
from bot.hours import WeeklyHours
from bot.messages import Ask, Say
from bot.safeguarding.loading import shipped_safeguarding


def system_texts(prompts_dir: Path) -> SystemTexts:
    """The bot's texts for `prompts_dir`, read once per version of the files (they take a while to parse)."""
    files = (SHIPPED_PROMPTS / "system.yaml", Path(prompts_dir) / "system.yaml")
    return _system_texts(Path(prompts_dir).resolve(), tuple(f.stat().st_mtime if f.exists() else 0.0 for f in files))


@lru_cache(maxsize=8)
def _system_texts(prompts_dir: Path, stamp: tuple[float, ...]) -> SystemTexts:
    return SystemTexts.load(prompts_dir)


class PackMessages:
    def __init__(self, pack: Pack, prompts_dir: Path, symbols: Symbols) -> None:
        self.pack = pack
        self.symbols = symbols
        self.texts = system_texts(prompts_dir)
        # The engine reads only texts and symbols to build these; the rest of the context is inert.
        self.ctx = Context(
            now=datetime.now(UTC),
            library=PackLibrary([pack]),
            texts=self.texts,
            symbols=symbols,
            office_hours=WeeklyHours.parse("Mon-Fri 09:00-17:00"),
            timezone=ZoneInfo("UTC"),
            new_id="easyread-check",
            # The engine reads each message for risk; the check sends only the pack's own words.
            safeguarding=shipped_safeguarding(),
            loop_words=loop_words(),
        )

    def intro(self, language: str) -> Say:
        return Say(self.pack.intro[language], self.pack.symbol, self.symbols.emoji(self.pack.symbol))

    def consent(self, language: str) -> Ask:
        return consent_ask(self.pack, self.ctx, language)

    def question(self, question: Question, language: str) -> Ask:
        return question_ask(self.pack, question, self.ctx, language, 0, {})

    def outro(self, language: str) -> Say:
        return Say(self.pack.outro[language], "thank_you", self.symbols.emoji("thank_you"))

    def closing(self, language: str) -> tuple[Say, ...]:
        """The last SMS: the outro, and the support words when the pack asked sensitive questions."""
        if any(q.sensitive for q in self.pack.questions):
            support = Say(self.texts.get("support", language), "support", self.symbols.emoji("support"))
            return (self.outro(language), support)
        return (self.outro(language),)
