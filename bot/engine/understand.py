"""Understanding a reply the way a kind person would, and knowing when we are not sure.

A reply is read against the answers a question offers. Each answer is known by its number, its labels in
every language, its emoji, its author's own words, and its meanings (`prompts/meanings/`): "meh", "not
great tbh", "really low today" and "😢" all mean something, and the question's answers say which of them
that is. The result is a `Reading`:

- one value, sure: store it;
- one value, not sure: ask back "Did you mean 3 Not good?" before storing (a guess, a negation turned
  round, a meaning the question only nearly offers, a reply with words we do not know around the answer);
- two values: ask which ("Did you mean 2 A little or 3 Not at all?");
- nothing: say how to answer.

A misread stored answer is worse than a question asked twice, so anything in doubt is asked back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.content.meanings import Meanings, Words
from bot.engine.quantities import COUNTED, ROUGHLY, counts_something

LONGEST_REPLY = 12  # words; a longer reply is a story, not a pick
FUZZY_RATIO = 84  # out of 100, for a misspelt label or meaning word
FUZZY_MARGIN = 8
FUZZY_MIN_LENGTH = 4
FUZZY_MOST_WORDS = 3  # a close spelling of a meaning word is guessed at only in a reply this short
SENTIMENT_STRENGTH = 0.45  # VADER's compound score; weaker feelings are not guessed at
CONTRAST = frozenset({"but", "although", "though", "except", "apart", "however", "ond", "heblaw"})
# Meanings that answer a yes or no question; offered for other answers only when the question is asked so.
POLAR = frozenset({"yes", "no", "echo_yes", "echo_no", "not_really"})
YES_NO_VALUES = frozenset({"yes", "no"})
# Negations that answer by themselves rather than turn round the word after them ("no, nobody's said").
ANSWERING_NEGATIONS = frozenset({"no", "na", "nah", "nope", "naddo", "nac", "nag"})
# What a "not" that turns round the next word may mean ("never" is not_at_all: "never good" is turned round too)
TURNING = frozenset({"no", "echo_no", "not_really", "not_at_all"})
# A yes or no question in English starts with one of these ("Did we listen to you?").
POLAR_STARTS = frozenset({
    "did", "do", "does", "was", "were", "is", "are", "can", "could", "would", "will", "have", "has", "had",
    "should", "shall", "may",
})


@dataclass(frozen=True)
class Answer:
    """One answer a question offers."""

    value: str
    key: str  # "1", "2" …
    labels: tuple[Words, ...]  # normalised labels in every language, and the author's own words
    emoji: str = ""
    meanings: Words = ()


@dataclass(frozen=True)
class Reading:
    values: tuple[str, ...] = ()  # () nothing understood; two values: ask which
    sure: bool = False

    @property
    def value(self) -> str | None:
        return self.values[0] if len(self.values) == 1 else None


NOTHING = Reading()


@dataclass(frozen=True)
class Question:
    """What the reader needs to know about the question being answered."""

    answers: tuple[Answer, ...]
    polar: bool = False  # asked as yes or no ("Did we listen?"), though the answers are not Yes and No
    echo: frozenset[str] = frozenset()  # the question's own words, which a reply may say back


# A reply that starts so asks something back ("do i have to", "how long is it", "whats it for", "oes rhaid"),
# with or without a "?": it is never consent, and never an answer stored without asking.
ASKING_WORDS = frozenset({"what", "whats", "wot", "wat", "wots", "why", "how", "hows", "where", "wheres", "who",
                          "whos", "which", "pam", "beth", "sut", "faint", "pwy", "ble", "pa"})
ASKING_VERBS = frozenset({"do", "does", "dose", "did", "is", "are", "was", "were", "will", "wil", "would", "wud",
                          "can", "could", "cud", "have", "has", "must", "should", "shall", "may", "am", "oes", "ydy",
                          "ydw", "oedd", "fydd", "gaf", "ga", "alla", "allai", "wyt", "ydych", "dych"})
ASKED_ABOUT = frozenset({"i", "you", "u", "ya", "ye", "we", "they", "it", "this", "that", "there", "he", "she",
                         "rhaid", "fi", "ti", "chi", "hi", "o", "e", "hyn"})
NOT_ASKING = frozenset({("do", "it"), ("do", "that"), ("do", "this"), ("can", "do"), ("will", "do"), ("ydw", "i"),
                        ("ydy", "hi"), ("ydy", "o"), ("ydy", "e"), ("oedd", "hi"), ("oedd", "o"), ("oedd", "e"),
                        ("do", "i")})


def asks_back(text: str, meanings: Meanings) -> bool:
    """Whether a reply is a question of its own: ends with "?", or opens with a question word or an asking
    verb before who it asks about ("do i have to", "is it long", "how many", "oes rhaid i mi")."""
    if text.rstrip().endswith("?"):
        return True
    words = meanings.normalise(text)
    if not words:
        return False
    if words[:2] == ("why", "not"):
        return False  # "why not" is yes
    if words[0] in ASKING_WORDS:
        return True
    if len(words) >= 2 and words[0] in ASKING_VERBS and words[1] in ASKED_ABOUT and words[:2] not in NOT_ASKING:
        return True
    # "do i have to": "do i" alone is Welsh-English yes ("do" is Welsh for yes), so the verb after it decides
    return len(words) > 2 and words[:2] == ("do", "i") and words[2] in {"have", "need", "hafta", "gotta", "get", "want"}


def is_polar(english_text: str) -> bool:
    words = english_text.strip().lower().split()
    return bool(words) and words[0] in POLAR_STARTS


def echo_words(texts: Sequence[str], meanings: Meanings) -> frozenset[str]:
    """The question's own longer words ("listen", "easy", "touch"), which a reply may say back."""
    words: set[str] = set()
    for text in texts:
        words.update(w for w in meanings.normalise(text) if len(w) >= 4)
    return frozenset(words)


