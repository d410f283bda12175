"""The messages a pack really sends, built by the engine's own functions, so the channel budgets
price what people receive: the intro with the channel's privacy sentence, the consent question with
its hint, each question with its numbered choices and hint, and the one line of help after a pack with
sensitive questions.

`sms_costs()` is the pack's SMS price list, shown by `said prompts check --costs` and in the README:

    message            en (segments)   cy (segments)
    opening            2               2
    question 'overall' 1               1
"""

from __future__ import annotations

from dataclasses import dataclass
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
from bot.engine.walk import intro_say
from bot.hours import WeeklyHours
from bot.messages import Ask, Outbound, Reply, Say
from bot.safeguarding.loading import shipped_safeguarding
from bot.safeguarding.signposting import Signposting
from channels.segments import sms_cost
from channels.twilio_sms.render import render_sms

SMS = "sms"


def system_texts(prompts_dir: Path) -> SystemTexts:
    """The bot's texts for `prompts_dir`, read once per version of the files (they take a while to parse)."""
    files = [
        SHIPPED_PROMPTS / name for name in ("system.yaml", "channels.yaml")
    ] + [Path(prompts_dir) / name for name in ("system.yaml", "channels.yaml")]
    return _system_texts(Path(prompts_dir).resolve(), tuple(f.stat().st_mtime if f.exists() else 0.0 for f in files))


@lru_cache(maxsize=8)
def _system_texts(prompts_dir: Path, stamp: tuple[float, ...]) -> SystemTexts:
    return SystemTexts.load(prompts_dir)


@dataclass(frozen=True)
class SmsCostRow:
    """One message of a pack as an SMS: its name and, per language, (segments, encoding, characters)."""

    message: str
    costs: dict[str, tuple[int, str, int]]


class PackMessages:
    def __init__(self, pack: Pack, prompts_dir: Path, symbols: Symbols) -> None:
        self.pack = pack
        self.symbols = symbols
        self.texts = system_texts(prompts_dir)
        local = Path(prompts_dir) / "signposting.yaml"
        self.signposting = Signposting.load(local if local.exists() else SHIPPED_PROMPTS / "signposting.yaml")
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

    def intro(self, language: str, channel: str | None = SMS) -> Say:
        return intro_say(self.pack, self.ctx, language, channel)

    def consent(self, language: str, channel: str | None = SMS) -> Ask:
        return consent_ask(self.pack, self.ctx, language, channel)

    def question(self, question: Question, language: str, channel: str | None = SMS) -> Ask:
        return question_ask(self.pack, question, self.ctx, language, 0, {}, channel=channel)

    def outro(self, language: str) -> Say:
        return Say(self.pack.outro[language], "thank_you", self.symbols.emoji("thank_you"))

    def closing(self, language: str) -> tuple[Say, ...]:
        """The last SMS: the outro, and one line of help when the pack asked sensitive questions."""
        if any(q.sensitive for q in self.pack.questions):
            line = self.signposting.one_line(
                audience=self.pack.audience.value, open_now=False, language=language
            )
            if line:
                return (self.outro(language), Say(line, "support", self.symbols.emoji("support")))
        return (self.outro(language),)

    def sms_costs(self) -> list[SmsCostRow]:
        """What each message costs by SMS in plain GSM-7, in every language: opening, questions, end."""
        languages = self.pack.languages
        rows: list[tuple[str, dict[str, tuple[Outbound, ...]]]] = [
            ("opening", {lang: (self.intro(lang), self.consent(lang)) for lang in languages})
        ]
        for q in self.pack.questions:
            rows.append((f"question '{q.id}'", {lang: (self.question(q, lang),) for lang in languages}))
        rows.append(("end", {lang: self.closing(lang) for lang in languages}))
        out: list[SmsCostRow] = []
        for name, by_language in rows:
            costs: dict[str, tuple[int, str, int]] = {}
            for lang, messages in by_language.items():
                cost = sms_cost(render_sms(Reply(messages=messages)))
                costs[lang] = (cost.segments, cost.encoding, cost.characters)
            out.append(SmsCostRow(name, costs))
        return out
