"""A short message outside a pack that the bot cannot place is held and asked about, never lost
(bot/engine/held.py): "hey again" gets the menu and "Is that a message for our team? Reply YES", and YES files
it word for word; a number picks a pack and the held words are dropped; a longer message is filed at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from engine_kit import Chat, kept_for_a_person, render
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.engine.events import FeedbackGiven
from bot.engine.state import Conversation
from bot.messages import Ask, Channel

ASKED = "Is that a message for our team?"


def _filed(step: object) -> list[str]:
    return [e.text for e in step.events if isinstance(e, FeedbackGiven)]  # type: ignore[attr-defined]


def _menu(step: object) -> bool:
    return any(isinstance(m, Ask) and m.question_id == "menu" for m in step.reply.messages)  # type: ignore[attr-defined]


@pytest.fixture
def web(chat: Chat) -> Chat:
    chat.channel = Channel.WEB
    return chat


@pytest.mark.parametrize("said", ["ok the parking", "hi why so slow", "ok the nurse", "hello?? anyone"])
def test_a_few_words_the_bot_cannot_place_get_the_menu_and_a_question_not_the_inbox(web: Chat, said: str) -> None:
    step = web.send(said)
    assert not _filed(step) and _menu(step) and ASKED in render(step), render(step)


@pytest.mark.parametrize("yes", ["yes", "YES", "yes please", "👍"])
def test_yes_sends_the_held_words_to_staff_exactly_as_written(web: Chat, yes: str) -> None:
    web.send("hi why so slow")
    step = web.send(yes)
    assert _filed(step) == ["hi why so slow"]
    assert "A person will read it" in render(step)


def test_in_welsh_ie_sends_it_and_the_question_is_asked_in_welsh(web: Chat) -> None:
    web.conversation = Conversation(language="cy")
    asked = web.send("helo, fi eto")
    assert "Ydy hwnna'n neges i'n tîm?" in render(asked)
    assert _filed(web.send("ie")) == ["helo, fi eto"]


def test_a_number_after_it_starts_that_pack_and_nothing_is_filed(web: Chat) -> None:
    web.send("hi why so slow")
    step = web.send("4")
    assert web.conversation.pack_id == "parent_carer" and not _filed(step)


def test_a_longer_message_after_it_is_filed_and_the_held_words_are_not(web: Chat) -> None:
    web.send("ok the nurse")
    step = web.send("my son has been on the waiting list since March and nobody has called")
    assert _filed(step) == ["my son has been on the waiting list since March and nobody has called"]


def test_no_drops_it_without_filing(web: Chat) -> None:
    web.send("ok the parking")
    assert not _filed(web.send("no"))


@pytest.mark.parametrize("said", ["Can I change my appointment", "the parking", "weeks and weeks",
                                  "hi, the car park was full again today"])
def test_a_message_with_no_small_talk_or_longer_is_filed_at_once(web: Chat, said: str) -> None:
    assert _filed(web.send(said)) == [said]


def test_a_picture_with_a_few_words_is_filed_at_once(web: Chat) -> None:
    assert _filed(web.send("look at this", media=("photo.jpg",))) == ["look at this"]


def test_a_yes_days_later_does_not_send_what_was_held(web: Chat) -> None:
    web.send("ok the parking")
    step = web.send("yes", after=timedelta(days=3))
    assert not _filed(step)


def test_held_words_survive_the_state_being_saved(web: Chat) -> None:
    web.send("ok the parking")
    restored = Conversation.from_dict(web.conversation.to_dict())
    assert restored.pending == "ok the parking"


def test_inside_a_pack_nothing_is_held(web: Chat) -> None:
    web.send("4")  # parent_carer: the invitation
    web.send("yes")
    assert web.conversation.in_pack and web.conversation.pending is None


WORDS = st.sampled_from(["hey", "again", "the", "wait", "nurse", "so", "long", "sorry", "me", "ok", "waiting",
                         "kids", "list", "why", "nobody", "called", "rude", "lovely", "parking", "😕", "?"])


@given(words=st.lists(WORDS, min_size=1, max_size=9))
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_message_outside_a_pack_is_lost_or_filed_twice(chat: Chat, words: list[str]) -> None:
    """Whatever a person writes, it is filed once (at once or on YES), or it was a pick, a greeting or small
    talk the bot answered; it is never silently dropped while the bot says it was kept, nor filed twice."""
    chat.conversation, chat.channel, chat.events = Conversation(), Channel.WEB, []
    said = " ".join(words)
    step = chat.send(said)
    if chat.conversation.in_pack or ASKED not in render(step):
        assert len(_filed(step)) <= 1
        return
    assert not _filed(step)
    assert kept_for_a_person(Chat(chat.library, chat.texts, chat.symbols, channel=Channel.WEB), said)
