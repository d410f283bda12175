"""Shared meanings (`prompts/meanings/`): what people's words for an answer mean, loaded once at start-up.

`meanings.yaml` says how meanings stand to each other (and their emoji); `en.yaml`, `cy.yaml` … list the
words for each meaning in one language, with the spellings, fillers, intensifiers and negations of that
language. Every language is merged into one table: a reply is read in whatever language it comes in.
A deployment can add its own `meanings/*.yaml` in SAID_PROMPTS_DIR; its words are added to the shipped ones.

Everything is stored as tuples of folded words (`normalise`), so matching is a dictionary look-up.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from bot.content.packs.folding import fold
from bot.content.packs.yamlfile import SHIPPED_PROMPTS, read_yaml

Words = tuple[str, ...]
_APOSTROPHES = re.compile(r"[\u0027\u2018\u2019\u02bc\u0060\u00b4]")
_RUNS = re.compile(r"(\w)\1{2,}")  # "sooo" -> "soo", "goooood" -> "good"
_GUESS = "?"  # a phrase ending so is only a guess: asked back before it is stored
LONGEST_SPELLING = 5  # words
ANSWERS_YES_OR_NO = frozenset({"yes", "no", "echo_yes", "echo_no"})


@dataclass(frozen=True)
class Meaning:
    id: str
    also: Words = ()  # stored without asking when the question lacks this meaning
    near: Words = ()  # asked back first
    negated: str | None = None  # what "not" + this meaning comes to (always asked back)
    stronger: str | None = None  # what "really" + this meaning comes to
    weak: bool = False  # counts only when nothing else in the reply has a meaning


@dataclass(frozen=True)
class Hit:
    meaning: str
    sure: bool


@dataclass(frozen=True)
class Meanings:
    meanings: Mapping[str, Meaning]
    phrases: Mapping[Words, tuple[Hit, ...]]  # folded words -> what they mean
    spellings: Mapping[Words, Words]
    fillers: frozenset[Words]
    stronger: frozenset[str]
    negations: frozenset[str]
    ordinals: Mapping[Words, int]  # -1 is "the last one"
    greetings: frozenset[Words]
    small_talk: frozenset[Words]
    # Words that ask for something to do without naming it ("can i do the survey", "what can i do here"):
    # at the menu, a reply of only these (and a pack's names) is not a message for a person.
    menu_requests: frozenset[str] = field(default_factory=frozenset)
    # Words beside a number that say it is someone's age ("shes 8", "aged 6", "8 oed"), not a pick from a list.
    ages: frozenset[str] = field(default_factory=frozenset)
    # Words that ask for help or say a person cannot go on ("help", "cant cope"): never read as an answer
    # when the second opinion has flagged the message (bot/engine/answer_gate.py).
    asks_for_help: frozenset[Words] = field(default_factory=frozenset)
    # At the invitation only: yes on a condition ("if its quick"), no with a reason ("kids in bed", "busy")
    # A chat opened in answer to our text, or with a sorry ("got ur text", "sorry for the late reply"): at the
    # menu it counts as a greeting; kept apart so the answer gate (bot/engine/answer_gate.py) sets aside only
    # a plain greeting, never these.
    openers: frozenset[Words] = field(default_factory=frozenset)
    consent_yes: frozenset[Words] = field(default_factory=frozenset)
    consent_no: frozenset[Words] = field(default_factory=frozenset)
    # At the menu, more than one pack at once ("both", "all of them", "y dau"): the menu, asked which first,
    # never pack 2 for "y dau" (the two).
    several: frozenset[Words] = field(default_factory=frozenset)
    # A reply that declines to answer ("prefer not to say", "no comment"): never read as an answer, least of all
    # as the "no" in it. The person is told how to answer, and offered SKIP.
    declines: frozenset[Words] = field(default_factory=frozenset)
    known: frozenset[str] = field(default_factory=frozenset)  # every word in every list, for repeated letters
    # Every word in the Welsh lists: a Welsh word we do not know may be a mutated one we do ("gewch" is "cewch",
    # "chewch" "cewch", "allwch" "gallwch"); it is read as its radical only when that is a Welsh word here.
    welsh: frozenset[str] = field(default_factory=frozenset)
    longest: int = 1  # words in the longest phrase
    longest_greeting: int = 1  # words in the longest greeting or opener ("sorry for the late reply")

    def normalise(self, text: str) -> Words:
        """Folded words with people's spellings made usual: "Dont no tbh!!" -> ("dont", "know", "tbh")."""
        words = fold(_APOSTROPHES.sub("", text)).split()
        words = [self._usual(word) for word in words]
        out: list[str] = []
        i = 0
        while i < len(words):
            for size in range(min(LONGEST_SPELLING, len(words) - i), 0, -1):
                replacement = self.spellings.get(tuple(words[i:i + size]))
                if replacement is not None:
                    out.extend(replacement)
                    i += size
                    break
            else:
                out.append(words[i])
                i += 1
        return tuple(out)

    def _usual(self, word: str) -> str:
        if word in self.known or len(word) < 3:
            return word
        twice = _RUNS.sub(r"\1\1", word)
        if twice in self.known:
            return twice
        once = re.sub(r"(\w)\1+", r"\1", word)
        if once in self.known:
            return once
        for radical in radicals(word):
            if radical in self.welsh:
                return radical
        return twice

    def find(self, words: Words) -> list[tuple[int, int, tuple[Hit, ...]]]:
        """Every meaning phrase in `words`, longest first, as (start, end, hits); no two overlap."""
        found: list[tuple[int, int, tuple[Hit, ...]]] = []
        i = 0
        while i < len(words):
            for size in range(min(self.longest, len(words) - i), 0, -1):
                hits = self.phrases.get(words[i:i + size])
                if hits is not None:
                    found.append((i, i + size, hits))
                    i += size
                    break
            else:
                i += 1
        return found

    def declined(self, words: Words) -> bool:
        """Whether `words` decline to answer anywhere in them ("id prefer not to say tbh")."""
        return any(words[i:i + len(d)] == d for d in self.declines for i in range(len(words) - len(d) + 1))

    def asks_for(self, words: Words) -> bool:
        """Whether `words` ask for help or say the person cannot go on, anywhere in them ("please help me")."""
        return any(words[i:i + len(h)] == h for h in self.asks_for_help for i in range(len(words) - len(h) + 1))

    def label_meanings(self, label: str) -> Words:
        """What a choice's label means, when the whole label is a phrase we know ("Not good" -> bad)."""
        hits = self.phrases.get(self.normalise(label), ())
        found = [hit.meaning for hit in hits if hit.sure or len(hits) == 1]
        # "Not at all" is also a way to say no; as a label, it means its most particular meaning.
        particular = [m for m in found if m not in ANSWERS_YES_OR_NO]
        return tuple(dict.fromkeys(particular or found))


