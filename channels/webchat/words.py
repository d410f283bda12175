"""The web chat's own words (page furniture, notes), in easy-read English.

Bot messages come from the engine in the person's language; these surround them. A language missing
here falls back to English, and the page marks that text `lang="en"` so screen readers read it right.
"""

from __future__ import annotations

from dataclasses import dataclass

ENGLISH: dict[str, str] = {
    "page_title": "Chat with us",
    "heading": "Tell us what you think",
    "welcome": "Hello! This chat asks you a few short questions. We do not ask for your name.",
    "expired": "Your last chat had ended, so this is a new one.",
    "too_long": "Your message was very long, so we kept the first 2,000 letters.",
    "empty": "Type a message or tap a button. Then press Send.",
    "moved_on": "This chat had moved on, so we did not send that. Please answer the question below.",
    "failed": "Sorry, something went wrong on our side. Please send that again.",
    "progress": "Question {number} of {total}",
    "or_type": "Or type your answer",
    "type_answer": "Type your answer",
    "type_message": "Type a message",
    "max_letters": "You can type up to 2,000 letters.",
    "send": "Send",
    "skip": "Go to the answer box",
    "new_chat": "Start a new chat",
    "we_said": "We said:",
    "you_said": "You said:",
    "conversation": "Our chat",
    "footer": "Type HELP for help, STOP to stop, FORGET ME to delete your answers.",
    "you_said_we_did": "See what we did about what people said",
    "error_title": "Sorry, that did not work",
    "error_csrf": "We could not send that. This can happen if the chat was open in another window. Nothing was saved.",
    "error_form": "We could not read that message. Nothing was saved.",
    "error_too_big": "That message was too long for us. Nothing was saved.",
    "error_busy": "The chat is not working just now. Please try again in a few minutes.",
    "error_back": "Go back to the chat",
}

WORDS: dict[str, dict[str, str]] = {"en": ENGLISH}


@dataclass(frozen=True, slots=True)
class Words:
    """Words for one language: `words["send"]`, and `words.lang_of("send")` for the lang attribute."""

    language: str

    def __getitem__(self, key: str) -> str:
        return WORDS.get(self.language, ENGLISH).get(key, ENGLISH[key])

    def lang_of(self, key: str) -> str:
        return self.language if key in WORDS.get(self.language, {}) else "en"


def words_for(language: str | None) -> Words:
    return Words(language or "en")
