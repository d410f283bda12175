"""The neutral messages "You said, we did" sends, per language.

A follow-up (done action, in English):
    Say  "You said: The wait was too long."                 (the action's symbol)
    Say  "We did this: We added two clinics on Saturdays."
    Ask  "Was this helpful?"  1 👍 Yes · 2 👎 No · 3 💬 Tell us more     (question id "helpful")

An invitation: the staff member's words, then "Would you like to take part?" YES / NO (question id
"invitation"). A check-in reminder: the schedule's words, then "Send WAITING to start."
"""

from __future__ import annotations

from typing import Any

from bot.content.packs.library import PackLibrary, Symbols, SystemTexts
from bot.content.words import Words as LoopWords
from bot.engine.loop_reply import HELPFUL, HELPFUL_CHOICES, INVITATION
from bot.messages import Ask, Choice, Outbound, Say
from bot.messages_json import message_to_dict
from storage.loop.records import Action, CheckinSchedule

INVITATION_SYMBOL = "people"
CHECKIN_SYMBOL = "calendar"
Messages = dict[str, list[dict[str, Any]]]



def default_language(languages: list[str]) -> str:
    return "en" if "en" in languages or not languages else languages[0]


class Composer:
    def __init__(self, words: LoopWords, texts: SystemTexts, symbols: Symbols, packs: PackLibrary) -> None:
        self.words = words
        self.texts = texts
        self.symbols = symbols
        self.packs = packs

    def _say(self, text: str, symbol: str | None = None) -> Say:
        return Say(text, symbol, self.symbols.emoji(symbol))

    # Follow-ups

    def we_did(self, action: Action, language: str) -> str:
        return self.words.get(f"we_did_{action.status}", language, words=action.we_did[language])

    def helpful_ask(self, language: str) -> Ask:
        choices = tuple(
            Choice(value, self.words.get(key, language), symbol, self.symbols.emoji(symbol), str(n))
            for n, (value, key, symbol) in enumerate(HELPFUL_CHOICES, start=1)
        )
        return Ask(
            question_id=HELPFUL,
            text=self.words.get("helpful_question", language),
            kind="choice",
            language=language,
            symbol="question",
            emoji=self.symbols.emoji("question"),
            choices=choices,
            hint=self.words.get("helpful_hint", language),
        )

    def followup(self, action: Action, language: str) -> list[Outbound]:
        return [
            self._say(self.words.get("you_said", language, words=action.you_said[language]), action.symbol),
            self._say(self.we_did(action, language)),
            self.helpful_ask(language),
        ]

    def followups(self, action: Action) -> tuple[Messages, str]:
        """The follow-up in every language the action has words in, and the language for everyone else."""
        languages = action.languages
        return (
            {lang: [message_to_dict(m) for m in self.followup(action, lang)] for lang in languages},
            default_language(languages),
        )

    # Invitations

    def invitation(self, text: str, language: str) -> list[Outbound]:
        yes, no = self.texts.get("label_yes", language), self.texts.get("label_no", language)
        return [
            self._say(text, INVITATION_SYMBOL),
            Ask(
                question_id=INVITATION,
                text=self.words.get("invite_question", language),
                kind="yesno",
                language=language,
                symbol="question",
                emoji=self.symbols.emoji("question"),
                choices=(
                    Choice("yes", yes, "yes", self.symbols.emoji("yes"), "1"),
                    Choice("no", no, "no", self.symbols.emoji("no"), "2"),
                ),
                hint=self.words.get("invite_hint", language),
            ),
        ]

    def invitations(self, texts: dict[str, str]) -> tuple[Messages, str]:
        languages = [lang for lang, text in texts.items() if text.strip()]
        return (
            {lang: [message_to_dict(m) for m in self.invitation(texts[lang], lang)] for lang in languages},
            default_language(languages),
        )

    # Check-in reminders

    def keyword(self, pack_id: str) -> str:
        pack = self.packs.get(pack_id)
        return pack.keywords[0].upper() if pack else self.texts.get("menu_word", "en")

    def reminder(self, schedule: CheckinSchedule, language: str) -> list[Outbound]:
        return [
            self._say(schedule.texts[language], CHECKIN_SYMBOL),
            self._say(self.words.get("checkin_start", language, keyword=self.keyword(schedule.pack_id))),
        ]

    def reminders(self, schedule: CheckinSchedule) -> tuple[Messages, str]:
        languages = [lang for lang, text in schedule.texts.items() if text.strip()]
        return (
            {lang: [message_to_dict(m) for m in self.reminder(schedule, lang)] for lang in languages},
            default_language(languages),
        )
