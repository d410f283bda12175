"""Neutral messages as words to speak, and which key means what: the choice is named before its key.

    How was our service?  For Good, press 1.  For OK, press 2.  For Poor, press 3.
    To hear this again, press 9.  To skip this question, press 0.

On the phone a listener holds every choice in mind before pressing, so no prompt names more than three:
a question with more (the menu, a five-point scale) is read three choices at a time, with "For more
choices, press 8". Keys 9 (repeat) and 0 (skip) mean the same on every question; free-text questions
take speech only, number questions take the keypad and the hash key.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.messages import Ask, Reply, Say
from channels.twilio_voice.words import VoiceWords

PAGE_SIZE = 3  # choices read out at once on the phone
KEY_MORE, KEY_REPEAT, KEY_SKIP = "8", "9", "0"
# Questions the engine asks around a pack (bot/engine/asks.py): there is nothing to skip in them.
SIDE_QUESTIONS = frozenset({"consent", "menu", "language", "forget", "confirm"})
MAX_HINTS = 40  # Twilio reads at most a few hundred hint words; the labels are far fewer


@dataclass(frozen=True)
class Prompt:
    """How one question is spoken and answered on the phone."""

    lines: tuple[str, ...]  # sentences, read with a pause between each
    values: tuple[str, ...]  # the choice value behind key 1, 2, 3 on this page
    page: int
    pages: int
    speech_only: bool  # free text: no keypad
    number: bool  # digits then the hash key
    skippable: bool
    hints: str  # words the speech recogniser should expect

    @property
    def input(self) -> str:
        return "speech" if self.speech_only else "dtmf speech"


def pages_of(ask: Ask) -> int:
    if ask.kind in ("text", "number") or not ask.choices:
        return 1
    return (len(ask.choices) + PAGE_SIZE - 1) // PAGE_SIZE


def prompt_for(ask: Ask, words: VoiceWords, page: int = 0, *, mention_speech: bool = False) -> Prompt:
    lang = ask.language
    pages = pages_of(ask)
    page = page % pages
    skippable = ask.question_id not in SIDE_QUESTIONS
    lines: list[str] = []
    if ask.progress and skippable:
        number, total = ask.progress
        lines.append(words.get("progress", lang, number=number, total=total))
    lines.append(ask.text)
    values: tuple[str, ...] = ()
    if ask.kind == "text":
        lines.append(words.get("say_answer", lang))
        lines.append(words.get("say_repeat", lang))
        if skippable:
            lines.append(words.get("say_skip", lang))
    elif ask.kind == "number":
        lines.append(words.get("number_keys", lang))
        if skippable:
            lines.append(words.get("say_skip", lang))
    else:
        shown = ask.choices[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        values = tuple(choice.value for choice in shown)
        # The menu names what each choice does: "To tell us about our service, press 1".
        pattern = "menu_key" if ask.question_id == "menu" else "choice_key"
        for key, choice in enumerate(shown, start=1):
            lines.append(words.get(pattern, lang, label=choice.label, key=key))
        if pages > 1:
            lines.append(words.get("more_choices", lang))
        if mention_speech:
            lines.append(words.get("or_say", lang))
        lines.append(words.get("repeat_key", lang))
        if skippable:
            lines.append(words.get("skip_key", lang))
    labels = [choice.label for choice in ask.choices][:MAX_HINTS]
    hints = ", ".join([*labels, words.get("hint_commands", lang)])
    return Prompt(
        lines=tuple(lines),
        values=values,
        page=page,
        pages=pages,
        speech_only=ask.kind == "text",
        number=ask.kind == "number",
        skippable=skippable,
        hints=hints,
    )


def speak(reply: Reply, words: VoiceWords | None = None) -> list[str]:
    """What a caller hears for `reply`, one sentence group per message (the first page of choices)."""
    words = words or VoiceWords.shipped()
    out: list[str] = []
    for message in reply.messages:
        if isinstance(message, Say):
            out.append(message.text)
        elif isinstance(message, Ask):
            out.extend(prompt_for(message, words).lines)
    return out


def preview_voice(reply: Reply) -> str:
    """`said chat --as voice`: the words a caller would hear, one line each."""
    return "\n".join(f"(voice) {line}" for line in speak(reply))
