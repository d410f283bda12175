"""Risk detection in any free text: pure, fast, and never quiet about a match.

    detector = Detector.load(SHIPPED_PROMPTS)
    detector.detect("i w@nt 2 d1e")         -> Finding(urgent, [en.suicide_intent])
    detector.detect("I'm not going to hurt myself")
                                            -> Finding(concern, [en.self_harm_intent (negated)])
    detector.detect("this wait is killing me")   -> Finding(none)

Every language's list is tried on every message (a person writing in Welsh may still use English).
A phrase matches word by word in squeezed form; a word of five or more letters may have one typo (two
from nine letters) if it starts with the right letter, and a four-letter word two neighbouring letters
swapped ("wnat"), unless the phrase is listed as `exact`. Phrases
also match written together or split ("killmyself", "kill my self"). Patterns are regular expressions
over the clause's words. Word groups named `together` match by meaning: any form of any word of each
group, in order, close together (groups.py).

Then a second opinion (model.py), trained on every reviewed message, may raise the level: it reads
phrasings nobody listed. It never lowers a level, and it cannot make a negated message urgent.

A match inside a harmless idiom from the lists ("could kill for a pizza") is dropped. A negation just
before a match ("not", "never", within the list's window and not past a stop word such as "and" or
"i") softens an urgent match to concern, and a hedge earlier in the clause ("not sure", "can not
promise") undoes that. A negation never drops a match to none.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from rapidfuzz.distance import OSA

from bot.safeguarding.finding import NOTHING, SECOND_OPINION, Finding, Hit, Level
from bot.safeguarding.groups import WordGroups, together
from bot.safeguarding.lists import Entry, LanguageList, Phrase, load_list
from bot.safeguarding.model import SecondOpinion
from bot.safeguarding.normalise import Clause, split_sentences, squeeze

log = logging.getLogger("said.safeguarding")

FUZZY_FROM = 5  # letters; shorter words must be spelled right ("kil" is squeezed "kill", but "hill" is not)
SWAPPED_FROM = 4  # letters; from here two letters swapped are forgiven ("wnat" for "want", never "what")
TWO_TYPOS_FROM = 9
LONGEST_GLUE = 4  # words a phrase may be split into, or glued from
PATTERN_TIMEOUT = 0.05  # seconds; a badly written pattern must not hold up a reply
NEAR_CACHE = 50_000  # words remembered with their near phrase words; cleared when full
LONGEST_TEXT = 8000  # characters looked at; feedback is cut to 4000 before this anyway
# The second opinion reads messages of this many words or more: a word or two ("yes", "I", "3") gives a
# model of word counts nothing to go on, and the short ways of showing risk are in the lists.
OPINION_FROM_WORDS = 3


@dataclass(frozen=True, slots=True)
class _Span:
    entry: Entry
    start: int
    end: int  # exclusive, in words


class _Matcher:
    """Every phrase of a set of entries, indexed for one pass over a clause."""

    def __init__(self, entries: Sequence[Entry], groups: WordGroups, *, overlapped: bool = False) -> None:
        self.entries = entries
        self._overlapped = overlapped
        self._groups = groups
        self._combined = [entry for entry in entries if entry.together]
        self._by_first: dict[str, list[tuple[Phrase, Entry]]] = {}
        self._glued: dict[str, list[tuple[Phrase, Entry]]] = {}
        fuzzy_words: set[str] = set()
        for entry in entries:
            for phrase in entry.phrases:
                self._by_first.setdefault(phrase.squeezed[0], []).append((phrase, entry))
                if len(phrase.glued) >= FUZZY_FROM:
                    self._glued.setdefault(phrase.glued, []).append((phrase, entry))
                if phrase.fuzzy:
                    fuzzy_words.update(w for w in phrase.squeezed if len(w) >= SWAPPED_FROM)
        self._fuzzy_words = sorted(fuzzy_words)
        self._glued_prefixes = {glued[:n] for glued in self._glued for n in range(1, len(glued) + 1)}
        self._near_cache: dict[str, frozenset[str]] = {}
        self._fuzzy_by_first: dict[str, list[str]] = {}
        for word in self._fuzzy_words:
            self._fuzzy_by_first.setdefault(word[0], []).append(word)

    def _near(self, word: str) -> frozenset[str]:
        """Phrase words `word` may be a typo of (remembered: the same words come up again and again)."""
        if len(word) < SWAPPED_FROM:
            return frozenset()
        known = self._near_cache.get(word)
        if known is not None:
            return known
        found = set()
        for candidate in self._fuzzy_by_first.get(word[0], ()):
            shorter = min(len(candidate), len(word))
            if shorter < FUZZY_FROM:
                # Short words: only two neighbouring letters swapped, the commonest typo that makes no other word.
                if sorted(candidate) == sorted(word) and OSA.distance(word, candidate) == 1:
                    found.add(candidate)
                continue
            allowed = 2 if shorter >= TWO_TYPOS_FROM else 1
            if abs(len(candidate) - len(word)) <= allowed and OSA.distance(word, candidate) <= allowed:
                found.add(candidate)
        if len(self._near_cache) >= NEAR_CACHE:
            self._near_cache.clear()
        self._near_cache[word] = frozen = frozenset(found)
        return frozen

    def spans(self, clause: Clause) -> list[_Span]:
        words = clause.squeezed
        count = len(words)
        near = [self._near(w) for w in words]
        found: list[_Span] = []
        by_first = self._by_first
        for i, word in enumerate(words):
            for first in (word, *near[i]) if near[i] else (word,):
                for phrase, entry in by_first.get(first, ()):
                    want = phrase.squeezed
                    size = len(want)
                    if i + size > count:
                        continue
                    if words[i:i + size] == want or (phrase.fuzzy and all(
                        words[i + k] == w or w in near[i + k] for k, w in enumerate(want)
                    )):
                        found.append(_Span(entry, i, i + size))
        prefixes, glued_phrases = self._glued_prefixes, self._glued
        for i in range(count):
            glued = ""
            for size in range(1, min(LONGEST_GLUE, count - i) + 1):
                glued = squeeze(glued + words[i + size - 1])  # "want"+"to" reads as "wantodie" does
                if glued not in prefixes:
                    break  # no phrase glued together starts like this
                for phrase, entry in glued_phrases.get(glued, ()):
                    if size != len(phrase.squeezed):
                        found.append(_Span(entry, i, i + size))
        for text in clause.texts:
            for entry in self.entries:
                for pattern, needs in zip(entry.patterns, entry.needs, strict=True):
                    if needs is not None and not any(part in text for part in needs):
                        continue  # it cannot match without one of these (prefilter.py)
                    try:
                        matches = list(pattern.finditer(text, overlapped=self._overlapped, timeout=PATTERN_TIMEOUT))
                    except TimeoutError:
                        log.warning("safeguarding pattern in %s took too long and was skipped", entry.qualified)
                        continue
                    for match in matches:
                        start = text.count(" ", 0, match.start())
                        found.append(_Span(entry, start, start + match.group().count(" ") + 1))
        return found

    def combined_spans(self, sentence: Clause) -> list[_Span]:
        """Rules of word groups together: over a whole sentence, so a comma does not hide a meaning."""
        if not self._combined:
            return []
        positions = self._groups.positions(sentence)
        return [
            _Span(entry, start, end)
            for entry in self._combined for groups in entry.together
            for start, end in together(groups, positions, entry.within)
        ]


def _covered(span: _Span, spans: Sequence[_Span]) -> bool:
    """Whether a longer match of another rule, at least as serious, holds this one."""
    level = span.entry.level or Level.NONE
    return any(
        other.entry is not span.entry and other.start <= span.start and span.end <= other.end
        and other.end - other.start > span.end - span.start and (other.entry.level or Level.NONE).rank >= level.rank
        for other in spans
    )


def _shifted(span: _Span, offset: int) -> _Span:
    return _Span(span.entry, span.start + offset, span.end + offset)


def _joined(clauses: Sequence[Clause]) -> Clause:
    """The clauses of a sentence as one, for word groups and for the words a negation is looked for in."""
    if len(clauses) == 1:
        return clauses[0]
    doubled = tuple(w for c in clauses for w in (c.doubled or c.words))
    words = tuple(w for c in clauses for w in c.words)
    return Clause(words, tuple(w for c in clauses for w in c.squeezed), doubled if doubled != words else ())


class _Language:
    def __init__(self, lists: LanguageList) -> None:
        self.lists = lists
        self.rules = _Matcher(lists.rules, lists.groups)
        # Idioms overlap ("the nurse told us about first aid for bleeding and overdoses"): every one counts.
        self.harmless = _Matcher(lists.harmless, lists.groups, overlapped=True)

    def hits(self, sentences: list[list[list[str]]]) -> Iterable[Hit]:
        for raw in sentences:
            clauses = self.lists.read(raw)
            if not clauses:
                continue
            starts = list(accumulate((len(c.words) for c in clauses[:-1]), initial=0))
            rules: list[_Span] = []
            idioms: list[_Span] = []
            for clause, offset in zip(clauses, starts, strict=True):
                rules.extend(_shifted(span, offset) for span in self.rules.spans(clause))
                idioms.extend(_shifted(span, offset) for span in self.harmless.spans(clause))
            sentence = _joined(clauses)
            rules.extend(self.rules.combined_spans(sentence))
            idioms.extend(self.harmless.combined_spans(sentence))
            spans = [span for span in rules if not any(i.start <= span.start and span.end <= i.end for i in idioms)]
            for span in spans:
                if _covered(span, spans):
                    continue  # "kill" inside "kill myself": staff see the rule that says more
                level = span.entry.level
                assert level is not None  # rules always have one; harmless entries are matched apart
                # A negation reaches back within the clause the match starts in, never past a comma.
                begins = max(start for start in starts if start <= span.start)
                negated = self._negated(sentence.words[begins:], span.start - begins)
                if negated and level is Level.URGENT:
                    level = Level.CONCERN
                yield Hit(span.entry.qualified, level, negated)

    def _negated(self, words: Sequence[str], start: int) -> bool:
        lists = self.lists
        negated = False
        for i in range(start - 1, max(-1, start - 1 - lists.window), -1):
            if words[i] in lists.stop_words:
                break
            if words[i] in lists.negations:
                negated = True
                break
        if not negated:
            return False
        before = words[:start]
        return not any(
            tuple(before[i:i + len(hedge)]) == hedge for hedge in lists.hedges for i in range(len(before))
        )


class Detector:
    def __init__(self, lists: Sequence[LanguageList], opinion: SecondOpinion | None = None) -> None:
        self.lists = tuple(lists)
        self.opinion = opinion
        self._languages = [_Language(each) for each in lists]
        self._means = {e.qualified: e.means for each in lists for e in each.rules}
        if opinion is not None:
            self._means |= SECOND_OPINION_MEANS

    @classmethod
    def load(cls, folders: Sequence[Path]) -> Detector:
        """Every `*.yaml` in `<folder>/safeguarding/`; a later folder's file replaces one of the same name.

        The second opinion is the last folder's `safeguarding/model.json`, if any folder has one."""
        files: dict[str, Path] = {}
        model: Path | None = None
        for folder in folders:
            directory = Path(folder) / "safeguarding"
            if directory.is_dir():
                files.update({p.name: p for p in sorted(directory.glob("*.yaml"))})
                if (directory / "model.json").is_file():
                    model = directory / "model.json"
        if not files:
            raise ValueError(f"no safeguarding lists found under {', '.join(str(f) for f in folders)}")
        opinion = SecondOpinion.load(model) if model is not None else None
        return cls([load_list(path) for _, path in sorted(files.items())], opinion)

    def detect(self, text: str) -> Finding:
        """The level of risk `text` shows and the rules that matched. Never raises for any text."""
        if not text or not text.strip():
            return NOTHING
        sentences = split_sentences(text[:LONGEST_TEXT])  # the same for every language; spellings differ
        hits = [hit for language in self._languages for hit in language.hits(sentences)]
        words = sum(len(clause) for sentence in sentences for clause in sentence)
        if self.opinion is not None and words >= OPINION_FROM_WORDS:
            second = self.opinion.read(text, [clause for sentence in sentences for clause in sentence])
            softened = any(h.negated for h in hits) and all(h.level is not Level.URGENT for h in hits)
            if second is Level.URGENT and softened:
                # "I would never hurt myself": the lists read the negation; a model of word counts cannot.
                second = Level.CONCERN
            if second.rank > max((h.level.rank for h in hits), default=0):  # it speaks only to raise the level
                hits.append(Hit(f"{SECOND_OPINION}{second.value}", second))
        if not hits:
            return NOTHING
        level = max((h.level for h in hits), key=lambda lv: lv.rank)
        return Finding(level, tuple(dict.fromkeys(hits)))

    def means(self, rule_label: str) -> str:
        """What a rule shows, in a few words, for the console ("wants to end their life")."""
        return self._means.get(rule_label.removesuffix(" (negated)"), rule_label)

    def rule_ids(self) -> list[str]:
        return list(self._means)


SECOND_OPINION_MEANS = {
    f"{SECOND_OPINION}urgent": "reads like messages reviewers marked urgent (the statistical second opinion)",
    f"{SECOND_OPINION}concern": "reads like messages reviewers marked as a concern (the statistical second opinion)",
}
