"""What text a pattern cannot match without: so most patterns are skipped on most clauses, safely.

    required_text(r"(took|taken) (about )?\\d+ (pills|tablets)")  -> frozenset({"ook", "aken"})

Why: every pattern used to be run on every clause, each with a timeout guard, and with 149 patterns that
was most of the time a message took. A match of the pattern above must contain "ook" or "aken", so a
clause holding neither is skipped with a substring test. The set is worked out from Python's own parse of
the pattern: literal runs, groups, alternatives (all of which must need something), and repeats of at
least one. Anything else needs nothing, and anything unclear (a syntax only the `regex` module reads,
letters outside ASCII that case folding could change) gives None: that pattern is always run.
"""

from __future__ import annotations

import re._constants as sre
import re._parser as sre_parse
from typing import Any

Needs = frozenset[str] | None  # one of these strings is in every match; None: no filter known


def required_text(source: str) -> Needs:
    try:
        parsed = sre_parse.parse(source)
    except Exception:  # any syntax Python's parser does not read (the regex module reads more): always run it
        return None
    return _sequence(list(parsed))


def _sequence(items: list[tuple[Any, Any]]) -> Needs:
    best: Needs = None
    run: list[str] = []

    def consider(found: Needs) -> None:
        nonlocal best
        if found and (best is None or _strength(found) > _strength(best)):
            best = found

    def flush() -> None:
        if run:
            text = "".join(run)
            consider(frozenset({text.lower()}) if text.isascii() else None)
            run.clear()

    for op, value in items:
        if op is sre.LITERAL:
            run.append(chr(value))
            continue
        flush()
        if op is sre.SUBPATTERN:
            consider(_sequence(list(value[-1])))
        elif op is sre.BRANCH:
            options = [_sequence(list(branch)) for branch in value[1]]
            if options and all(options):
                consider(frozenset().union(*(o for o in options if o)))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
            least, _, item = value
            if least >= 1:
                consider(_sequence(list(item)))
    flush()
    return best


def _strength(needs: frozenset[str]) -> int:
    """The shortest string decides how often a clause that cannot match still gets through."""
    return min(len(text) for text in needs)
