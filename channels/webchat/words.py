"""The web chat's own words (page furniture, notes), in easy-read English and Welsh.

Bot messages come from the engine in the person's language; these surround them, in the same language.
A language missing here falls back to English, and the page marks that text `lang="en"` so screen
readers read it right.
"""

from __future__ import annotations

from dataclasses import dataclass

ENGLISH: dict[str, str] = {
    "page_title": "Chat with us",
    "heading": "Tell us what you think",
    "welcome": "Hello! This chat asks you a few short questions.",
    "expired": "Your last chat had ended, so this is a new one.",
    "too_long": "Your message was very long, so we kept the first 2,000 letters.",
    "empty": "Type a message or tap a button. Then press Send.",
    "moved_on": "This chat had moved on, so we did not send that. Please answer the question below.",
    "failed": "Sorry, something went wrong on our side. Please send that again.",
    "menu_later": "When you are ready, type MENU to answer more questions.",
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
    # The privacy sentence itself comes from prompts/channels.yaml (`privacy: web`), passed in by the
    # wiring, so the footer says exactly what the intro and HELP say.
    "footer": "Type HELP for help. Type FORGET ME to forget this chat. Type STOP to stop.",
    "you_said_we_did": "See what we did about what people said",
    "error_title": "Sorry, that did not work",
    "error_csrf": "We could not send that. This can happen if the chat was open in another window. Nothing was saved.",
    "error_form": "We could not read that message. Nothing was saved.",
    "error_too_big": "That message was too long for us. Nothing was saved.",
    "error_busy": "The chat is not working just now. Please try again in a few minutes.",
    "error_back": "Go back to the chat",
}

# Welsh: waiting for a native speaker's review, like the packs (needs_review: [cy]).
WELSH: dict[str, str] = {
    "page_title": "Sgwrsiwch gyda ni",
    "heading": "Dywedwch wrthym beth yw eich barn",
    "welcome": "Helo! Mae'r sgwrs hon yn gofyn ychydig o gwestiynau byr.",
    "expired": "Roedd eich sgwrs ddiwethaf wedi dod i ben, felly dyma un newydd.",
    "too_long": "Roedd eich neges yn hir iawn, felly rydym wedi cadw'r 2,000 llythyren gyntaf.",
    "empty": "Teipiwch neges neu tapiwch fotwm. Yna pwyswch Anfon.",
    "moved_on": "Roedd y sgwrs wedi symud ymlaen, felly ni wnaethom anfon hynny. Atebwch y cwestiwn isod.",
    "failed": "Mae'n ddrwg gennym, aeth rhywbeth o'i le. Anfonwch hynny eto.",
    "menu_later": "Pan fyddwch yn barod, teipiwch DEWISLEN i ateb mwy o gwestiynau.",
    "progress": "Cwestiwn {number} o {total}",
    "or_type": "Neu teipiwch eich ateb",
    "type_answer": "Teipiwch eich ateb",
    "type_message": "Teipiwch neges",
    "max_letters": "Gallwch deipio hyd at 2,000 llythyren.",
    "send": "Anfon",
    "skip": "Ewch i'r blwch ateb",
    "new_chat": "Dechrau sgwrs newydd",
    "we_said": "Dywedon ni:",
    "you_said": "Dywedoch chi:",
    "conversation": "Ein sgwrs",
    "footer": "Teipiwch HELPU am help. Teipiwch ANGHOFIO FI i anghofio'r sgwrs hon. Teipiwch STOPIO i stopio.",
    "you_said_we_did": "Gweld beth wnaethom am yr hyn a ddywedodd pobl",
    "error_title": "Mae'n ddrwg gennym, ni weithiodd hynny",
    "error_csrf": (
        "Ni allem anfon hynny. Gall hyn ddigwydd os oedd y sgwrs ar agor mewn ffenestr arall. Ni chadwyd dim."
    ),
    "error_form": "Ni allem ddarllen y neges honno. Ni chadwyd dim.",
    "error_too_big": "Roedd y neges honno yn rhy hir i ni. Ni chadwyd dim.",
    "error_busy": "Nid yw'r sgwrs yn gweithio ar hyn o bryd. Rhowch gynnig arall arni mewn ychydig funudau.",
    "error_back": "Yn ôl i'r sgwrs",
}

WORDS: dict[str, dict[str, str]] = {"en": ENGLISH, "cy": WELSH}

# Said in Welsh on the first screen, whatever its language, so a Welsh speaker sees the way in at once.
OFFER_WELSH = "I sgwrsio yn Gymraeg, teipiwch CYMRAEG."


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
