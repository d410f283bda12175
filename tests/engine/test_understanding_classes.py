"""Classes of reply the review of held-out set 3 found missing: who a pack is for, starting again, and "not"
before a degree or a liking (bot/engine/naming.py, bot/engine/understand.py)."""

from __future__ import annotations

import pytest
from engine_kit import Chat, kept_for_a_person, render
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.content.packs.library import PackLibrary
from bot.engine import understand
from bot.engine.asks import reading_for
from bot.engine.context import Context
from bot.engine.events import FeedbackGiven
from bot.engine.state import Stage
from bot.messages import Ask, Channel

AGE_SAID = ["for my daughter, shes {age}", "my son is {age}", "its for my boy hes {age}", "my girl aged {age}",
            "for my son, {age} years old", "i fy merch, {age} oed"]


def _menu_shown(step: object) -> bool:
    return any(isinstance(m, Ask) and m.question_id == "menu" for m in step.reply.messages)  # type: ignore[attr-defined]


def _filed(step: object) -> bool:
    return any(isinstance(e, FeedbackGiven) for e in step.events)  # type: ignore[attr-defined]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(said=st.sampled_from(AGE_SAID), age=st.integers(min_value=1, max_value=12))
def test_a_young_childs_age_starts_the_childrens_pack(chat: Chat, said: str, age: int) -> None:
    chat.conversation = type(chat.conversation)()
    chat.channel = Channel.WEB
    step = chat.send(said.format(age=age))
    assert chat.conversation.pack_id == "children" and chat.conversation.stage is Stage.CONSENT, render(step)
    assert not _filed(step)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(said=st.sampled_from(AGE_SAID), age=st.integers(min_value=13, max_value=99))
def test_an_older_childs_age_never_guesses_a_pack(chat: Chat, said: str, age: int) -> None:
    """A teenager may be on the waiting list or answer for themselves: never the children's pack."""
    chat.conversation = type(chat.conversation)()
    chat.channel = Channel.WEB
    step = chat.send(said.format(age=age))
    assert chat.conversation.pack_id != "children", render(step)


@pytest.mark.parametrize("said", ["can i start over", "start again please", "from the beginning", "restart",
                                  "dechrau eto", "can i do it all again"])
def test_starting_again_outside_a_pack_gets_the_menu_not_the_staff_inbox(chat: Chat, said: str) -> None:
    chat.channel = Channel.WEB
    step = chat.send(said)
    assert _menu_shown(step) and not _filed(step), render(step)


@pytest.mark.parametrize("said", ["one more thing", "hello there, it is me again", "its over between us"])
def test_words_that_only_look_like_starting_again_stay_messages(chat: Chat, said: str) -> None:
    chat.channel = Channel.WEB
    assert kept_for_a_person(chat, said)


DEGREES = ["very", "really", "totally", "massively", "super", "completely", "a lot", "very much", "so much"]
YES_NO_QUESTIONS = [("children", "kind"), ("children", "safe"), ("easy_words", "safe"), ("parent_carer", "next_steps"),
                    ("waiting_list", "updates"), ("children", "listened")]


@settings(max_examples=150, deadline=None)
@given(degree=st.sampled_from(DEGREES), where=st.sampled_from(YES_NO_QUESTIONS),
       start=st.sampled_from(["not", "not really", "no not", "didnt feel", "wasnt"]))
def test_not_before_a_degree_at_a_yes_or_no_question_is_never_yes(
    library: PackLibrary, ctx: Context, degree: str, where: tuple[str, str], start: str
) -> None:
    pack = library.get(where[0])
    assert pack is not None
    question = pack.question(where[1])
    assert question is not None
    reading = understand.read(f"{start} {degree}", reading_for(question, pack, ctx), ctx.meanings,
                              ctx.texts.numbers)
    assert "yes" not in reading.values


@pytest.mark.parametrize("said", ["i dont like coming", "i dont like it", "i dont enjoy it", "didnt like coming here",
                                  "dwi ddim eisiau dod eto", "i dont love coming"])
def test_a_liking_turned_round_is_never_happy(library: PackLibrary, ctx: Context, said: str) -> None:
    pack = library.get("children")
    assert pack is not None
    question = pack.question("come_again")
    assert question is not None
    reading = understand.read(said, reading_for(question, pack, ctx), ctx.meanings, ctx.texts.numbers)
    assert "happy" not in reading.values and reading.values, said
