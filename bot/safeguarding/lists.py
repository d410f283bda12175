"""The phrase lists in `prompts/safeguarding/<language>.yaml`, read and checked.

A list is written for a safeguarding lead to read and extend (see the comments in en.yaml). Loading
fails with a message naming the file and the rule when something is wrong: an unknown level, a pattern
that does not compile, a pattern that uses a word the spellings always replace, two rules with one id.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from bot.content.packs.yamlfile import read_yaml
from bot.safeguarding.finding import Level
from bot.safeguarding.groups import DEFAULT_WITHIN, WordGroups, stemmer_for
from bot.safeguarding.normalise import Clause, Spellings, clauses, squeeze
from bot.safeguarding.prefilter import Needs, required_text

PATTERN_FLAGS = regex.IGNORECASE | regex.VERSION1
_ID = regex.compile(r"^[a-z][a-z0-9_]{0,59}$")
_LITERAL_WORD = regex.compile(r"(?<![\\\w])[a-z]{2,}(?!\w)")
DEFAULT_WINDOW = 4


@dataclass(frozen=True, slots=True)
class Phrase:
    squeezed: tuple[str, ...]  # compared word by word
    glued: str  # the words written together, for "killmyself" and "kill my self"
    fuzzy: bool  # typos forgiven


@dataclass(frozen=True)
class Entry:
    """A rule (with a level) or a harmless idiom (level None)."""

    id: str
    language: str
    level: Level | None
    means: str  # what it shows, in a few words, for staff
    phrases: tuple[Phrase, ...]
    patterns: tuple[regex.Pattern[str], ...]
    examples: tuple[str, ...]
    together: tuple[tuple[str, ...], ...] = ()  # group names that must come in this order (groups.py)
    within: int = DEFAULT_WITHIN
    needs: tuple[Needs, ...] = ()  # for each pattern, text every match holds (prefilter.py)

    @property
    def qualified(self) -> str:
        return f"{self.language}.{self.id}"


@dataclass(frozen=True)
class LanguageList:
    language: str
    source: str
    needs_review: bool
    spellings: Spellings
    negations: frozenset[str]
    stop_words: frozenset[str]  # a negation does not reach back past these
    hedges: tuple[tuple[str, ...], ...]  # "not sure", "can not promise": these undo a negation
    window: int
    rules: tuple[Entry, ...]
    harmless: tuple[Entry, ...]
    groups: WordGroups

    def read(self, text: str | list[list[str]]) -> list[Clause]:
        return clauses(text, self.spellings)


def load_list(path: Path) -> LanguageList:
    return parse_list(read_yaml(path), str(path))


def parse_list(data: Any, source: str) -> LanguageList:
    if not isinstance(data, dict):
        raise ValueError(f"{source}: should be a mapping with language, rules and harmless")
    language = data.get("language")
    if not isinstance(language, str) or not regex.fullmatch(r"[a-z]{2,3}", language):
        raise ValueError(f"{source}: 'language' should be a code like en or cy")
    try:
        spellings = Spellings({str(k): str(v) for k, v in (data.get("spellings") or {}).items()})
    except ValueError as error:
        raise ValueError(f"{source}: {error}") from None
    negation = data.get("negation") or {}
    if not isinstance(negation, dict):
        raise ValueError(f"{source}: 'negation' should be a mapping with words, stop_words and hedges")

    def words(items: Any, what: str) -> list[tuple[str, ...]]:
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise ValueError(f"{source}: {what} should be a list of words")
        return [tuple(w for c in clauses(i, spellings) for w in c.words) for i in items]

    window = negation.get("window", DEFAULT_WINDOW)
    if not isinstance(window, int) or not 1 <= window <= 8:
        raise ValueError(f"{source}: negation window should be a whole number from 1 to 8")
    singles = words(negation.get("words", []), "negation words")
    groups = WordGroups.parse(data.get("groups"), spellings, stemmer_for(language), source)
    seen: set[str] = set()
    rules = tuple(
        _entry(raw, language, spellings, groups, source, seen, harmless=False)
        for raw in _items(data, "rules", source)
    )
    harmless = tuple(
        _entry(raw, language, spellings, groups, source, seen, harmless=True)
        for raw in _items(data, "harmless", source, required=False)
    )
    return LanguageList(
        language=language,
        source=source,
        needs_review=bool(data.get("needs_review")),
        spellings=spellings,
        # "dont" is read as "do not", so a negation word may come out as two: its last word is the negation.
        negations=frozenset(w[-1] for w in singles if w),
        stop_words=frozenset(w[0] for w in words(negation.get("stop_words", []), "stop_words") if w),
        hedges=tuple(h for h in words(negation.get("hedges", []), "hedges") if h),
        window=window,
        rules=rules,
        harmless=harmless,
        groups=groups,
    )


def _items(data: dict[str, Any], key: str, source: str, required: bool = True) -> list[dict[str, Any]]:
    items = data.get(key)
    if items is None and not required:
        return []
    if not isinstance(items, list) or not items or not all(isinstance(i, dict) for i in items):
        raise ValueError(f"{source}: '{key}' should be a list of entries, each with an id")
    return items


def _entry(
    raw: dict[str, Any], language: str, spellings: Spellings, groups: WordGroups, source: str, seen: set[str],
    *, harmless: bool,
) -> Entry:
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise ValueError(f"{source}: every entry needs an id of lower-case letters, digits and _ ({rule_id!r})")
    where = f"{source}: {rule_id}"
    if rule_id in seen:
        raise ValueError(f"{where}: this id is used twice")
    seen.add(rule_id)
    known = {"id", "means", "examples", "phrases", "exact", "patterns", "together", "within"}
    known |= set() if harmless else {"level"}
    unknown = set(raw) - known
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; use {', '.join(sorted(known))}")
    level: Level | None = None
    if not harmless:
        try:
            level = Level(str(raw.get("level")))
        except ValueError:
            level = None
        if level not in (Level.URGENT, Level.CONCERN):
            raise ValueError(f"{where}: level should be urgent or concern")
    phrases = [*_phrases(raw.get("phrases"), spellings, where, fuzzy=True),
               *_phrases(raw.get("exact"), spellings, where, fuzzy=False)]
    patterns = _patterns(raw.get("patterns"), spellings, where)
    combined = _together(raw.get("together"), groups, where)
    within = raw.get("within", DEFAULT_WITHIN)
    if not isinstance(within, int) or isinstance(within, bool) or not 0 <= within <= 20:
        raise ValueError(f"{where}: within should be a whole number of words from 0 to 20")
    if not phrases and not patterns and not combined:
        raise ValueError(f"{where}: give some phrases, exact phrases, patterns or groups together")
    examples = raw.get("examples") or []
    if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
        raise ValueError(f"{where}: examples should be a list of messages")
    needs = tuple(required_text(str(item)) for item in raw.get("patterns") or [])
    return Entry(rule_id, language, level, str(raw.get("means") or rule_id.replace("_", " ")),
                 tuple(phrases), tuple(patterns), tuple(examples), combined, within, needs)


def _together(items: Any, groups: WordGroups, where: str) -> tuple[tuple[str, ...], ...]:
    if items is None:
        return ()
    if not isinstance(items, list) or not all(
        isinstance(i, list) and i and all(isinstance(g, str) for g in i) for i in items
    ):
        raise ValueError(f"{where}: together should be a list of lists of group names, like [[soon, cut, body]]")
    for item in items:
        unknown = [g for g in item if g not in groups.names]
        if unknown:
            raise ValueError(f"{where}: together names {', '.join(unknown)}, which is not a group in 'groups'")
    return tuple(tuple(i) for i in items)


def _phrases(items: Any, spellings: Spellings, where: str, *, fuzzy: bool) -> list[Phrase]:
    if items is None:
        return []
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ValueError(f"{where}: phrases should be a list of words")
    out: list[Phrase] = []
    for item in items:
        read = clauses(item, spellings)
        if len(read) != 1:
            raise ValueError(f"{where}: phrase {item!r} should be words without sentence punctuation")
        out.append(Phrase(read[0].squeezed, squeeze("".join(read[0].squeezed)), fuzzy))
    return out


def _patterns(items: Any, spellings: Spellings, where: str) -> list[regex.Pattern[str]]:
    if items is None:
        return []
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ValueError(f"{where}: patterns should be a list of regular expressions")
    replaced = spellings.keys()
    out: list[regex.Pattern[str]] = []
    for item in items:
        try:
            compiled = regex.compile(rf"(?<!\w)(?:{item})(?!\w)", PATTERN_FLAGS)
        except regex.error as error:
            raise ValueError(f"{where}: pattern {item!r} does not compile: {error}") from None
        lost = sorted({w for w in _LITERAL_WORD.findall(item) if w in replaced})
        if lost:
            raise ValueError(
                f"{where}: pattern {item!r} uses {', '.join(lost)}, which the spellings always replace;"
                " write the replacement instead (for example 'do not' for 'dont')"
            )
        out.append(compiled)
    return out
