"""Which pack a reply at the menu names, by what people call it: "the waiting one", "carers feedback",
"my son wants to do the kids one", "tel us how we did", "sut oedd hi".

A pack is known by its titles (whole, and each side of the colon: "For young people" / "while you wait"),
its phone `action`, its start keywords and its `names:` (a title it had before, how people describe it).
A reply names a pack when every word in it is one of that pack's names, a word that only asks for something
to do ("can i do", "the one", "survey"), a greeting or a filler, and no other pack's names claim a word the
first does not. A name of three or more words may be misspelt ("tell us about your vist").

The answer is one of:
- a pack id: start it;
- `MENU`: the reply asks for something to do but names no one pack ("can i do the survey", "your visit",
  which two packs fit, "its for my son"): show the menu, never guess and never file it for staff;
- None: the words say something else, which is kept as a message for a person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.content.meanings import Meanings, Words
from bot.content.packs.model import Pack
from bot.engine.quantities import COUNTED

MENU = "menu"
# Asking about something, not for something to do: "who is it about?" is for a person; "who is this" asks
# what this is by its "this" and gets the menu (dev set 3: Welsh "beth yw hwn?", colloquial "be", "pwy", "pam").
QUESTION_WORDS = frozenset({"what", "which", "how", "who", "whos", "why", "beth", "be", "pa", "sut", "pwy", "pam"})
MOST_WORDS = 16  # a longer reply is a message, not a choice from the menu ("my son has a learning disability
# can he do the one with pictures" is 13)
# "children or parents idk": not knowing which pack asks for the menu, it is not a message
DOUBT = frozenset({"dont_know", "unsure"})
PLAIN = frozenset({"ok", "yes"})  # "ok and the one for kids?", "yes the pictures one": neither a name nor a message
FUZZY_RATIO = 88  # out of 100, for a misspelt name of three words or more
FUZZY_LEAST_WORDS = 3
FUZZY_LEAST_LETTERS = 12  # "how was he" is not a misspelt "how was it"
# A shorter name is read close only where no list knows the word: "chidren", "waitng list"; never "writing"
CLOSE_RATIO = 90
CLOSE_LEAST_LETTERS = 7
CLOSE_MOST_UNKNOWN = 2  # words; more unknown words are a message however close one of them is
# "for my daughter, shes 8": an age this young names the one pack made for children (`audience: child`);
# an older child may be on the waiting list or answering for themselves, so the menu is shown instead.
CHILD_UP_TO = 12  # years
CHILD = "child"


@dataclass(frozen=True)
class PackNames:
    pack_id: str
    names: tuple[Words, ...]
    keywords: tuple[Words, ...] = ()  # its start words, made singular: each also one of its names
    # start words that also just ask ("FEEDBACK"): they decide only when no name does ("visit feedback")
    asking: tuple[Words, ...] = ()
    audience: str = ""
    typed: tuple[Words, ...] = ()  # its start words as typed, not made singular: PARENTS, never "parent"


_KNOWN: dict[tuple[int, ...], tuple[tuple[object, ...], tuple[PackNames, ...]]] = {}
_MOST_KNOWN = 32  # (library, channel) pairs; a library reloaded after an edit is new objects


def pack_names(packs: Sequence[Pack], meanings: Meanings) -> tuple[PackNames, ...]:
    """Every pack's names, worked out once per loaded library (2 ms a time, too slow for every message).

    Kept by the objects' identity, and held, so an id cannot be reused while its entry is here."""
    held = (meanings, *packs)
    key = tuple(id(o) for o in held)
    found = _KNOWN.get(key)
    if found is not None and all(a is b for a, b in zip(found[0], held, strict=True)):
        return found[1]
    if len(_KNOWN) >= _MOST_KNOWN:
        _KNOWN.clear()
    names = _pack_names(packs, meanings)
    _KNOWN[key] = (held, names)
    return names