def read(text: str, question: Question, meanings: Meanings, numbers: Mapping[str, int] | None = None,
         sentiment: Callable[[str], float] | None = None) -> Reading:
    """What `text` answers, against `question`'s answers. `sentiment` (text -> -1..1) is a last, unsure signal."""
    words = meanings.normalise(text)
    if not words or len(words) > LONGEST_REPLY or meanings.declined(words):
        return NOTHING  # "prefer not to say" is not No
    answers = question.answers
    whole = " ".join(words)
    for answer in answers:
        if whole == answer.key or words in answer.labels or (answer.emoji and whole == answer.emoji):
            return Reading((answer.value,), True)
    counted = [i for i in range(len(words)) if counts_something(words, i, numbers or {})]
    if counted:
        # "about 3 months" to "How well did we listen?" is not 3 Not at all: an amount never picks an answer.
        # The other words still may, but only by the lists, never a guess: "rang 5 times before anyone
        # answered" is Hard; "about 3 months" alone says how to answer.
        rest = _without_amounts(words, counted)
        return read(" ".join(rest), question, meanings) if rest else NOTHING
    labels = {label: answer.value for answer in answers for label in answer.labels}
    longest_label = max((len(label) for label in labels), default=1)
    keys = {answer.key: answer.value for answer in answers}
    emoji = {answer.emoji: answer.value for answer in answers if answer.emoji}
    candidates: list[tuple[int, str, bool]] = []  # (level, value, sure); level 0 is best
    # Where in the reply each candidate came from (the words read as it, and a "not" that turned it round):
    # a negation, a "?" or a word we do not know outside them, or right before them, leaves us unsure.
    spans: list[frozenset[int]] = []
    silent: set[int] = set()  # words with a meaning this question has no answer for
    agreeing: list[tuple[range, set[str]]] = []  # bare echoes set aside, and what they would have said

    def found(readings: list[tuple[int, str, bool]], at: range | set[int]) -> None:
        candidates.extend(readings)
        spans.extend([frozenset(at)] * len(readings))
    meaning_hits: list[tuple[int, int, str, bool]] = []  # (start, end, meaning, sure)
    used = [False] * len(words)
    # A "not" read as an answer of its own ("didnt" is no, "wasnt" an echo) still turns round the answer
    # after it: "didnt feel good" is not Good. "no" answers for itself: "no, nobody's said" is No idea.
    weak_at: set[int] = set()
    by_value = {answer.value: answer for answer in answers}
    i = 0
    while i < len(words):
        matched = False
        for size in range(min(max(longest_label, meanings.longest), len(words) - i), 0, -1):
            window = words[i:i + size]
            value = labels.get(window)
            hits = meanings.phrases.get(window)
            if value is not None and (hits is None or size >= 1):
                used[i:i + size] = [True] * size
                negation_at = _negation_before(words, i, used, weak_at, meanings)
                if negation_at is not None:
                    # "wasnt easy" to "Was it easy to get in touch?" is Hard, asked back; never Easy
                    turned = _turned_round(by_value[value], question, meanings)
                    if not turned:
                        return NOTHING
                    found(turned, {negation_at, *range(i, i + size)})
                else:
                    found([(0, value, True)], range(i, i + size))
                i += size
                matched = True
                break
            if hits is not None:
                for hit in hits:
                    meaning_hits.append((i, i + size, hit.meaning, hit.sure))
                if all(hit.meaning in meanings.meanings and meanings.meanings[hit.meaning].weak for hit in hits) or (
                    any(w in meanings.negations and w not in ANSWERING_NEGATIONS for w in window)
                    and all(hit.meaning in TURNING for hit in hits)  # "didnt", "i dont" before "good", "like"
                ):
                    weak_at.update(range(i, i + size))
                used[i:i + size] = [True] * size
                i += size
                matched = True
                break
        if not matched:
            word = words[i]
            if word in keys or word in emoji:
                found([(0, keys.get(word) or emoji[word], True)], range(i, i + 1))
                used[i] = True
            elif numbers and word in numbers and str(numbers[word]) in keys and _number_alone(words, i, meanings):
                found([(0, keys[str(numbers[word])], True)], range(i, i + 1))
                used[i] = True
            elif str(meanings.ordinals.get((word,))) in keys and _number_alone(words, i, meanings):
                found([(0, keys[str(meanings.ordinals[(word,)])], True)], range(i, i + 1))  # "the first one"
                used[i] = True
            i += 1
    strong_found = bool(candidates) or any(not meanings.meanings[m].weak for _, _, m, _ in meaning_hits
                                           if m in meanings.meanings)
    for start, end, meaning_id, sure in meaning_hits:
        meaning = meanings.meanings.get(meaning_id)
        if meaning is None:
            continue
        if meaning.weak and strong_found:
            # "no u wasnt": the bare echo says the same as the answer, so its "not" is no doubt
            agreeing.append((range(start, end), {v for level, v, _ in _resolve(meaning_id, sure, question, meanings)
                                                 if level <= 1}))
            continue
        before = words[start - 1] if start > 0 and (not used[start - 1] or start - 1 in weak_at) else None
        negation = _negation_before(words, start, used, weak_at, meanings)
        if negation is not None:
            used[negation] = True
            if meaning.negated is None:
                return NOTHING  # "not" with a meaning that has no opposite: ask again rather than guess
            turned = _negated(meaning.id, question, meanings)
            if not turned:
                return NOTHING
            found(turned, {negation, *range(start, end)})
            continue
        elif before is not None and before in meanings.stronger and meaning.stronger:
            used[start - 1] = True
            meaning = meanings.meanings[meaning.stronger]
            start -= 1
        readings = _resolve(meaning.id, sure, question, meanings)
        if not readings and not meaning.weak and meaning.id not in DEGREES:
            silent.update(range(start, end))  # "partly" beside "good" to a question with no "a little"
        found(readings, range(start, end))
    if not candidates:
        return _guess(text, words, question, meanings, sentiment)
    echoed = any(used[i] and _echoes(word, question.echo) for i, word in enumerate(words))
    if not strong_found and not echoed and not _only_fillers(words, used, question, meanings, most_unknown=0):
        # Only a bare echo ("it was", "im") and a word we do not know: "it was scary" is not Yes to "Did you
        # feel safe?", and "im busy" is not Yes to "Would you like to help?". The unknown word decides.
        # The question's own verb said back ("the man listened to me") still reads as the echo.
        return _guess(text, words, question, meanings, sentiment)
    best = min(level for level, _, _ in candidates)
    chosen = [(value, sure) for level, value, sure in candidates if level == best]
    values = tuple(dict.fromkeys(value for value, _ in chosen))
    if len(values) > 2:
        return NOTHING
    if len(values) == 2:
        return Reading(values, False)
    # "they said nothing": a weaker reading of other words pointing elsewhere leaves us unsure
    others = any(value not in values for _, value, _ in candidates)
    sure = all(s for _, s in chosen) and best <= 1 and not others and _only_fillers(words, used, question, meanings)
    if sure:
        # What chose the answer: words that mean it (or mean it too), and a plain "no" that agrees ("no, it was a
        # nightmare" is Hard). A "not" that only nearly agrees ("i wouldnt say hard") still leaves doubt.
        chosen_at = frozenset().union(*(
            at for (level, value, _), at in zip(candidates, spans, strict=True)
            if value in values and (level <= 1 or not any(
                words[j] in meanings.negations and words[j] not in ANSWERING_NEGATIONS for j in at))
        ))
        chosen_at = chosen_at.union(*(set(at) for at, said in agreeing if said & set(values)))
        sure = not (silent - chosen_at) and not _in_doubt(words, chosen_at, question, meanings)
    return Reading(values, sure)


