"""Picture files for symbols, when we have them; otherwise the page shows the symbol's emoji.

Pictures are files `NAME.svg` (or `.png`) in one folder, NAME being the symbol name used in question
packs, served under `/chat/symbols/`. The folder is read once at start-up, so a page never touches the
disk to find a picture. No folder: every symbol shows as its emoji.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Protocol

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_SUFFIXES = (".svg", ".png")


class SymbolUrls(Protocol):
    """Anything that gives a symbol's picture URL; the app passes its OpenMoji-backed pictures."""

    def url(self, symbol: str | None) -> str | None: ...


class SymbolImages:
    def __init__(self, directory: Path | None = None, url_prefix: str = "/chat/symbols") -> None:
        self._urls: dict[str, str] = {}
        if directory is not None and directory.is_dir():
            for path in sorted(directory.iterdir()):
                if path.suffix in _SUFFIXES and _NAME.match(path.stem) and path.stem not in self._urls:
                    self._urls[path.stem] = f"{url_prefix}/{path.name}"

    def url(self, symbol: str | None) -> str | None:
        """The picture's URL for a symbol name, or None when there is no picture for it."""
        return self._urls.get(symbol) if symbol else None