def _pack_names(packs: Sequence[Pack], meanings: Meanings) -> tuple[PackNames, ...]:
    """Every pack's names as folded words. A keyword that only asks for something ("FEEDBACK") still starts
    its pack as a whole message, but inside a longer reply it names nothing: "carers feedback" is carers."""
    out = []
    for pack in packs:
        texts: list[str] = []
        for title in pack.title.values():
            texts.append(title)
            texts.extend(part.removeprefix("For ").removeprefix("for ") for part in title.split(":", 1))
        texts.extend((pack.action or {}).values())
        texts.extend(name for names in pack.names.values() for name in names)
        every = {meanings.normalise(k) for k in pack.keywords} - {()}
        asking: set[Words] = {k for k in every if len(k) == 1 and k[0] in meanings.menu_requests}
        keywords = every - asking
        found = {meanings.normalise(t) for t in texts} | keywords
        out.append(PackNames(pack.id, _singular(found), _singular(keywords), _singular(asking), str(pack.audience),
                             tuple(sorted(every))))
    return tuple(out)


def _one(word: str) -> str:
    """A name's word without its plural: "parent" names what "parents" does, "carer" what "carers" does."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def named(text: str, packs: Sequence[PackNames], meanings: Meanings) -> str | None:
    """The pack id `text` names, `MENU` when it asks for one without naming one pack, or None."""
    words = meanings.normalise(text)
    if not words or len(words) > MOST_WORDS:
        return None
    singular = tuple(_one(w) for w in words)
    claims: dict[str, set[int]] = {}  # pack id -> the positions its names cover
    for pack in packs:
        covered = _covered(singular, pack.names)
        if covered:
            claims[pack.pack_id] = covered
    # "i have 2 kids which one": a number and what it counts tell us about the family, not which pack; the
    # counted word names nothing ("kids" is not the pack for children here) and the reply asks, like an age.
    counts = _counts(words)
    for pack_id in list(claims):
        claims[pack_id] -= counts
        if not claims[pack_id]:
            del claims[pack_id]
    claimed = set().union(*claims.values()) if claims else set()
    ages = _ages(words, meanings)
    doubt = _doubt(words, meanings)
    asking = bool(ages) or bool(counts) or bool(doubt)
    unknown = []
    for i, word in enumerate(words):
        if i in claimed or i in ages or i in counts or i in doubt:
            continue
        if word in meanings.menu_requests or singular[i] in meanings.menu_requests:  # "my sons", "my kids"
            # "what" alone asks about something ("What is it about?" after an invitation is for a person);
            # "what can i do here" asks for the menu by its other words
            asking = asking or word not in QUESTION_WORDS
        elif not (_in(words, i, meanings.fillers, meanings) or _in(words, i, meanings.greetings, meanings)
                  or _in(words, i, meanings.openers, meanings) or _plain(word, meanings)):
            unknown.append(i)
    if unknown:
        # A word that is neither a name nor a request makes it a message, perhaps about a pack, unless it is
        # a close spelling of a name of seven letters or more ("chidren", "waitng list")
        close = _close_claims(singular, unknown, packs) if len(unknown) <= CLOSE_MOST_UNKNOWN else {}
        if set().union(*close.values(), set()) != set(unknown):
            return None
        for pack_id, covered in close.items():
            claims[pack_id] = claims.get(pack_id, set()) | covered
        claimed |= set(unknown)
    # The pack whose names cover every named word: "tell u about ur visit" is all one title, though two
    # other titles end "your visit"; "pictures or carers" names two packs and gets the menu.
    whole = [pack for pack in packs if claims.get(pack.pack_id) == claimed and claimed]
    if len(whole) == 1:
        return whole[0].pack_id
    # Tied: a start keyword decides only typed alone (PARENTS is on the posters); "the parents one", "for
    # parents", "im a parent" fit two packs for parents, so the menu is shown, never a guess. A keyword that
    # also just asks decides anywhere in the reply ("visit feedback"): it names no audience.
    alone = [pack.pack_id for pack in whole if words in pack.typed]
    if len(alone) == 1:
        return alone[0]
    deciding = [pack.pack_id for pack in whole if _covered(singular, pack.asking)]
    if len(deciding) == 1:
        return deciding[0]
    if not claims and ages:
        young = [pack.pack_id for pack in packs if pack.audience == CHILD]
        if len(young) == 1 and all(age <= CHILD_UP_TO for age in ages.values()):
            return young[0]
    return MENU if claims or asking else None


def _plain(word: str, meanings: Meanings) -> bool:
    hits = meanings.phrases.get((word,), ())
    return bool(hits) and all(h.meaning in PLAIN for h in hits)


def _close_claims(words: Words, unknown: list[int], packs: Sequence[PackNames]) -> dict[str, set[int]]:
    """The unknown words a close spelling of a short name covers, by pack ("chidren" is "children")."""
    out: dict[str, set[int]] = {}
    allowed = set(unknown)
    for pack in packs:
        for name in pack.names:
            size = len(name)
            said = " ".join(name)
            if size >= FUZZY_LEAST_WORDS or len(said) < CLOSE_LEAST_LETTERS:
                continue  # a longer name is read close already; a short one is too like other words
            for start in range(len(words) - size + 1):
                span = set(range(start, start + size))
                window = " ".join(words[start:start + size])
                # a letter left out or changed ("chidren"), never one added: "checking" is not CHECKIN
                if span <= allowed and len(window) <= len(said) and fuzz.ratio(window, said) >= CLOSE_RATIO:
                    out.setdefault(pack.pack_id, set()).update(span)
    return out


def _doubt(words: Words, meanings: Meanings) -> set[int]:
    """Where the words say they do not know ("idk", "not sure", "no idea"): the positions they cover."""
    found: set[int] = set()
    for size in (1, 2, 3):
        for start in range(len(words) - size + 1):
            hits = meanings.phrases.get(words[start:start + size], ())
            if hits and all(h.meaning in DOUBT for h in hits):
                found.update(range(start, start + size))
    return found


def _counts(words: Words) -> set[int]:
    """Where a number counts people or things ("2 kids", "3 children"): the number and the counted word."""
    found: set[int] = set()
    for i, word in enumerate(words[:-1]):
        if word.isdigit() and words[i + 1] in COUNTED:
            found |= {i, i + 1}
    return found


def _ages(words: Words, meanings: Meanings) -> dict[int, int]:
    """Where a number is someone's age ("shes 8", "aged 6", "8 years old", "8 oed"), and the age."""
    found: dict[int, int] = {}
    for i, word in enumerate(words):
        if word.isdigit() and len(word) <= 2 and (
            (i > 0 and words[i - 1] in meanings.ages) or (i + 1 < len(words) and words[i + 1] in meanings.ages)
        ):
            found[i] = int(word)
    return found


def _singular(names: set[Words]) -> tuple[Words, ...]:
    return tuple(sorted({tuple(_one(w) for w in name) for name in names if name}))


def _covered(words: Words, names: tuple[Words, ...]) -> set[int]:
    covered: set[int] = set()
    for name in names:
        size = len(name)
        for start in range(len(words) - size + 1):
            window = words[start:start + size]
            if window == name or (size >= FUZZY_LEAST_WORDS and len(" ".join(name)) >= FUZZY_LEAST_LETTERS
                                  and fuzz.ratio(" ".join(window), " ".join(name)) >= FUZZY_RATIO):
                covered.update(range(start, start + size))
    return covered


def _in(words: Words, i: int, group: frozenset[Words], meanings: Meanings) -> bool:
    """Whether the word at `i` is part of a phrase in `group` ("thank you", "sorry for the late reply")."""
    for size in range(1, max(3, meanings.longest_greeting) + 1):
        for start in range(max(0, i - size + 1), min(i, len(words) - size) + 1):
            if words[start:start + size] in group:
                return True
    return False