# How much, not what: "a bit sad" is Sad, "ok really" is OK, though the question has no "a little".
DEGREES = frozenset({"a_little", "a_lot"})
BAD = frozenset({"bad", "very_bad", "sad", "hard", "worried"})
# Words that soften or turn round the next word without a list saying which answer they come to:
# "not very good", "not too bad", "not that easy" sit between two answers; asked back, never stored.
SOFTENED_AFTER_NOT = frozenset({"very", "too", "so", "that", "overly", "super", "all", "the", "totally",
                                "particularly", "especially", "exactly", "always", "completely", "quite", "as",
                                "iawn", "rhy", "mor", "cweit"})


def _in_doubt(words: Words, chosen_at: frozenset[int], question: Question, meanings: Meanings) -> bool:
    """Whether the words around the chosen answer leave room for another reading, so it is asked back.

    - a "not" (or "never", "didnt" …) that is not part of what chose the answer: "i wouldnt say good", "good no",
      "dont know, good" could each mean the opposite, or nothing sure;
    - a "not" that softens an intensifier or a superlative inside it: "not very good", "not too bad", "not the best"
      are between two answers;
    - a word we do not know shaped like a "not" ("didint", "wasent", "dosnt"): "it wasent good".
    """
    for i, word in enumerate(words):
        if i in chosen_at:
            if word in meanings.negations and i + 1 in chosen_at and (
                (words[i + 1] in SOFTENED_AFTER_NOT and not _means_bad(words, i + 2, meanings))
                or _means_best(words, i + 1, meanings)
            ):
                return True
            continue
        if word in meanings.negations or (word not in meanings.known and (
            NEGATION_SHAPED.match(word) or NOBODY_SHAPED.match(word)
        )):
            return True
    return False