# Welsh mutations turned back: the start a mutated word has -> the starts its radical may have
# (soft: c>g, p>b, t>d, g>-, b>f, d>dd, m>f, ll>l, rh>r; nasal: c>ngh, p>mh, t>nh, g>ng, b>m, d>n;
# aspirate: c>ch, p>ph, t>th).
_UNMUTATED = (("ngh", ("c",)), ("mh", ("p",)), ("nh", ("t",)), ("ng", ("g",)), ("ch", ("c",)), ("ph", ("p",)),
              ("th", ("t",)), ("dd", ("d",)), ("g", ("c",)), ("b", ("p",)), ("d", ("t",)), ("f", ("b", "m")),
              ("l", ("ll",)), ("r", ("rh",)), ("m", ("b",)), ("n", ("d",)))


def radicals(word: str) -> list[str]:
    """The words `word` may be a Welsh mutation of: "gewch" -> ["cewch"], "allwch" -> ["gallwch"]."""
    found = [start + word[len(mutated):] for mutated, starts in _UNMUTATED if word.startswith(mutated)
             for start in starts]
    if word[:1] in "aeiouwy":
        found.append("g" + word)  # soft mutation drops a g: "allwch" is "gallwch"
    return found


def load_meanings(directory: Path | None = None) -> Meanings:
    """The shipped meanings, with a deployment's `meanings/*.yaml` added. Problems are reported together."""
    folders = [SHIPPED_PROMPTS / "meanings"]
    if directory is not None and (Path(directory) / "meanings").resolve() != folders[0].resolve():
        folders.append(Path(directory) / "meanings")
    relations: dict[str, Any] = {}
    languages: list[tuple[str, Any]] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")):
            data = read_yaml(path)
            if path.name == "meanings.yaml":
                relations.update((data or {}).get("meanings") or {})
            else:
                languages.append((str(path), data))
    return build(relations, languages)


@cache
def shipped_meanings() -> Meanings:
    return load_meanings(None)


