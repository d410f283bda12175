"""Symbols (`prompts/symbols/symbols.yaml`): a name, the emoji shown in text channels, and the OpenMoji
picture the web chat shows.

    happy: {emoji: "😀", openmoji: 1F600}
    clinic: {emoji: "🏥", openmoji: 1F3E5, image: clinic.svg}   # a picture of our own, in prompts/symbols/

A deployment's file is laid over the shipped one, so it can add or change symbols one by one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.packs.folding import fold
from bot.packs.yamlfile import SHIPPED_PROMPTS, merged, read_yaml

_HEXCODE = re.compile(r"^[0-9A-F]{4,6}(-[0-9A-F]{4,6})*$")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class Symbol:
    name: str
    emoji: str
    openmoji: str  # OpenMoji file name without .svg, e.g. "1F600"
    image: str | None = None  # our own picture in prompts/symbols/, used instead of OpenMoji


@dataclass(frozen=True)
class Symbols:
    symbols: Mapping[str, Symbol]

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
        for name, entry in data.items():
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
            symbols[name] = Symbol(name, entry["emoji"], hexcode, str(image) if image else None)
        if problems:
            raise ValueError(f"{source}: " + f"\n{source}: ".join(problems))
        return cls(symbols)

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