# A misspelt "not" we have no spelling for: "didint", "wasent", "dosnt", "cudnt", "wernt" (not "went", "want").
NEGATION_SHAPED = re.compile(r"^(?:did|dod|does|dos|do|was|wos|wer|were|is|are|ar|could|cud|cood|would|wud|wood|"
                             r"should|shud|have|hav|has|had|ca|wo|ai)[aeiou]?n+[aeiou]?t$")


# A misspelt "nobody", "no one", "never", "nothing" or "none" we have no spelling for: "nobodee lisend" is not
# Yes to "Did we listen to you?" (dev set 3: "no1 lisend" was stored as Yes). Only a word no list knows.
NOBODY_SHAPED = re.compile(r"^(?:no+b+\w{0,3}d+\w{0,3}|no+[-_]?(?:1|one|wun|won|wan)|ne+v+(?:a+|e+r+|r+|a+r+|ah|ur)|"
                           r"n[uo]+(?:th|ff|t+|f+)[iey]+n+[gk]?|nun+)$")


def _means_bad(words: Words, i: int, meanings: Meanings) -> bool:
    """Whether the words from `i` on start with a bad word: "not too bad" is the usual way to say OK (litotes)."""
    for size in range(min(meanings.longest, len(words) - i), 0, -1):
        hits = meanings.phrases.get(words[i:i + size])
        if hits:
            return any(hit.meaning in BAD for hit in hits)
    return False


