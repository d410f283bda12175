"""Reading a message the way a worried person types it, so the phrase lists can be plain words.

    "I w@nt 2 d1e!!!"        -> clause ("i", "want", "to", "die")
    "k i l l  m y s e l f"   -> clause ("killmyself",)   (the matcher also tries phrases glued together)
    "Im soooo done. cant go on" -> ("i", "am", "so", "done") and ("can", "not", "go", "on")

Steps, in order: a few emoji read as words (😂 and 💀 as "haha", 🔪 as "knife"); case and accents folded
(plus letters NFKD cannot split, like Polish ł); apostrophes dropped ("don't" -> "dont"); single letters
spaced or dotted out ("k.i.l.l") joined; leetspeak inside words (1→i 3→e 0→o 4→a 5→s 7→t, $→s @→a !→i),
but not in a number with its unit ("36kg"); split into clauses at sentence punctuation, so a "not" in one
sentence never negates the next; then each language's `spellings` (txt-speak, contractions)
replace whole words; runs of three or more of a letter are cut to one ("diiie"), and patterns are also
tried with them cut to two ("killll").

`squeezed` forms have every repeated letter cut to one ("kill" -> "kil"): phrases are compared in that
form, so "kil myself" and "killl myself" read the same as "kill myself".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

# Letters that NFKD leaves whole; without this "zabiję" folds but "żyć"'s neighbour "ł" would not.
_UNSPLIT = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"})
_APOSTROPHES = re.compile(r"['’ʼ`´‘]")
# Emoji that carry meaning in how young people write: laughter ("im dead 💀" is a joke), and pictures of
# means or places that stand for words ("🚂 tonight"). Others are dropped with the punctuation.
_EMOJI = str.maketrans({
    **dict.fromkeys("😂🤣😆😹💀☠", " haha "),
    **dict.fromkeys("😢😥😞😔😓🥺", " sad "),
    "😭": " crying ", "💔": " heartbroken ", "🔪": " knife ", "🗡": " knife ", "🔫": " gun ", "💊": " pills ",
    "🪢": " rope ", "🩸": " blood ", "⚰": " coffin ", "🪦": " grave ", "🌉": " bridge ", "🥀": " wilted ",
    **dict.fromkeys("🚂🚆🚄🚅🚇🚈", " train "),
})
# Numbers with their units are not leetspeak: "36kg" stays 36kg, where "d13" reads as "die".
_UNIT = re.compile(r"\d+(?:kgs?|kilos?|st|stone|cm|mm|ft|lbs?|g|mg|ml|am|pm|th|nd|rd|yo|yrs?|k|x|mins?|hrs?|h)")
# Symbols that stand for a letter when they touch one: "$uicide", "w@nt", "k!ll".
_SYMBOL_LEET = re.compile(r"(?<=[^\W\d_])!(?=[^\W\d_])|(?<=[^\W\d_])[$@]|[$@](?=[^\W\d_])")
_SYMBOL_LETTERS = {"$": "s", "@": "a", "!": "i"}
_DIGIT_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"})
# Three or more single characters with the same separator between them: "k i l l", "s.u.i.c.i.d.e", "d-i-e"
# (a letter held down, "kkk.i.l.l", counts as one). A different separator ends the run, so the full stop
# in "k i l l m y s e l f. I could" is a sentence end, not part of the word.
_WORDS_AND_GAPS = re.compile(r"(\w+)")
_GAP = re.compile(r" {1,3}|[.\-_*·]{1,3}| [.\-_*·]{1,3} ")  # spaces, marks, " . "; but ". " ends a sentence
SPACED_RUN = 3
_CLAUSE_BREAK = re.compile(r"[.!?;:,\n()\"“”…|/]+")
_SENTENCE_BREAK = re.compile(r"[.!?;\n…|]+")
_NOT_WORD = re.compile(r"[\W_]+")
_LONG_RUN = re.compile(r"([^\W\d_])\1{2,}")
_ANY_RUN = re.compile(r"([^\W\d_])\1+")

MOST_SPELLING_WORDS = 3
LOOSE_FROM = 4  # letters, squeezed: shorter spelling keys must be written as they are


@dataclass(frozen=True, slots=True)
class Clause:
    words: tuple[str, ...]  # runs of three or more of a letter cut to one: "diiie" -> "die"
    squeezed: tuple[str, ...]
    doubled: tuple[str, ...] = ()  # the same words with such runs cut to two: "killll" -> "kill"

    @property
    def text(self) -> str:
        """The words with single spaces, for the lists' regular-expression patterns."""
        return " ".join(self.words)

    @property
    def texts(self) -> tuple[str, ...]:
        """Every form patterns are tried on: "diiie" is read as "die", and "killll" as "kill"."""
        doubled = " ".join(self.doubled) if self.doubled else self.text
        return (self.text,) if doubled == self.text else (self.text, doubled)


@lru_cache(maxsize=65536)
def squeeze(word: str) -> str:
    """Every run of a repeated character cut to one: "killl" and "kill" both give "kil"."""
    return _ANY_RUN.sub(r"\1", word)


def fold_characters(text: str) -> str:
    """Case and accents folded, apostrophes dropped, the emoji below read as words; nothing else changed."""
    text = unicodedata.normalize("NFKC", text).translate(_EMOJI).casefold().translate(_UNSPLIT)
    text = _APOSTROPHES.sub("", text)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) not in ("Mn", "Me", "Cf"))