def build(relations: Mapping[str, Any], languages: Iterable[tuple[str, Any]]) -> Meanings:
    problems: list[str] = []
    meanings: dict[str, Meaning] = {}
    emoji: dict[str, list[str]] = {}
    for name, raw in relations.items():
        raw = raw or {}
        if not isinstance(raw, dict):
            problems.append(f"meanings.yaml: {name} should be a mapping")
            continue
        meanings[str(name)] = Meaning(
            id=str(name), also=tuple(map(str, raw.get("also") or ())), near=tuple(map(str, raw.get("near") or ())),
            negated=_optional(raw.get("negated")), stronger=_optional(raw.get("stronger")),
            weak=bool(raw.get("weak", False)),
        )
        emoji[str(name)] = [str(e) for e in raw.get("emoji") or ()]
    for meaning in meanings.values():
        for other in (*meaning.also, *meaning.near, meaning.negated, meaning.stronger):
            if other is not None and other not in meanings:
                problems.append(f"meanings.yaml: {meaning.id} names '{other}', which is not a meaning")
    spellings: dict[Words, Words] = {}
    fillers: set[Words] = set()
    stronger: set[str] = set()
    negations: set[str] = set()
    ordinals: dict[Words, int] = {}
    greetings: set[Words] = set()
    small_talk: set[Words] = set()
    menu_requests: set[str] = set()
    ages: set[str] = set()
    asks_for_help: set[Words] = set()
    openers: set[Words] = set()
    consent_yes: set[Words] = set()
    consent_no: set[Words] = set()
    several: set[Words] = set()
    declines: set[Words] = set()
    phrase_lists: list[tuple[str, str, list[Any]]] = []
    welsh: set[str] = set()
    for source, data in languages:
        if not isinstance(data, dict):
            problems.append(f"{source}: should be a mapping with meanings")
            continue
        if data.get("language") == "cy":
            welsh.update(w for words in (data.get("meanings") or {}).values() if isinstance(words, list)
                         for word in words for w in fold(_APOSTROPHES.sub("", str(word).rstrip(_GUESS))).split())
        for written, usual in (data.get("spellings") or {}).items():
            spellings[tuple(fold(_APOSTROPHES.sub("", str(written))).split())] = tuple(fold(str(usual)).split())
        for name, words in (data.get("meanings") or {}).items():
            if str(name) not in meanings:
                problems.append(f"{source}: '{name}' is not a meaning in meanings.yaml")
                continue
            if not isinstance(words, list):
                problems.append(f"{source}: {name} should list words")
                continue
            phrase_lists.append((source, str(name), words))
        fillers.update(_folded(data.get("fillers")))
        stronger.update(w for words in _folded(data.get("stronger")) for w in words if len(words) == 1)
        negations.update(w for words in _folded(data.get("negations")) for w in words)
        for word, number in (data.get("ordinals") or {}).items():
            ordinals[tuple(fold(str(word)).split())] = int(number)
        greetings.update(_folded(data.get("greetings")))
        openers.update(_folded(data.get("openers")))
        small_talk.update(_folded(data.get("small_talk")))
        menu_requests.update(w for words in _folded(data.get("menu_requests")) for w in words)
        ages.update(w for words in _folded(data.get("ages")) for w in words)
        asks_for_help.update(_folded(data.get("asks_for_help")))
        consent_yes.update(_folded(data.get("consent_yes")))
        consent_no.update(_folded(data.get("consent_no")))
        several.update(_folded(data.get("several")))
        declines.update(_folded(data.get("declines")))
    if problems:
        raise ValueError("\n".join(problems))
    known = {w for key in spellings for w in key} | {w for value in spellings.values() for w in value}
    partial = Meanings({}, {}, spellings, frozenset(), frozenset(), frozenset(), {}, frozenset(), frozenset(),
                       frozenset(known))
    phrases: dict[Words, dict[str, bool]] = {}
    for _source, name, words in phrase_lists:
        for word in words:
            text = str(word).strip()
            sure = not text.endswith(_GUESS)
            key = partial.normalise(text.rstrip(_GUESS))
            if key:
                seen = phrases.setdefault(key, {})
                seen[name] = seen.get(name, False) or sure
    for name, marks in emoji.items():
        for mark in marks:
            key = tuple(fold(mark).split())
            if key:
                seen = phrases.setdefault(key, {})
                seen[name] = True
    table = {key: tuple(Hit(name, sure) for name, sure in by.items()) for key, by in phrases.items()}
    known |= {w for key in table for w in key}
    for group in (fillers, greetings, small_talk, openers, consent_yes, consent_no, several, declines):
        known |= {w for key in group for w in key}
    known |= menu_requests
    folded_greetings = frozenset(partial.normalise(" ".join(g)) for g in greetings)
    folded_openers = frozenset(partial.normalise(" ".join(o)) for o in openers) - {()}
    return Meanings(
        meanings=meanings, phrases=table, spellings=spellings,
        fillers=frozenset(partial.normalise(" ".join(f)) for f in fillers),
        stronger=frozenset(stronger), negations=frozenset(negations), ordinals=ordinals,
        greetings=folded_greetings,
        small_talk=frozenset(partial.normalise(" ".join(s)) for s in small_talk),
        menu_requests=frozenset(w for word in menu_requests for w in partial.normalise(word)),
        ages=frozenset(w for word in ages for w in partial.normalise(word)),
        asks_for_help=frozenset(partial.normalise(" ".join(h)) for h in asks_for_help) - {()},
        openers=folded_openers,
        consent_yes=frozenset(partial.normalise(" ".join(w)) for w in consent_yes) - {()},
        consent_no=frozenset(partial.normalise(" ".join(w)) for w in consent_no) - {()},
        several=frozenset(partial.normalise(" ".join(w)) for w in several) - {()},
        declines=frozenset(partial.normalise(" ".join(w)) for w in declines) - {()},
        known=frozenset(known), welsh=frozenset(welsh), longest=max((len(k) for k in table), default=1),
        longest_greeting=max((len(g) for g in folded_greetings | folded_openers), default=1),
    )


def _optional(value: Any) -> str | None:
    return None if value is None else str(value)


def _folded(raw: Any) -> set[Words]:
    return {tuple(fold(_APOSTROPHES.sub("", str(w))).split()) for w in raw or ()} - {()}
