"""The pattern prefilter skips a pattern only on a clause it cannot match: never a match lost."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content.packs.yamlfile import SHIPPED_PROMPTS
from bot.safeguarding.detect import Detector
from bot.safeguarding.lists import LanguageList
from bot.safeguarding.loading import shipped_safeguarding
from bot.safeguarding.prefilter import required_text
from bot.safeguarding.training import shipped_messages

SHIPPED = shipped_safeguarding().detector
SOURCES = sorted({
    pattern.pattern.removeprefix("(?<!\\w)(?:").removesuffix(")(?!\\w)")
    for lst in SHIPPED.lists for entry in (*lst.rules, *lst.harmless) for pattern in entry.patterns
})


@pytest.mark.parametrize(
    ("source", "needs"),
    [
        (r"(took|taken) (about )?\d+ (pills|tablets)", {"pills", "tablets"}),  # the longer of two needs
        (r"(took|taken) \d+", {"ook", "aken"}),  # Python's parser takes the shared "t" out of the choice
        (r"kill(ed|ing)? me", {"kill"}),
        (r"(want|need) to (die|go)", {"want", "need"}),
        (r"(\w+ )?(going to|will) hurt", {" hurt"}),
        (r"i am (not )?safe", {"i am "}),
    ],
)
def test_a_pattern_needs_the_text_every_match_holds(source: str, needs: set[str]) -> None:
    assert required_text(source) == needs


@pytest.mark.parametrize("source", [r"\w+", r"(a|\w+)x?", r"\p{L}+ now", "zabiję", r"(kill)?"])
def test_a_pattern_with_no_certain_text_is_always_run(source: str) -> None:
    assert required_text(source) is None


def test_every_shipped_pattern_has_a_filter() -> None:
    assert SOURCES and all(required_text(source) for source in SOURCES)


@settings(max_examples=25)
@given(st.data())
def test_whatever_a_shipped_pattern_matches_holds_what_it_needs(data: st.DataObject) -> None:
    source = data.draw(st.sampled_from(SOURCES))
    text = data.draw(st.from_regex(source, fullmatch=True))
    needs = required_text(source)
    assert needs is not None and any(part in text.lower() for part in needs), (source, text)


def _unfiltered(lst: LanguageList) -> LanguageList:
    def plain(entries: tuple) -> tuple:  # type: ignore[type-arg]
        return tuple(replace(e, needs=(None,) * len(e.patterns)) for e in entries)

    return replace(lst, rules=plain(lst.rules), harmless=plain(lst.harmless))


def test_every_reviewed_message_is_read_the_same_with_and_without_the_filter() -> None:
    plain = Detector([_unfiltered(lst) for lst in SHIPPED.lists], SHIPPED.opinion)
    messages = [message for message, _ in shipped_messages(SHIPPED_PROMPTS)]
    assert len(messages) > 2000
    differ = [m for m in messages if plain.detect(m) != SHIPPED.detect(m)]
    assert differ == []
