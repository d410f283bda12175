"""What people wrote, at a glance: written answers grouped by the themes staff have made (tagged, or
suggested by the theme's words, as the themes page suggests them), with counts, and the words people used
most.

The words are counted from the stored text, which is already scrubbed of phone numbers, emails, postcodes
and NHS numbers ("[phone number]"); on top of that, nothing in square brackets and no word with a digit
is counted, a word written with a capital letter in the middle of a sentence is taken for a name and
never counted, and a word is listed only when at least `threshold` different people used it, so a rare
word cannot point at the one person who wrote it. Function words ("the", "and", "was"; "yn", "mae") are
left out: prompts/wordlists/common_words.yaml. General stop-word lists were tried and dropped: they
also remove "good", "long", "kind" and "help", the words feedback is made of.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from bot.content.packs.yamlfile import SHIPPED_PROMPTS, read_yaml
from bot.loop.suggest import suggest
from storage.loop.records import Comment as LoopComment
from storage.loop.records import Theme
from storage.staff.records import Comment

MOST_WORDS = 20
READ_AT_MOST = 5000  # the latest written answers summarised; the page says so when there are more
_BRACKETS = re.compile(r"\[[^\]]*\]")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\S*\d\S*")
_SENTENCE_END = re.compile(r"[.!?\n]")


@dataclass(frozen=True, slots=True)
class ThemeCount:
    name: str
    comments: int  # in the theme, tagged or suggested
    tagged: int


@dataclass(frozen=True, slots=True)
class WordCount:
    word: str
    people: int


@dataclass(frozen=True, slots=True)
class Written:
    total: int  # everyone who wrote an answer to the question
    read: int  # how many of the latest were summarised
    themes: tuple[ThemeCount, ...]
    in_no_theme: int
    words: tuple[WordCount, ...]
    shown: bool  # False: too few people wrote anything to summarise


COMMON_WORDS = SHIPPED_PROMPTS / "wordlists" / "common_words.yaml"


@cache
def _common() -> frozenset[str]:
    lists = read_yaml(COMMON_WORDS)
    return frozenset(str(w).lower().replace("’", "'") for words in lists.values() for w in words)


def words_in(text: str) -> tuple[set[str], set[str]]:
    """(words, names): lower-cased words worth counting, and words that look like names here."""
    words: set[str] = set()
    names: set[str] = set()
    clean = _BRACKETS.sub(" ", text)
    previous = -1
    for match in _WORD.finditer(clean):
        token = match.group(0)
        # The first word, or the first after . ! or ?, has a capital letter anyway: not a sign of a name.
        start = previous < 0 or bool(_SENTENCE_END.search(clean[previous : match.start()]))
        previous = match.end()
        if any(ch.isdigit() for ch in token):
            continue
        lower = token.lower().replace("’", "'")
        if token[0].isupper() and not start and lower != "i":
            names.add(lower)
            continue
        if len(lower) > 2 and lower not in _common():
            words.add(lower)
    return words, names


def summarise(comments: Sequence[Comment], total: int, themes: Sequence[Theme], threshold: int) -> Written:
    if total < threshold:
        return Written(total, len(comments), (), 0, (), False)
    suggested = {s.comment.id: s.themes for s in suggest([LoopComment(c.kind, c.id, c.text) for c in comments],
                                                         themes)}
    counts: list[ThemeCount] = []
    placed: set[int] = set()
    for theme in themes:
        tagged = {c.id for c in comments if theme.name in c.themes}
        words = {c.id for c in comments if theme.name in suggested.get(c.id, ())}
        if tagged | words:
            counts.append(ThemeCount(theme.name, len(tagged | words), len(tagged)))
        placed |= tagged | words
    counts.sort(key=lambda t: (-t.comments, t.name))
    used: Counter[str] = Counter()
    names: set[str] = set()
    for comment in comments:
        found, named = words_in(comment.text)
        used.update(found)
        names |= named
    common = [WordCount(w, n) for w, n in used.most_common() if n >= threshold and w not in names][:MOST_WORDS]
    return Written(total, len(comments), tuple(counts), len(comments) - len(placed), tuple(common), True)