def _means_best(words: Words, i: int, meanings: Meanings) -> bool:
    """Whether the words from `i` on start with one for the very best ("great"? no: "amazing", "brilliant")."""
    for size in range(min(meanings.longest, len(words) - i), 0, -1):
        hits = meanings.phrases.get(words[i:i + size])
        if hits:
            return any(hit.meaning == "very_good" for hit in hits)
    return False


# Words a number may stand beside and still be a pick: "number two", "option three please".
AROUND_A_PICK = frozenset({"number", "no", "num", "option", "answer", "choice", "the", "its", "it", "is", "rhif",
                           "please", "pls", "plz", "plis"})


def _number_alone(words: Words, i: int, meanings: Meanings) -> bool:
    """A number word picks an answer only on its own: in "one was one wasnt" or "two of them were kind", "one"
    and "two" are people, not answers 1 and 2. Digits stay picks ("2 please")."""
    return all(j == i or w in AROUND_A_PICK or (w,) in meanings.fillers or (w == "one" and (words[i],) in
               meanings.ordinals) for j, w in enumerate(words))


def _negation_before(words: Words, i: int, used: list[bool], weak_at: set[int], meanings: Meanings) -> int | None:
    """Where the "not" before `words[i]` is, looking past fillers ("didnt feel good", "not really happy")."""
    j = i - 1
    while j >= 0 and (not used[j] or j in weak_at):
        if words[j] in meanings.negations:
            return j
        if (words[j],) not in meanings.fillers:
            return None
        j -= 1
    return None


def _negated(meaning_id: str, question: Question, meanings: Meanings) -> list[tuple[int, str, bool]]:
    """What "not" + a meaning comes to: its opposite's answers, never sure, and never an answer the meaning
    itself points to. "not very" to "Were we kind to you?" is not Yes because "a little" is near Yes: "very"
    was Yes, so "not very" is No, asked back."""
    meaning = meanings.meanings[meaning_id]
    assert meaning.negated is not None
    itself = {value for _, value, _ in _resolve(meaning_id, False, question, meanings)}
    turned = [(level, value, False) for level, value, _ in _resolve(meaning.negated, False, question, meanings)
              if value not in itself]
    if turned:
        return turned
    yes = {value for _, value, _ in _resolve("yes", False, question, meanings)}
    if itself & yes and (question.polar or all(a.value in YES_NO_VALUES for a in question.answers)):
        return [(level, value, False) for level, value, _ in _resolve("no", False, question, meanings)
                if value not in itself]
    return []


def _turned_round(answer: Answer, question: Question, meanings: Meanings) -> list[tuple[int, str, bool]]:
    """What "not" + an answer's label comes to: the answers its meaning's opposite points to, never sure."""
    for meaning_id in answer.meanings:
        meaning = meanings.meanings.get(meaning_id)
        if meaning is not None and meaning.negated is not None:
            found = [(level, value, False) for level, value, _ in _resolve(meaning.negated, False, question, meanings)
                     if value != answer.value]
            if found:
                return found
    return []


