"""Reading a number answer as people write it: "6", "six", "about 6 months", "a year and a half", "2 wks".

A number with a unit is converted to the question's unit ("6 months" to "How many weeks?" is 26). The
reading is sure only when nothing was rounded or bounded: "2 weeks", "14 days", "about 6" and "twenty six"
are sure; "6 months" (26.1 weeks), "over 6 weeks", "a couple of weeks" and "a year" (52.2 weeks) are asked
back first.
Two numbers that do not add up to one amount ("6 or 7", "6-8 weeks") are not guessed at.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

DAYS_IN = {"days": 1.0, "weeks": 7.0, "fortnights": 14.0, "months": 365.25 / 12, "years": 365.25}
UNITS = {
    **dict.fromkeys(["day", "days", "dy", "dys", "diwrnod", "diwrnodau", "niwrnod", "ddiwrnod", "dydd", "dyddiau",
                     "ddyddiau"], "days"),
    **dict.fromkeys(["week", "weeks", "wk", "wks", "wek", "weks", "weeek", "wythnos", "wythnosau"], "weeks"),
    **dict.fromkeys(["fortnight", "fortnights", "pythefnos", "bythefnos", "phythefnos"], "fortnights"),
    **dict.fromkeys(["month", "months", "mth", "mths", "mnth", "mnths", "mon", "mons", "monthes", "mis", "fis",
                     "misoedd"], "months"),
    **dict.fromkeys(["year", "years", "yr", "yrs", "blwyddyn", "flwyddyn", "blynedd", "mlynedd", "flynedd",
                     "mlwyddyn"], "years"),
}
# A number followed by one of these counts something ("3 months", "2 kids", "5 times"); after one of ROUGHLY
# it is an amount ("about 3"). Either way, at a choice question it is not answer 3 (bot/engine/understand.py).
COUNTED = frozenset(UNITS) | frozenset({
    "hour", "hours", "hr", "hrs", "minute", "minutes", "min", "mins", "time", "times", "kid", "kids", "child",
    "children", "people", "person", "star", "stars", "call", "calls", "appointment", "appointments", "visit",
    "visits", "session", "sessions", "letter", "letters", "mile", "miles", "percent", "am", "pm", "oclock",
    "awr", "oriau", "munud", "gwaith", "tro", "plant", "plentyn", "seren", "sêr", "ser", "galwad", "ymweliad",
})
ROUGHLY = frozenset({"about", "around", "roughly", "approx", "approximately", "nearly", "almost", "over",
                     "under", "tua", "bron", "oddeutu", "rhyw"})
SINGULAR = frozenset({"day", "week", "fortnight", "month", "year", "diwrnod", "wythnos", "pythefnos", "bythefnos",
                      "mis", "fis", "blwyddyn", "flwyddyn"})
# No wait at all, however it is said: 0, asked back ("didnt wait long" is not one of these).
NO_WAIT = (("didnt", "wait", "at", "all"), ("didnt", "have", "to", "wait"), ("no", "wait"), ("no", "waiting"),
           ("straight", "away"), ("straightaway",), ("right", "away"), ("no", "time", "at", "all"),
           ("didnt", "wait"), ("wasnt", "a", "wait"), ("dim", "aros"), ("ddim", "aros"), ("yn", "syth"),
           ("dim", "o", "gwbl"))
# "about 6 weeks" is the person's own best answer, stored as 6; "over 6 weeks" is not 6, so it is asked back.
LIMITS = frozenset({"over", "more", "less", "under", "least", "most", "plus", "dros", "mwy", "llai", "dan"})
ROUGH_COUNTS = {"couple": 2.0, "few": 3.0, "several": 3.0, "cwpl": 2.0, "ychydig": 3.0}
ONE = frozenset({"a", "an", "one", "un"})
HALF = frozenset({"half", "hanner"})
# What says "and a half" after a unit named alone: "a hanner", "and half", "and a half".
AND_A_HALF = tuple((*joint, half) for joint in (("a",), ("and",), ("and", "a")) for half in sorted(HALF))
_TOKENS = re.compile(r"\d+(?:[.,]\d+)?|[^\W\d_]+")
_APOSTROPHES = re.compile(r"[\u0027\u2018\u2019\u02bc\u0060]")
LONGEST_REPLY = 12  # words
# A "not" beside an amount ("not 6 weeks", "6 weeks not 8") may be correcting it: asked back, never stored.
NOT = frozenset({"not", "nt", "isnt", "wasnt", "never", "ddim", "nid", "no"})
UNIT_LIKE = 80  # out of 100: a word after a number this close to a unit is that unit, misspelt ("3 monts")
UNIT_LIKE_LENGTH = 4
# Words that may follow a bare number without saying what it counts ("6 i think", "6 or so", "6 tops").
AFTER_A_NUMBER = frozenset({"i", "we", "think", "ish", "or", "so", "and", "of", "roughly", "approx", "maybe",
                            "tops", "max", "at", "in", "total", "altogether", "before", "until", "til", "till",
                            "for", "but", "then", "now", "plus", "just", "only", "yes", "yeah", "lol", "x", "xx",
                            "thanks", "thank", "ta", "cheers", "please", "pls", "diolch", "dw", "dwi", "rwy",
                            "meddwl", "efallai", "falle", "tua", "neu", "a", "to", "weeks", "wks"})


@dataclass(frozen=True)
class Amount:
    value: float
    sure: bool


def read_amount(text: str, unit: str | None, numbers: Mapping[str, int]) -> Amount | None:
    """The one amount in `text`, in `unit` (None: a plain count); None when there is none, or two."""
    words = _TOKENS.findall(_APOSTROPHES.sub("", text.casefold()))
    if not words or len(words) > LONGEST_REPLY:
        return None
    rough = any(w in LIMITS for w in words)
    counted_else = False
    found: list[tuple[float, str | None, bool]] = []  # (number, unit, rough)
    i = 0
    while i < len(words):
        number, size, guess = _number_at(words, i, numbers)
        if number is None:
            i += 1
            continue
        i += size
        if i + 1 < len(words) and words[i] == "and" and words[i + 1] in HALF:  # "one and a half years"
            number, i = number + 0.5, i + 2
        elif i + 2 < len(words) and words[i] == "and" and words[i + 1] in ONE and words[i + 2] in HALF:
            number, i = number + 0.5, i + 3
        if i < len(words) and words[i] == "of":  # "a couple of weeks"
            i += 1
        said_unit = UNITS.get(words[i]) if i < len(words) else None
        if said_unit is None and i < len(words):
            if words[i] in COUNTED:
                # "6 times", "2 kids", "4 mins": an amount of something else, not of the question's unit. Set
                # aside, never read: "we have 2 kids, waited 5 weeks" is 5, asked back; "2 kids" alone is nothing.
                counted_else = True
                continue
            close = _close_unit(words[i])
            if close is not None:
                said_unit, guess = close, True  # "3 monts" is 3 months, asked back; never 3 weeks
            elif words[i] not in AFTER_A_NUMBER and not words[i].isdigit():
                guess = True  # "6 wicks": a word we do not know may be a unit we do not know; asked back
        if said_unit is not None:
            i += 1
            if i + 2 < len(words) and words[i] == "and" and words[i + 1] in ONE and words[i + 2] in HALF:
                number, i = number + 0.5, i + 3  # "a year and a half"
        found.append((number, said_unit, guess))
    if not found and _no_wait(words):
        return Amount(0.0, False)
    if not found:
        single = [UNITS[w] for w in words if w in SINGULAR]
        if len(single) != 1 or counted_else:
            return None
        # "blwyddyn" (a year); "blwyddyn a hanner" (a year and a half: Welsh says no "one")
        half = any(w in SINGULAR and _half_after(words, j) for j, w in enumerate(words))
        found = [(1.5 if half else 1.0, single[0], True)]
    with_units = [f for f in found if f[1] is not None]
    if len(found) > 1 and len(with_units) != len(found):
        return None  # "6 or 7 weeks", "6-8": not one amount
    if len(found) > 1 and len({f[1] for f in with_units}) != len(with_units):
        return None  # "2 weeks or 3 weeks"
    rough = rough or counted_else or any(guess for _, _, guess in found) or any(w in NOT for w in words)
    if unit is None:
        if with_units:
            return Amount(found[0][0], False) if len(found) == 1 else None
        value = found[0][0]
        return Amount(value, not rough)
    if not with_units:
        return Amount(found[0][0], not rough)
    days = sum(number * DAYS_IN[said] for number, said, _ in with_units if said is not None)
    exact = days / DAYS_IN[unit]
    same_unit = all(said == unit for _, said, _ in with_units)
    value = round(exact)
    whole = abs(exact - value) < 1e-9 and (same_unit or _exact_between(with_units, unit))
    return Amount(float(value) if not whole else exact, whole and not rough)


def _close_unit(word: str) -> str | None:
    """The unit a misspelt word after a number is ("monts", "weeeks", "yeers"), when one is clearly meant."""
    if len(word) < UNIT_LIKE_LENGTH or not word.isalpha():
        return None
    scores = sorted(((fuzz.ratio(word, name), unit) for name, unit in UNITS.items() if len(name) >= 3), reverse=True)
    best, unit = scores[0]
    if best < UNIT_LIKE:
        return None
    rivals = {u for score, u in scores if score >= best - 5}
    return unit if rivals == {unit} else None


def _no_wait(words: list[str]) -> bool:
    """ "didnt wait at all", "seen straight away": no wait; "didnt wait long" is some wait, not none."""
    if "long" in words or "much" in words:
        return False
    return any(tuple(words[i:i + len(phrase)]) == phrase for phrase in NO_WAIT for i in range(len(words)))


def _exact_between(amounts: list[tuple[float, str | None, bool]], unit: str) -> bool:
    """Days and weeks convert exactly; so do months and years. Weeks and months do not."""
    short = {"days", "weeks", "fortnights"}
    return all((said in short) == (unit in short) for _, said, _ in amounts)


def _half_after(words: list[str], j: int) -> bool:
    """Whether "and a half" follows the unit at `words[j]` ("blwyddyn a hanner", "year and a half")."""
    return any(tuple(words[j + 1:j + 1 + len(said)]) == said for said in AND_A_HALF)


def _number_at(words: list[str], i: int, numbers: Mapping[str, int]) -> tuple[float | None, int, bool]:
    """(number, words it took, whether it is a guess) at `words[i]`."""
    word = words[i]
    following = words[i + 1] if i + 1 < len(words) else ""
    if re.fullmatch(r"\d+(?:[.,]\d+)?", word):
        return float(word.replace(",", ".")), 1, False
    if word in ROUGH_COUNTS:
        return ROUGH_COUNTS[word], 1, True
    if word in HALF and following in ONE and i + 2 < len(words) and words[i + 2] in UNITS:
        return 0.5, 2, False  # "half a year"
    if word in HALF and following in UNITS:
        return 0.5, 1, False  # "hanner blwyddyn": Welsh says half a year without the "a"
    if word in ONE and following in UNITS:
        return 1.0, 1, False  # "a year", "one month"
    if word in ONE and following in ROUGH_COUNTS:
        return ROUGH_COUNTS[following], 2, True  # "a couple of weeks"
    if word in numbers:
        value = float(numbers[word])
        if 20 <= value <= 90 and value % 10 == 0 and following in numbers and 0 < numbers[following] < 10:
            return value + numbers[following], 2, False  # "twenty six"
        return value, 1, False
    return None, 1, False


def counts_something(words: Sequence[str], i: int, numbers: Mapping[str, int]) -> bool:
    """Whether the number at `words[i]` is an amount ("3 months", "about 3", "2 kids"), not a pick of answer 3."""
    word = words[i]
    if not (re.fullmatch(r"\d+(?:[.,]\d+)?", word) or word in numbers):
        return False
    following = words[i + 1] if i + 1 < len(words) else ""
    return following in COUNTED or (i > 0 and words[i - 1] in ROUGHLY)
