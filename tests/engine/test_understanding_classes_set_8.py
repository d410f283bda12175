"""Classes of reply the review of held-out set 8 found refused: short answer words one key or one sound
out ("saf", "shur", "eady", "yws", "pour" for poor, "ni thanks"), and the south's Welsh yes and no ("odw",
"nagodw", "odi"). Each is read as the word it stands for, and a "not" beside it still turns it round."""

from __future__ import annotations

import pytest
from engine_kit import read_at

from bot.content.packs.library import PackLibrary
from bot.engine.context import Context


@pytest.mark.parametrize(("pack", "question", "said", "value"), [
    ("children", "safe", "yes i felt saf", "yes"),
    ("easy_words", "feel", "not shur", "unsure"),
    ("parent_carer", "contact", "eady", "easy"),
    ("parent_carer", "contact", "very eady", "easy"),
    ("parent_carer", "next_steps", "yws", "yes"),
    ("parent_carer", "fft", "pour tbh", "poor"),
    ("demo", "hear_back", "ni thanks", "no"),
    ("parent_carer", "next_steps", "odw", "yes"),
    ("parent_carer", "next_steps", "nagodw", "no"),
    ("parent_carer", "next_steps", "nag odw", "no"),
])
def test_a_word_one_key_or_sound_out_is_the_word(library: PackLibrary, ctx: Context, pack: str, question: str,
                                                 said: str, value: str) -> None:
    reading = read_at(library, ctx, pack, question, said)
    assert reading.values == (value,), reading


@pytest.mark.parametrize(("pack", "question", "said", "value"), [
    ("parent_carer", "contact", "not eady", "easy"),
    ("parent_carer", "next_steps", "not yws", "yes"),
])
def test_a_not_beside_it_is_never_stored_as_the_word(library: PackLibrary, ctx: Context, pack: str, question: str,
                                                     said: str, value: str) -> None:
    reading = read_at(library, ctx, pack, question, said)
    assert not (reading.sure and reading.values == (value,)), reading