def _resolve(meaning_id: str, sure: bool, question: Question, meanings: Meanings) -> list[tuple[int, str, bool]]:
    """The answers a meaning points to: its own (level 0), an `also` (level 1) or up to two `near` (level 2)."""
    meaning = meanings.meanings[meaning_id]
    answers = question.answers
    own = [(0, a.value, sure) for a in answers if meaning_id in a.meanings]
    if own:
        return own[:2]
    yes_no = all(a.value in YES_NO_VALUES for a in answers)
    offer = meaning_id not in POLAR or question.polar or yes_no
    if not offer:
        # "yes" to "How do you feel about coming again?" is only a guess at Happy: asked back, never stored
        guesses = [(2, a.value, False) for other in meaning.near if other not in POLAR
                   for a in answers if other in a.meanings]
        return list(dict.fromkeys(guesses))[:1]
    for other in meaning.also:
        if meaning_id == "know" and other == "yes" and not _about_knowing(question, meanings):
            # "know" is yes only to a question about knowing: elsewhere it is a spoken or misspelt "no" as
            # often as not ("know" to "Can we ask you 4 short questions?"; dev set 5), so nothing is guessed
            continue
        found = [(1, a.value, sure) for a in answers if other in a.meanings]
        if found and (other not in POLAR or question.polar or yes_no):
            return found[:2]
    near: list[tuple[int, str, bool]] = []
    for other in meaning.near:
        if other in POLAR and not (question.polar or yes_no):
            continue
        for answer in answers:
            if other in answer.meanings and all(v != answer.value for _, v, _ in near):
                near.append((2, answer.value, False))
    return near[:2]


def _about_knowing(question: Question, meanings: Meanings) -> bool:
    """Whether the question asks what the person knows ("Do you know what will happen next?")."""
    return any(hit.meaning == "know" for word in question.echo for hit in meanings.phrases.get((word,), ()))


def _only_fillers(
    words: Words, used: list[bool], question: Question, meanings: Meanings, most_unknown: int = 1
) -> bool:
    """Whether every word not read as the answer carries no answer of its own (fillers, the question's words).

    "good thanks" and "they did listen" are sure; "good but the wait was too long" is asked back.
    """
    unknown = 0
    i = 0
    while i < len(words):
        if used[i]:
            i += 1
            continue
        for size in range(min(4, len(words) - i), 0, -1):
            if words[i:i + size] in meanings.fillers:
                i += size
                break
        else:
            word = words[i]
            if word in CONTRAST or word in meanings.negations:
                return False
            if not (word in meanings.stronger or _echoes(word, question.echo)):
                unknown += 1
            i += 1
    return unknown <= most_unknown


def closest_label(words: Words, question: Question) -> str | None:
    """The one answer whose label the whole reply is a close spelling of, or None."""
    said = " ".join(words)
    if len(said) < FUZZY_MIN_LENGTH:
        return None
    scores = sorted(
        ((max((fuzz.ratio(said, " ".join(label)) for label in answer.labels), default=0.0), answer.value)
         for answer in question.answers),
        reverse=True,
    )
    if not scores or scores[0][0] < FUZZY_RATIO:
        return None
    if len(scores) > 1 and scores[0][0] - scores[1][0] < FUZZY_MARGIN:
        return None
    return scores[0][1]


def _echoes(word: str, echo: frozenset[str]) -> bool:
    return len(word) >= 4 and any(word.startswith(e[:5]) or e.startswith(word[:5]) for e in echo)


