"""Turn transcript turns into HTML with Jinja2, autoescaping everything (person text is never trusted)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader

from channels.webchat.symbols import SymbolImages, SymbolUrls
from channels.webchat.turns import current_ask, expand, last_language, waiting_position
from channels.webchat.words import Words, words_for

STATIC_DIR = Path(__file__).parent / "static"
STATIC_URL = "/chat/static"


@dataclass(frozen=True, slots=True)
class ChoiceView:
    value: str
    label: str
    emoji: str
    image: str | None


@dataclass(frozen=True, slots=True)
class TurnView:
    """One turn as the template needs it; built defensively because stored turns may be old."""

    number: int  # the stored turn's number
    ref: str  # unique on the page: "<turn number>-<message within it>"
    who: str  # bot | person
    kind: str  # say | ask | note | said (a person's message)
    text: str
    lang: str | None
    emoji: str = ""
    image: str | None = None
    hint: str = ""
    progress: str = ""
    progress_lang: str = "en"
    question_kind: str = ""  # choice | scale | yesno | text | number, for asks
    choices: tuple[ChoiceView, ...] = ()
    field: str = "choice"  # the form field the buttons set: "choice", or "start" for the menu
    current: bool = False  # the question waiting for an answer: its buttons are shown
    latest: bool = False  # the last bot turn: the #latest anchor


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _progress(message: dict[str, Any], words: Words) -> str:
    progress = message.get("progress")
    if isinstance(progress, list | tuple) and len(progress) == 2 and all(isinstance(n, int) for n in progress):
        return words["progress"].format(number=progress[0], total=progress[1])
    return ""


def turn_views(turns: Sequence[dict[str, Any]], symbols: SymbolUrls) -> list[TurnView]:
    """One view per message of `turns`, oldest first."""
    expanded = expand(list(turns))
    waiting = waiting_position(expanded)
    last_bot = max((i for i, (_, who, _) in enumerate(expanded) if who == "bot"), default=-1)
    views: list[TurnView] = []
    seen: dict[int, int] = {}
    for position, (number, who, message) in enumerate(expanded):
        sub = seen[number] = seen.get(number, -1) + 1
        ref = f"{number}-{sub}"
        if who == "person":
            views.append(
                TurnView(
                    number=number,
                    ref=ref,
                    who="person",
                    kind="said",
                    text=_text(message.get("text")),
                    lang=None,
                    emoji=_text(message.get("emoji")),
                )
            )
            continue
        lang = _text(message.get("language")) or None
        words = words_for(lang)
        choices = tuple(
            ChoiceView(
                value=_text(c.get("value")),
                label=_text(c.get("label")),
                emoji=_text(c.get("emoji")),
                image=symbols.url(_text(c.get("symbol")) or None),
            )
            for c in message.get("choices") or ()
            if isinstance(c, dict) and _text(c.get("value"))
        )
        kind = _text(message.get("type"))
        views.append(
            TurnView(
                number=number,
                ref=ref,
                who="bot",
                kind=kind if kind in ("say", "ask", "note") else "say",
                text=_text(message.get("text")),
                lang=lang,
                emoji=_text(message.get("emoji")),
                image=symbols.url(_text(message.get("symbol")) or None),
                hint=_text(message.get("hint")),
                progress=_progress(message, words),
                progress_lang=words.lang_of("progress"),
                question_kind=_text(message.get("kind")) if kind == "ask" else "",
                choices=choices,
                field="start" if message.get("menu") else "choice",
                current=position == waiting,
                latest=position == last_bot,
            )
        )
    return views


def compose_label_key(turns: Sequence[dict[str, Any]]) -> str:
    """What the text box is called: "Or type your answer" beside buttons, else plainer words."""
    waiting = current_ask(list(turns))
    if waiting is None:
        return "type_message"
    return "or_type" if waiting.get("choices") else "type_answer"


def _fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.exists() else "0"


class Renderer:
    def __init__(self, symbols: SymbolUrls | None = None, privacy: dict[str, str] | None = None) -> None:
        self.symbols: SymbolUrls = symbols or SymbolImages()
        self.privacy = privacy or {}
        self.env = Environment(
            loader=PackageLoader("channels.webchat", "templates"),
            autoescape=True,  # every template, whatever its name: person text is never trusted
            trim_blocks=True,
            lstrip_blocks=True,
        )
        # A content hash in static URLs lets browsers cache them for long and still see new versions.
        versions = {name: _fingerprint(STATIC_DIR / name) for name in ("chat.css", "chat.js")}
        self.env.globals["static"] = lambda name: f"{STATIC_URL}/{name}?v={versions.get(name, '0')}"
        self.env.globals["words_for"] = words_for
        # The licence of a symbol set (OpenMoji: CC BY-SA 4.0) asks for a credit wherever it is shown.
        self.env.globals["symbol_credits"] = tuple(getattr(self.symbols, "credits", tuple)())

    def page(self, turns: Sequence[dict[str, Any]], *, csrf: str, turn_no: int) -> str:
        lang = last_language(list(turns))
        words = words_for(lang)
        label_key = compose_label_key(turns)
        return self.env.get_template("chat.html").render(
            lang=lang,
            w=words,
            csrf=csrf,
            turn_no=turn_no,
            turns=turn_views(turns, self.symbols),
            label=words[label_key],
            label_lang=words.lang_of(label_key),
            privacy=self.privacy.get(lang) or self.privacy.get("en", ""),
            privacy_lang=lang if lang in self.privacy else "en",
        )

    def fragment(self, turns: Sequence[dict[str, Any]], *, new_from: int, csrf: str, turn_no: int) -> str:
        """The turns numbered `new_from` and later, as list items to append to the page's list.
        They are laid out knowing the turns before them: which question still waits, which is latest."""
        views = [v for v in turn_views(turns, self.symbols) if v.number >= new_from]
        template = self.env.get_template("turns.html")
        return template.module.turn_list(views, csrf, turn_no)  # type: ignore[attr-defined]

    def error(self, message_key: str, language: str | None = None) -> str:
        words = words_for(language)
        return self.env.get_template("error.html").render(
            lang=words.lang_of("error_title"), w=words, message=words[message_key]
        )
