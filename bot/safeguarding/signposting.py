"""Where to get help (`prompts/signposting.yaml`): which signposts a person sees, and the words around them.

    signposting.choose("urgent", audience="child", open_now=False, language="en")
    -> ["If you or someone else is in danger now, call 999.", "You can call Samaritans …", …]

Chosen by level (urgent, concern, aftercare), by audience (the pack's, or "unknown" outside a pack) and by
whether the service is open now; a signpost with an empty `number` is left out.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from bot.content.packs.folding import fold
from bot.content.packs.yamlfile import SHIPPED_PROMPTS, read_yaml

AUDIENCES = ("child", "young_person", "parent_carer", "learning_disability", "unknown")
LEVELS = ("urgent", "concern", "aftercare")
WHEN = ("always", "office_hours", "out_of_hours")
FALLBACK_LANGUAGE = "en"
TEXT_KEYS = (
    "urgent_intro", "concern_intro", "aftercare_intro", "support_intro", "told_team", "callback_offer",
    "carry_on", "carry_on_no", "callback_ask", "callback_number", "callback_bad_number", "callback_done",
    "callback_no",
)
WORD_KEYS = ("support", "callback")


@dataclass(frozen=True, slots=True)
class Signpost:
    id: str
    audiences: frozenset[str]
    when: str
    levels: frozenset[str]
    number: str | None
    text: Mapping[str, str]

    def words(self, language: str) -> str:
        template = self.text.get(language) or self.text[FALLBACK_LANGUAGE]
        return template.replace("{number}", self.number or "")


@dataclass(frozen=True)
class Signposting:
    signposts: tuple[Signpost, ...]
    texts: Mapping[str, Mapping[str, str]]
    words: Mapping[str, str]  # folded whole message -> "support" | "callback"

    @classmethod
    def load(cls, path: Path) -> Signposting:
        return cls.from_data(read_yaml(path), str(path))

    @classmethod
    def from_data(cls, data: Any, source: str) -> Signposting:
        if not isinstance(data, dict):
            raise ValueError(f"{source}: should be a mapping with signposts, texts and words")
        raw = data.get("signposts")
        if not isinstance(raw, list) or not raw:
            raise ValueError(f"{source}: 'signposts' should be a list with at least the emergency number")
        signposts = tuple(_signpost(item, f"{source}: signpost {n}") for n, item in enumerate(raw, start=1))
        texts = data.get("texts") or {}
        missing = [key for key in TEXT_KEYS if not isinstance(texts.get(key), dict)
                   or not isinstance(texts[key].get(FALLBACK_LANGUAGE), str)]
        if missing:
            raise ValueError(f"{source}: texts need English words for {', '.join(missing)}")
        words: dict[str, str] = {}
        for key in WORD_KEYS:
            for items in (data.get("words") or {}).get(key, {}).values():
                words.update({fold(str(item)): key for item in items})
        return cls(signposts, {k: dict(v) for k, v in texts.items()}, words)

    def choose(self, level: str, *, audience: str | None, open_now: bool, language: str) -> list[str]:
        """The signposts' words for this situation, in list order."""
        who = audience if audience in AUDIENCES else "unknown"
        when = "office_hours" if open_now else "out_of_hours"
        return [
            s.words(language) for s in self.signposts
            if level in s.levels and ("everyone" in s.audiences or who in s.audiences)
            and s.when in ("always", when) and s.number != ""
        ]

    def one_line(self, *, audience: str | None, open_now: bool, language: str) -> str | None:
        """One line of where to get help, for the end of a check-in or a hard answer.

        The most fitting signpost of the aftercare list: one made for this audience (Childline for a
        child) before one for everyone (Samaritans for a parent).
        """
        who = audience if audience in AUDIENCES else "unknown"
        when = "office_hours" if open_now else "out_of_hours"
        fitting = [
            s for s in self.signposts
            if "aftercare" in s.levels and ("everyone" in s.audiences or who in s.audiences)
            and s.when in ("always", when) and s.number != ""
        ]
        chosen = next((s for s in fitting if "everyone" not in s.audiences), None) or next(iter(fitting), None)
        return chosen.words(language) if chosen else None

    def has(self, key: str) -> bool:
        return key in self.texts or key in _shipped_texts()

    def text(self, key: str, language: str, **values: str) -> str:
        # Texts added since a deployment wrote its own file come from the shipped one.
        by_language = self.texts.get(key) or _shipped_texts()[key]
        template = by_language.get(language) or by_language[FALLBACK_LANGUAGE]
        for name, value in values.items():
            template = template.replace("{" + name + "}", value)
        return template

    def word(self, text: str) -> str | None:
        """"support" or "callback" when the whole message asks for it."""
        return self.words.get(fold(text)) if len(text) <= 40 else None


def _signpost(item: Any, where: str) -> Signpost:
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        raise ValueError(f"{where}: needs an id and text")
    where = f"{where} ({item['id']})"
    audiences = frozenset(item.get("for") or ["everyone"])
    if not audiences <= {*AUDIENCES, "everyone"}:
        raise ValueError(f"{where}: 'for' takes {', '.join(AUDIENCES)} or everyone")
    when = item.get("when") or "always"
    if when not in WHEN:
        raise ValueError(f"{where}: 'when' is one of {', '.join(WHEN)}")
    levels = frozenset(item.get("levels") or LEVELS)
    if not levels <= set(LEVELS):
        raise ValueError(f"{where}: 'levels' take {', '.join(LEVELS)}")
    text = item.get("text")
    if not isinstance(text, dict) or not isinstance(text.get(FALLBACK_LANGUAGE), str):
        raise ValueError(f"{where}: needs text with English words")
    number = item.get("number")
    uses_number = any("number" in {f for _, f, _, _ in string.Formatter().parse(t) if f} for t in text.values())
    if uses_number and number is None:
        raise ValueError(f"{where}: the text uses {{number}}, so give a number (empty leaves it out)")
    return Signpost(item["id"], audiences, when, levels, None if number is None else str(number).strip(),
                    {str(k): str(v) for k, v in text.items()})


@cache
def _shipped_texts() -> Mapping[str, Mapping[str, str]]:
    return Signposting.load(SHIPPED_PROMPTS / "signposting.yaml").texts