def _guess(
    text: str, words: Words, question: Question, meanings: Meanings, sentiment: Callable[[str], float] | None
) -> Reading:
    """Nothing matched as written: a close spelling of one label or meaning word, or the reply's feeling.

    A close spelling of a label ("goood", "pooor") is sure when one label is clearly meant, as before; a
    close spelling of a meaning word, a reply that only says the question back, and a feeling read from
    the words are all asked back.
    """
    phrase = " ".join(words)
    scores: list[tuple[float, str]] = []
    for answer in question.answers:
        best = 0.0
        for label in answer.labels:
            text = " ".join(label)
            if len(text) < FUZZY_MIN_LENGTH:
                continue
            size = len(label)
            for window in {phrase} | {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}:
                if len(window) >= 3:
                    best = max(best, fuzz.ratio(window, text))
        scores.append((best, answer.value))
    scores.sort(reverse=True)
    if any(w in meanings.negations for w in words):
        return _echo_turned_round(words, question, meanings)
    if scores and scores[0][0] >= FUZZY_RATIO and (len(scores) == 1 or scores[0][0] - scores[1][0] >= FUZZY_MARGIN):
        return Reading((scores[0][1],), len(words) <= 3)
    # A misspelt meaning word ("terible", "brillant"): the one close word, asked back.
    guesses: dict[str, float] = {}
    # Only in a short reply: in "the car park was full", "full" is not a misspelt "fully".
    for word in words if len(words) <= FUZZY_MOST_WORDS else ():
        if len(word) < FUZZY_MIN_LENGTH or word in meanings.known:
            continue
        for key, hits in meanings.phrases.items():
            if len(key) != 1 or len(key[0]) < FUZZY_MIN_LENGTH:
                continue
            score = fuzz.ratio(word, key[0])
            if score >= FUZZY_RATIO:
                for hit in hits:
                    guesses[hit.meaning] = max(guesses.get(hit.meaning, 0.0), score)
    if guesses:
        values: list[str] = []
        near: list[str] = []
        for meaning_id in guesses:
            for level, v, _ in _resolve(meaning_id, False, question, meanings):
                found = values if level <= 1 else near
                if v not in found:
                    found.append(v)
        if len(values) == 1:
            return Reading(tuple(values), False)
        if not values and len(near) in (1, 2) and len(guesses) == 1:
            return Reading(tuple(near), False)  # "nervus": unsure or unhappy, asked which
    # The question said back ("you listened to me"), with nothing else: yes, or no if it was turned round.
    if question.echo and all(_echoes(w, question.echo) or (w,) in meanings.fillers for w in words) and any(
        _echoes(w, question.echo) for w in words
    ):
        values = [v for _, v, _ in _resolve("echo_yes", False, question, meanings)]
        if len(values) == 1:
            return Reading(tuple(values), False)
    feeling = sentiment(text) if sentiment is not None else 0.0
    if abs(feeling) >= SENTIMENT_STRENGTH:
        meaning_id = "good" if feeling > 0 else "bad"
        values = []
        for level, value, _ in _resolve(meaning_id, False, question, meanings):
            if level <= 1 and value not in values:
                values.append(value)
        if len(values) == 1:
            return Reading(tuple(values), False)
    return NOTHING


def _echo_turned_round(words: Words, question: Question, meanings: Meanings) -> Reading:
    """The question said back with "not" ("not every month" to "Can we check in every month?"): no, asked back."""
    if not question.echo or not any(_echoes(w, question.echo) for w in words):
        return NOTHING
    if not all(w in meanings.negations or _echoes(w, question.echo) or (w,) in meanings.fillers for w in words):
        return NOTHING
    values = [v for level, v, _ in _resolve("echo_no", False, question, meanings) if level <= 1]
    return Reading((values[0],), False) if len(values) == 1 else NOTHING


def _without_amounts(words: Words, counted: Sequence[int]) -> Words:
    """`words` without each amount: the number, its unit after it and a "roughly" before it ("about 3 times")."""
    gone: set[int] = set()
    for i in counted:
        gone.add(i)
        if i + 1 < len(words) and words[i + 1] in COUNTED:
            gone.add(i + 1)
        if i > 0 and words[i - 1] in ROUGHLY:
            gone.add(i - 1)
    return tuple(word for i, word in enumerate(words) if i not in gone)
