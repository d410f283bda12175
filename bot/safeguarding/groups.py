"""Word groups: rules that say "these kinds of words together", so a list need not spell out every sentence.

    groups:
      soon: [going to, want to, about to, tonight]
      cut: [cut, slit, slash]
      body: [myself, my wrist, my arm]
    rules:
      - id: self_harm_plan
        level: urgent
        together:
          - [soon, cut, body]      # "going to cut my wrists", "tonight I will slit my arms"

Why: phrase lists catch the sentences someone thought of; held-out messages showed that people mostly
write the same few meanings in words nobody listed ("going to cut my wrists" against a list that had
"going to cut myself"). Groups let the safeguarding lead list the words once and the meanings once.

A group word matches every form the language's stemmer gives it ("cut" matches cuts and cutting, "wrist"
matches wrists); a word of five or more letters also with one typo if the first letter is right; and a
word ending in `*` matches any word that starts so ("zabi*"), for languages without a stemmer or for
forms the stemmer does not join. Groups in `together` must come in the order given, in one sentence,
with at most `within` other words between one and the next (4 unless the rule says).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache

import snowballstemmer
from rapidfuzz.distance import OSA

from bot.safeguarding.normalise import Clause, Spellings, clauses, squeeze

DEFAULT_WITHIN = 4  # other words allowed between one group's words and the next group's
FUZZY_FROM = 5  # letters of a stem; as the phrase matcher, shorter words must be spelled right
# Languages with a Snowball stemmer we use; a language not here is matched on whole words and `*` prefixes.
STEMMERS = {"en": "english", "pl": "polish"}

Stem = Callable[[str], str]
_Token = tuple[str, bool]  # (squeezed stem, or the prefix before "*"; whether it is a prefix)
Span = tuple[int, int]  # start and end (exclusive), in words


def stemmer_for(language: str) -> Stem:
    name = STEMMERS.get(language)
    if name is None:
        return _plain
    algorithm = snowballstemmer.stemmer(name)

    @lru_cache(maxsize=65536)
    def stem(word: str) -> str:
        return squeeze(algorithm.stemWord(word))

    return stem


def _plain(word: str) -> str:
    return squeeze(word)


class _Node:
    """One step of the group words' trie: the next word's stem leads on; `ends` are groups whose item ends here."""

    __slots__ = ("ends", "next", "prefixes")

    def __init__(self) -> None:
        self.next: dict[str, _Node] = {}
        self.prefixes: dict[str, list[tuple[str, str]]] = {}  # by first letter: (prefix, group)
        self.ends: list[str] = []


class WordGroups:
    """A language's groups in a trie of stems, so one pass over a sentence finds where each group's words are."""

    def __init__(self, items: Mapping[str, Sequence[Sequence[_Token]]], stem: Stem) -> None:
        self.names = frozenset(items)
        self._stem = stem
        self._root = _Node()
        fuzzy: set[str] = set()
        for group, entries in items.items():
            for tokens in entries:
                node = self._root
                *leading, (last, prefix) = tokens
                for text, _ in leading:  # only the last word of an item may end in *
                    node = node.next.setdefault(text, _Node())
                if prefix:
                    node.prefixes.setdefault(last[0], []).append((last, group))
                else:
                    node = node.next.setdefault(last, _Node())
                    if group not in node.ends:
                        node.ends.append(group)
                fuzzy.update(t for t, p in tokens if not p and len(t) >= FUZZY_FROM)
        self._fuzzy_by_first: dict[str, list[str]] = {}
        for word in sorted(fuzzy):
            self._fuzzy_by_first.setdefault(word[0], []).append(word)
        self._near_cache: dict[str, frozenset[str]] = {}

    @classmethod
    def parse(cls, raw: object, spellings: Spellings, stem: Stem, source: str) -> WordGroups:
        if raw is None:
            return cls({}, stem)
        if not isinstance(raw, dict):
            raise ValueError(f"{source}: 'groups' should map a group name to a list of words")
        items: dict[str, list[list[_Token]]] = {}
        for name, words in raw.items():
            if not isinstance(name, str) or not name.replace("_", "").isalnum() or not name.islower():
                raise ValueError(f"{source}: group name {name!r} should be lower-case letters, digits and _")
            # A number is a word too ("took 30"): YAML reads a bare 30 as a number, so it is taken as written.
            if not isinstance(words, list) or not words or not all(
                isinstance(w, str | int) and not isinstance(w, bool) for w in words
            ):
                raise ValueError(f"{source}: group {name} should be a list of words")
            items[name] = [_tokens(str(w), spellings, stem, f"{source}: group {name}") for w in words]
        return cls(items, stem)

    def _near(self, stem: str) -> frozenset[str]:
        """Group stems `stem` may be a typo of (remembered: the same words come up again and again)."""
        known = self._near_cache.get(stem)
        if known is not None:
            return known
        found = frozenset(
            word for word in self._fuzzy_by_first.get(stem[:1], ())
            if len(stem) >= FUZZY_FROM and abs(len(word) - len(stem)) <= 1 and OSA.distance(word, stem) <= 1
        )
        if len(self._near_cache) >= 50_000:
            self._near_cache.clear()
        self._near_cache[stem] = found
        return found

    def positions(self, clause: Clause) -> dict[str, list[Span]]:
        """Where each group's words are in the sentence."""
        if not self.names:
            return {}
        squeezed = clause.squeezed
        stems = [self._stem(w) for w in clause.words]
        keys = [(stem, *self._near(stem)) for stem in stems]  # the word, and group words it may be a typo of
        found: dict[str, set[Span]] = {}
        for i in range(len(stems)):
            frontier = [self._root]
            k = i
            while frontier and k < len(stems):
                word = squeezed[k]
                following: list[_Node] = []
                for node in frontier:
                    for prefix, group in node.prefixes.get(word[:1], ()):
                        if word.startswith(prefix):
                            found.setdefault(group, set()).add((i, k + 1))
                    for key in keys[k]:
                        child = node.next.get(key)
                        if child is not None:
                            for group in child.ends:
                                found.setdefault(group, set()).add((i, k + 1))
                            following.append(child)
                frontier = following
                k += 1
        return {group: sorted(spans) for group, spans in found.items()}


def together(groups: Sequence[str], positions: Mapping[str, Sequence[Span]], within: int) -> list[Span]:
    """Spans where `groups` come in order, not overlapping, at most `within` words apart: one a start at most."""
    if not all(g in positions for g in groups):
        return []
    found: list[Span] = []

    def extend(k: int, start: int, end: int) -> int | None:
        if k == len(groups):
            return end
        for s, e in positions[groups[k]]:
            if end <= s <= end + within:
                done = extend(k + 1, start, e)
                if done is not None:
                    return done
        return None

    for start, end in positions[groups[0]]:
        done = extend(1, start, end)
        if done is not None:
            found.append((start, done))
    return found


def _tokens(text: str, spellings: Spellings, stem: Stem, where: str) -> list[_Token]:
    prefix = text.endswith("*")
    read = clauses(text.removesuffix("*"), spellings)
    if len(read) != 1 or (prefix and len(read[0].words[-1]) < 3):
        raise ValueError(f"{where}: {text!r} should be words without punctuation (a '*' after 3 letters or more)")
    words = read[0].words
    tokens: list[_Token] = [(stem(w), False) for w in words[:-1]]
    tokens.append((squeeze(words[-1]), True) if prefix else (stem(words[-1]), False))
    return tokens
