"""`symbol` (error): the pack, every question and every choice names a symbol that exists.

    - id: overall
      symbol: smiley        -> "smiley" is not in prompts/symbols/symbols.yaml

People who read little find their way by the pictures, so a missing picture is a missing word.
"""

from __future__ import annotations

import difflib

from bot.content.easyread.findings import ERROR, Located, Problem
from bot.content.packs.model import Pack
from bot.content.packs.symbols import Symbols


def check(pack: Pack, symbols: Symbols) -> list[Located]:
    named: list[tuple[tuple[str | int, ...], str, str]] = [(("symbol",), "pack", pack.symbol)]
    for q_index, question in enumerate(pack.questions):
        named.append((("questions", q_index, "symbol"), f"question '{question.id}'", question.symbol))
        named.extend(
            (
                ("questions", q_index, "choices", c_index, "symbol"),
                f"question '{question.id}' choice '{choice.value}'",
                choice.symbol,
            )
            for c_index, choice in enumerate(question.choices)
        )
    known = symbols.names()
    found: list[Located] = []
    for location, place, name in named:
        if symbols.get(name) is not None:
            continue
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        advice = (
            f"did you mean '{close[0]}'?" if close else "use a name from prompts/symbols/symbols.yaml, or add one there"
        )
        found.append(Located(location, place, Problem("symbol", ERROR, f"'{name}' is not a symbol we have", advice)))
    return found
