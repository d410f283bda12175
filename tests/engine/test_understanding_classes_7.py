"""Classes of reply the review of held-out set 7 found missed at the menu: more than one pack at once ("both",
Welsh "y dau" was pack 2), a menu number with its title beside it, and who a pack is for said around its name
(bot/engine/engine.py `_menu_choice`, bot/engine/naming.py, prompts/meanings/)."""

from __future__ import annotations

import pytest
from engine_kit import Chat, render
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.engine.events import FeedbackGiven
from bot.engine.state import Conversation
from bot.messages import Ask, Channel

MENU_ORDER = ["children", "demo", "easy_words", "parent_carer", "waiting_list"]
TITLES = {"children": "kids", "demo": "your last visit", "easy_words": "easy words",
          "parent_carer": "parents and carers", "waiting_list": "waiting list"}


def _menu_shown(step: object) -> bool:
    return any(isinstance(m, Ask) and m.question_id == "menu" for m in step.reply.messages)  # type: ignore[attr-defined]


@pytest.mark.parametrize(("said", "lang"), [("both", "en"), ("both of them please", "en"), ("all of them", "en"),
                                            ("y dau", "cy"), ("y ddau plis", "cy"), ("pob un", "cy")])
def test_more_than_one_pack_at_once_gets_the_menu_never_a_guess(chat: Chat, said: str, lang: str) -> None:
    chat.conversation, chat.channel = Conversation(language=lang), Channel.WEB
    step = chat.send(said)
    assert not chat.conversation.in_pack and _menu_shown(step), render(step)
    assert not any(isinstance(e, FeedbackGiven) for e in step.events)


@given(number=st.integers(min_value=1, max_value=5), named=st.sampled_from(MENU_ORDER),
       joint=st.sampled_from([" - ", ". ", ") ", " ", ": "]))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_number_with_a_title_starts_that_pack_only_when_they_agree(chat: Chat, number: int, named: str,
                                                                     joint: str) -> None:
    chat.conversation, chat.channel = Conversation(), Channel.WEB
    step = chat.send(f"{number}{joint}{TITLES[named]}")
    if MENU_ORDER[number - 1] == named:
        assert chat.conversation.pack_id == named, render(step)
    else:
        assert not chat.conversation.in_pack and _menu_shown(step), render(step)


@given(number=st.integers(min_value=0, max_value=9), glued=st.text(max_size=12))
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_number_with_anything_glued_on_gets_an_answer(chat: Chat, number: int, glued: str) -> None:
    # "2¾ (x": one piece of text that reads as more than one word; the menu must still answer, never fail.
    chat.conversation, chat.channel = Conversation(), Channel.SMS
    step = chat.send(f"{number}{glued}")
    assert step.reply.messages, render(step)


@pytest.mark.parametrize(("said", "pack"), [
    ("me n my mate want to do the waiting one", "waiting_list"),
    ("he has adhd can he do the easy words one", "easy_words"),
    ("ok the carers one", "parent_carer"),
    ("dwi'n ofalwr i fy nain", "parent_carer"),
])
def test_who_it_is_for_around_a_name_still_names_the_pack(chat: Chat, said: str, pack: str) -> None:
    chat.channel = Channel.WEB
    chat.send(said)
    assert chat.conversation.pack_id == pack


@pytest.mark.parametrize("said", ["not the waiting one", "no not the kids one", "ok not that one"])
def test_a_name_said_with_not_never_starts_that_pack(chat: Chat, said: str) -> None:
    chat.channel = Channel.WEB
    chat.send(said)
    assert not chat.conversation.in_pack