def _word(token: str) -> str:
    """Leetspeak read, long runs of a letter kept as three ("killlll" -> "killl"); `clauses` cuts them."""
    if any(ch.isalpha() for ch in token) and any(ch.isdigit() for ch in token) and not _UNIT.fullmatch(token):
        token = token.translate(_DIGIT_LEET)
    return _LONG_RUN.sub(r"\1\1\1", token)


def _join_spaced_out(text: str) -> str:
    parts = _WORDS_AND_GAPS.split(text)  # gap, word, gap, word, …, gap
    words = parts[1::2]
    out: list[str] = [parts[0]]
    i = 0
    while i < len(words):
        j = i
        if len(set(words[i])) == 1:
            gap = parts[2 * i + 2] if 2 * i + 2 < len(parts) else ""
            while (
                j + 1 < len(words) and _GAP.fullmatch(gap) and parts[2 * j + 2] == gap and len(set(words[j + 1])) == 1
            ):
                j += 1
        gap = parts[2 * i + 2] if 2 * i + 2 < len(parts) else ""
        # Dots or dashes between letters are deliberate even for two ("m.y"); spaces need three ("u r" are words).
        if j + 1 - i >= (SPACED_RUN if gap.strip() == "" else 2):
            out.append("".join(words[i:j + 1]))
        else:
            out.append(words[i])
            j = i
        out.append(parts[2 * j + 2])
        i = j + 1
    return "".join(out)


def split_sentences(text: str) -> list[list[list[str]]]:
    """The folded words of each clause, clauses grouped by sentence, before any spellings are applied.

    Word groups (groups.py) may join the clauses of one sentence ("she's given away her phone, and said
    she won't need it"); negation never reaches past a clause."""
    text = fold_characters(text)
    text = _join_spaced_out(text)
    text = _SYMBOL_LEET.sub(lambda m: _SYMBOL_LETTERS[m.group()], text)
    sentences: list[list[list[str]]] = []
    for sentence in _SENTENCE_BREAK.split(text):
        clauses = [words for part in _CLAUSE_BREAK.split(sentence) if (words := _words(part))]
        if clauses:
            sentences.append(clauses)
    return sentences


def split_clauses(text: str) -> list[list[str]]:
    """The folded words of each clause, before any spellings are applied."""
    return [clause for sentence in split_sentences(text) for clause in sentence]


def _words(part: str) -> list[str]:
    return [_word(token) for token in _NOT_WORD.split(part) if token]


class Spellings:
    """Whole-word replacements ("wanna" -> "want to", "dont" -> "do not").

    Keys may be up to three words ("do not" stays, "i m" -> "i am"); the longest key wins. A word is looked
    up with runs of three or more of a letter cut to one ("gonnaaa"). Keys whose words have four letters or
    more once every doubled letter is cut are also looked up in that squeezed form ("dontt"); shorter keys
    are not, or "odd" would read as "od" (overdose) and "weed" as "wed" (we would).
    """

    def __init__(self, table: Mapping[str, str]) -> None:
        self._exact: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._loose: dict[tuple[str, ...], tuple[str, ...]] = {}
        for key, value in table.items():
            key_words = tuple(_cut(w) for c in split_clauses(key) for w in c)
            value_words = tuple(w for c in split_clauses(value) for w in c)
            if not key_words or len(key_words) > MOST_SPELLING_WORDS:
                raise ValueError(f"spelling '{key}' should be 1 to {MOST_SPELLING_WORDS} words")
            self._exact[key_words] = value_words
            squeezed = tuple(squeeze(w) for w in key_words)
            if all(len(w) >= LOOSE_FROM for w in squeezed):
                self._loose[squeezed] = value_words

    def keys(self) -> set[str]:
        """The single-word keys, so a list can warn when a pattern uses a word that never survives."""
        return {key[0] for key in (*self._exact, *self._loose) if len(key) == 1}

    def apply(self, words: list[str]) -> list[str]:
        if not self._exact:
            return words
        cut = [_cut(w) for w in words]
        squeezed = [squeeze(w) for w in words]
        out: list[str] = []
        i = 0
        while i < len(words):
            for size in range(min(MOST_SPELLING_WORDS, len(words) - i), 0, -1):
                replacement = self._exact.get(tuple(cut[i:i + size])) or self._loose.get(tuple(squeezed[i:i + size]))
                if replacement is not None:
                    out.extend(replacement)
                    i += size
                    break
            else:
                out.append(words[i])
                i += 1
        return out


def _cut(word: str) -> str:
    return _LONG_RUN.sub(r"\1", word)


def clauses(text: str | list[list[str]], spellings: Spellings) -> list[Clause]:
    """`text` (or its `split_clauses`) read into clauses of canonical words, with one language's spellings."""
    found: list[Clause] = []
    for words in split_clauses(text) if isinstance(text, str) else text:
        canonical = spellings.apply(words)
        if canonical:
            forms = [_forms(w) for w in canonical]
            single = tuple(f[0] for f in forms)
            double = tuple(f[1] for f in forms)
            found.append(Clause(single, tuple(f[2] for f in forms), double if double != single else ()))
    return found


@lru_cache(maxsize=65536)
def _forms(word: str) -> tuple[str, str, str]:
    """(long runs cut to one, long runs cut to two, squeezed), remembered: words come up again and again."""
    return _LONG_RUN.sub(r"\1", word), _LONG_RUN.sub(r"\1\1", word), squeeze(word)
