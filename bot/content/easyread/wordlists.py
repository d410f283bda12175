"""The easy-read rules' data, read from `prompts/wordlists/*.yaml`.

The rules are code; what they look for is data a service can change without a programmer: the
acronym allow-list, plain swaps, extra easy words, consent phrases, negatives, contractions, passive
voice words, forbidden punctuation, limits per audience and channel, and national standard questions.
A deployment's `wordlists/` folder is laid over the shipped one file by file and key by key, so it
only needs what it adds or changes (a new language's consent phrases, a local acronym).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from bot.content.packs.yamlfile import SHIPPED_PROMPTS, merged, read_yaml

SHIPPED_WORDLISTS = SHIPPED_PROMPTS / "wordlists"
FILES = (
    "acronyms",
    "plain_swaps",
    "easy_words",
    "consent",
    "negatives",
    "contractions",
    "passive",
    "punctuation",
    "limits",
    "standards",
)


class WordlistError(ValueError):
    """A word list file is missing or malformed; the message names the file and what to fix."""


@dataclass(frozen=True)
class Acronym:
    letters: str
    means: str
    explain: bool
    look_for: tuple[str, ...]


@dataclass(frozen=True)
class ConsentNeed:
    need: str
    example: str
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class Contractions:
    words: Mapping[str, str]  # lower case, straight apostrophe -> full form
    endings: tuple[str, ...]


@dataclass(frozen=True)
class PassiveWords:
    be: frozenset[str]
    between: frozenset[str]
    irregular: frozenset[str]
    not_passive: frozenset[str]


@dataclass(frozen=True)
class AudienceLimits:
    sentence_words: int
    max_grade: float
    max_choices: int = 5


@dataclass(frozen=True)
class ChannelLimits:
    sms_segments: int  # a question, as sent by SMS
    ivr_words: int
    telegram_label: int
    sms_opening_segments: int = 2  # the intro and the consent question, sent together
    sms_closing_segments: int = 2  # the outro and its line of help


@dataclass(frozen=True)
class Standard:
    key: str
    name: str
    why: str
    text: str
    choices: tuple[str, ...]
    exempt: frozenset[str]


@dataclass(frozen=True)
class Wordlists:
    source: str
    acronyms: Mapping[str, Mapping[str, Acronym]]  # language -> letters -> acronym
    allowed_caps: frozenset[str]
    swaps: Mapping[str, Mapping[str, str]]  # language -> lower-case word or phrase -> plain words
    easy_words: Mapping[str, frozenset[str]]  # language -> lower-case words
    consent: Mapping[str, tuple[ConsentNeed, ...]]
    negatives: Mapping[str, tuple[frozenset[str], tuple[str, ...]]]  # language -> (words, endings)
    contractions: Mapping[str, Contractions]
    passive: Mapping[str, PassiveWords]
    punctuation: Mapping[str, str]  # character -> what to write instead
    audiences: Mapping[str, AudienceLimits]
    min_zipf: float
    channels: ChannelLimits
    standards: Mapping[str, Standard]
    # How good an answer's symbol says it is (higher is better), for rule `answer-order`.
    answer_ranks: Mapping[str, int] = field(default_factory=dict)

    def audience(self, name: str) -> AudienceLimits:
        # An audience this file does not know gets the strictest limits rather than none.
        if name in self.audiences:
            return self.audiences[name]
        return min(self.audiences.values(), key=lambda limits: (limits.sentence_words, limits.max_grade))


def load_wordlists(prompts_dir: Path | None = None) -> Wordlists:
    """The shipped word lists, with `prompts_dir/wordlists/` laid over them when it exists."""
    local = (Path(prompts_dir) / "wordlists").resolve() if prompts_dir is not None else None
    if local is not None and (local == SHIPPED_WORDLISTS.resolve() or not local.is_dir()):
        local = None
    return _load(local, _stamp(local))


def _stamp(local: Path | None) -> tuple[float, ...]:
    """When the files last changed, so an edited word list is read again by a long-running process."""
    folders = [SHIPPED_WORDLISTS, *([local] if local is not None else [])]
    paths = [folder / f"{name}.yaml" for folder in folders for name in FILES]
    return tuple(path.stat().st_mtime if path.exists() else 0.0 for path in paths)


@lru_cache(maxsize=16)
def _load(local: Path | None, stamp: tuple[float, ...]) -> Wordlists:
    data: dict[str, Any] = {}
    for name in FILES:
        shipped = SHIPPED_WORDLISTS / f"{name}.yaml"
        try:
            value = read_yaml(shipped)
            if local is not None and (local / f"{name}.yaml").exists():
                value = merged(value, read_yaml(local / f"{name}.yaml"))
        except ValueError as error:
            raise WordlistError(str(error)) from None
        data[name] = value
    source = str(local or SHIPPED_WORDLISTS)
    try:
        return _build(data, source)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise WordlistError(f"{source}: a word list is not in the expected shape ({error!r})") from None


def _build(data: Mapping[str, Any], source: str) -> Wordlists:
    acronym_data = data["acronyms"]
    acronyms = {
        language: {
            str(letters): Acronym(
                str(letters),
                str(entry["means"]),
                bool(entry.get("explain", False)),
                tuple(str(word).lower() for word in entry.get("look_for", ())),
            )
            for letters, entry in table.items()
        }
        for language, table in acronym_data.items()
        if language != "allowed_caps"
    }
    easy = {language: frozenset(str(w).lower() for w in words) for language, words in data["easy_words"].items()}
    easy["en"] = easy.get("en", frozenset()) | _textstat_easy_words()
    negatives = {
        language: (frozenset(str(w).lower() for w in entry["words"]), tuple(entry.get("endings") or ()))
        for language, entry in data["negatives"].items()
    }
    contractions = {
        language: Contractions(
            {str(k).lower(): str(v) for k, v in (entry.get("words") or {}).items()},
            tuple(str(e) for e in entry.get("endings") or ()),
        )
        for language, entry in data["contractions"].items()
    }
    passive = {
        language: PassiveWords(
            *(
                frozenset(str(w).lower() for w in entry.get(key) or ())
                for key in ("be", "between", "irregular", "not_passive")
            )
        )
        for language, entry in data["passive"].items()
    }
    consent = {
        language: tuple(
            ConsentNeed(str(n["need"]), str(n.get("say_for_example", "")), tuple(str(p) for p in n["phrases"]))
            for n in needs
        )
        for language, needs in data["consent"].items()
    }
    limits = data["limits"]
    standards = {
        key: Standard(
            key,
            str(s["name"]),
            str(s["why"]),
            str(s["text"]),
            tuple(str(c) for c in s["choices"]),
            frozenset(s.get("exempt") or ()),
        )
        for key, s in data["standards"].items()
    }
    return Wordlists(
        source=source,
        acronyms=acronyms,
        allowed_caps=frozenset(str(w) for w in acronym_data.get("allowed_caps") or ()),
        swaps={lang: {str(k).lower(): str(v) for k, v in table.items()} for lang, table in data["plain_swaps"].items()},
        easy_words=easy,
        consent=consent,
        negatives=negatives,
        contractions=contractions,
        passive=passive,
        punctuation={str(k): str(v) for k, v in data["punctuation"].items()},
        audiences={
            name: AudienceLimits(
                int(entry["sentence_words"]), float(entry["max_grade"]), int(entry.get("max_choices", 5))
            )
            for name, entry in limits["audiences"].items()
        },
        answer_ranks={str(k): int(v) for k, v in (limits.get("answer_order") or {}).items()},
        min_zipf=float(limits["min_zipf"]),
        channels=ChannelLimits(**{k: int(v) for k, v in limits["channels"].items()}),
        standards=standards,
    )


def _textstat_easy_words() -> frozenset[str]:
    """textstat's English easy-word list (Dale-Chall), read from the package's own data file.

    Read directly rather than through textstat's API, which keeps one global language setting.
    """
    path = resources.files("textstat") / "resources" / "en" / "easy_words.txt"
    return frozenset(line.strip().lower() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
