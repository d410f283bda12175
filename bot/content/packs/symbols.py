"""Symbols (`prompts/symbols/symbols.yaml`): a name, the emoji shown in text channels, and the picture
Telegram, the web chat and the staff pages show: an OpenMoji by its hexcode, or a file of our own.

    happy: {emoji: "😀", openmoji: 1F600}
    clinic: {emoji: "🏥", openmoji: 1F3E5, image: clinic.svg}   # a picture of our own, in prompts/symbols/
    _credit: {name: Our symbols, url: "https://example.org/symbols", licence: CC BY 4.0,
              licence_url: "https://creativecommons.org/licenses/by/4.0/"}

A deployment's file is laid over the shipped one, so it can add or change symbols one by one. `_credit`
(not a symbol: names never start with _) is the attribution its own pictures' licence asks for.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from bot.content.packs.folding import fold
from bot.content.packs.yamlfile import SHIPPED_PROMPTS, merged, read_yaml

_HEXCODE = re.compile(r"^[0-9A-F]{4,6}(-[0-9A-F]{4,6})*$")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
IMAGE_SUFFIXES = (".svg", ".png")
CREDIT_KEY = "_credit"
_CREDIT_FIELDS = ("name", "url", "licence", "licence_url")


@dataclass(frozen=True)
class Symbol:
    name: str
    emoji: str
    openmoji: str  # OpenMoji file name without .svg, e.g. "1F600"
    image: str | None = None  # our own picture in prompts/symbols/, used instead of OpenMoji


@dataclass(frozen=True)
class Credit:
    """Whose pictures these are and under which licence, as the licence asks us to show."""

    name: str
    url: str
    licence: str
    licence_url: str

    @property
    def text(self) -> str:
        return f"Symbols: {self.name}, {self.licence}"


@dataclass(frozen=True)
class Symbols:
    symbols: Mapping[str, Symbol]
    credit: Credit | None = None  # for the deployment's own pictures; OpenMoji's is in bot.content.symbols

    @classmethod
    def load(cls, directory: Path) -> Symbols:
        shipped = SHIPPED_PROMPTS / "symbols" / "symbols.yaml"
        data = read_yaml(shipped)
        local = Path(directory) / "symbols" / "symbols.yaml"
        if local.exists() and local.resolve() != shipped:
            return cls.from_data(merged(data, read_yaml(local)), str(local))
        return cls.from_data(data, str(shipped))

    @classmethod
    def from_data(cls, data: Any, source: str = "symbols.yaml") -> Symbols:
        if not isinstance(data, dict):
            raise ValueError(f"{source}: should map symbol names to an emoji and an openmoji code")
        problems: list[str] = []
        symbols: dict[str, Symbol] = {}
        credit = None
        for name, entry in data.items():
            if name == CREDIT_KEY:
                credit = _credit(entry, problems)
                continue
            if not isinstance(name, str) or not _NAME.match(name):
                problems.append(f"'{name}' is not a symbol name; use lower-case letters, digits and _")
                continue
            if not isinstance(entry, dict) or not isinstance(entry.get("emoji"), str) or not entry["emoji"]:
                problems.append(f"{name}: needs an emoji, like  {name}: {{emoji: \"😀\", openmoji: 1F600}}")
                continue
            hexcode = str(entry.get("openmoji", "")).upper()
            if not _HEXCODE.match(hexcode):
                problems.append(f"{name}: openmoji '{hexcode}' should be a code like 1F600")
                continue
            unknown = set(entry) - {"emoji", "openmoji", "image"}
            if unknown:
                keys = ", ".join(sorted(unknown))
                problems.append(f"{name}: unknown keys {keys}; use emoji, openmoji or image")
                continue
            image = entry.get("image")
            if image is not None and (problem := _image_problem(image)) is not None:
                problems.append(f"{name}: {problem}")
                continue
            symbols[name] = Symbol(name, entry["emoji"], hexcode, str(image) if image else None)
        if problems:
            raise ValueError(f"{source}: " + f"\n{source}: ".join(problems))
        return cls(symbols, credit)

    def get(self, name: str | None) -> Symbol | None:
        return self.symbols.get(name) if name else None

    def emoji(self, name: str | None) -> str:
        """The emoji for a symbol name; empty for an unknown one, so a missing symbol never breaks a reply."""
        symbol = self.get(name)
        return symbol.emoji if symbol else ""

    def names(self) -> list[str]:
        return list(self.symbols)

    def by_emoji(self, text: str) -> str | None:
        """The symbol name whose emoji is the whole of `text` (skin tones and variation marks ignored)."""
        folded = fold(text)
        return next((s.name for s in self.symbols.values() if fold(s.emoji) == folded and folded), None)


def _image_problem(image: object) -> str | None:
    """Why `image` cannot name a picture file inside the symbols folder, or None when it can."""
    if not isinstance(image, str) or not image.strip() or any(ord(ch) < 32 for ch in image):
        return "image should be a file name such as clinic.svg"
    path = PurePosixPath(image.replace("\\", "/"))
    # Only files inside the symbols folder: the web server hands these out, so no path may lead elsewhere.
    if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", image):
        return f"image '{image}' should be a path inside the symbols folder, like clinic.svg or aac/clinic.png"
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        return f"image '{image}' should be an .svg or .png file"
    return None


def _credit(entry: object, problems: list[str]) -> Credit | None:
    if not isinstance(entry, dict) or set(entry) != set(_CREDIT_FIELDS) or not all(
        isinstance(entry[k], str) and entry[k].strip() for k in _CREDIT_FIELDS
    ):
        problems.append(f"{CREDIT_KEY}: needs exactly name, url, licence and licence_url, each some words")
        return None
    for key in ("url", "licence_url"):
        if not entry[key].startswith(("https://", "http://")):
            problems.append(f"{CREDIT_KEY}: {key} should start with https://")
            return None
    return Credit(*(entry[k].strip() for k in _CREDIT_FIELDS))
