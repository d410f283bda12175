"""The engine reads a 👍 / 👎 / tell us more, or a YES to an invitation, only when it is one
(bot/engine/loop_reply.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content.packs.library import SHIPPED_PROMPTS, PackLibrary, Symbols, SystemTexts
from bot.content.words import loop_words
from bot.engine.context import Context
from bot.engine.engine import handle
from bot.engine.events import AnswerGiven, FeedbackGiven, LoopAnswered, Stopped
from bot.engine.state import Conversation, Stage
from bot.hours import WeeklyHours
from bot.messages import Channel, Inbound, Say
from bot.safeguarding.loading import shipped_safeguarding
from storage.loop.records import LoopQuestion

LONDON = ZoneInfo("Europe/London")
ASKED = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
LIBRARY = PackLibrary.load(SHIPPED_PROMPTS)
TEXTS = SystemTexts.load(SHIPPED_PROMPTS)
SYMBOLS = Symbols.load(SHIPPED_PROMPTS)


def followup(**changes) -> LoopQuestion:
    return LoopQuestion(**({"contact_id": 7, "kind": "followup", "language": "en", "asked_at": ASKED,
                            "answer": None} | changes))


def invitation(**changes) -> LoopQuestion:
    return LoopQuestion(**({"contact_id": 9, "kind": "invitation", "language": "en", "asked_at": ASKED,
                            "answer": None, "next_step": "Please phone Sam on 01632 960123 from Monday to Friday."}
                           | changes))


def step(text: str = "", *, question: LoopQuestion | None, conversation: Conversation | None = None,
         choice: str | None = None, question_id: str | None = None, later: timedelta = timedelta(hours=3)):
    now = ASKED + later
    ctx = Context(now=now, library=LIBRARY, texts=TEXTS, symbols=SYMBOLS,
                  office_hours=WeeklyHours.parse("Mon-Fri 09:00-17:00", LONDON), timezone=LONDON,
                  new_id="sub-1", loop_question=question,
                  safeguarding=shipped_safeguarding(), loop_words=loop_words())
    idle = conversation or Conversation(last_seen=ASKED - timedelta(days=3))
    message = Inbound(text=text, channel=Channel.SMS, received_at=now, choice=choice, question_id=question_id)
    return handle(idle, message, ctx)


def loop_events(result) -> list[LoopAnswered]:
    return [e for e in result.events if isinstance(e, LoopAnswered)]


def said(result) -> str:
    return " ".join(m.text for m in result.reply.messages)


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("1", "up"), ("👍", "up"), ("yes", "up"), ("YES", "up"), ("Yes it was", "up"), ("yeah", "up"),
        ("2", "down"), ("👎", "down"), ("no", "down"), ("No.", "down"),
        ("3", "more"), ("tell us more", "more"), ("💬", "more"), ("Dweud mwy", "more"), ("oedd", "up"),
    ],
)
def test_a_typed_answer_to_was_this_helpful_is_stored(typed, answer):
    result = step(typed, question=followup())
    assert loop_events(result) == [LoopAnswered(7, answer)]
    assert not any(isinstance(e, FeedbackGiven) for e in result.events)


def test_thumbs_up_is_thanked_and_thumbs_down_invites_more_words():
    assert "glad it helped" in said(step("1", question=followup()))
    assert "type a message to tell us more" in said(step("2", question=followup()))
    assert "Type your message" in said(step("3", question=followup()))


def test_the_thanks_is_in_the_language_of_the_followup():
    assert said(step("1", question=followup(language="cy"))).startswith("Diolch.")


def test_a_tap_counts_even_inside_a_pack_and_the_pack_carries_on():
    in_pack = Conversation(pack_id="demo", pack_version=1, submission_id="s1", stage=Stage.QUESTION,
                           question_id="overall", last_seen=ASKED + timedelta(hours=1))
    result = step(choice="down", question_id="helpful", question=followup(), conversation=in_pack)
    assert loop_events(result) == [LoopAnswered(7, "down")]
    assert result.conversation.pack_id == "demo" and result.conversation.question_id == "overall"


def test_inside_a_pack_a_typed_number_answers_the_pack():
    in_pack = Conversation(pack_id="demo", pack_version=1, submission_id="s1", stage=Stage.QUESTION,
                           question_id="overall", last_seen=ASKED - timedelta(hours=1))
    result = step("1", question=followup(), conversation=in_pack)
    assert loop_events(result) == []
    assert [e.value for e in result.events if isinstance(e, AnswerGiven)] == ["good"]


def test_a_typed_number_after_something_else_happened_is_not_an_answer():
    busy = Conversation(last_seen=ASKED + timedelta(minutes=30))  # they talked to us after it arrived
    assert loop_events(step("1", question=followup(), conversation=busy)) == []


def test_a_keyword_starts_its_pack_and_stop_stops():
    started = step("DEMO", question=followup())
    assert loop_events(started) == [] and started.conversation.pack_id == "demo"
    stopped = step("STOP", question=followup())
    assert loop_events(stopped) == [] and any(isinstance(e, Stopped) for e in stopped.events)


def test_free_words_in_reply_are_kept_with_the_followup():
    result = step("The new clinic is too far from the bus stop", question=followup())
    assert loop_events(result) == [LoopAnswered(7, "more", "The new clinic is too far from the bus stop")]
    assert "A person will read it" in said(result)


def test_after_tell_us_more_the_next_message_is_the_words():
    waiting = followup(answer="more", wants_words=True, asked_at=ASKED + timedelta(hours=1))
    after_more = Conversation(last_seen=ASKED + timedelta(hours=1))
    result = step("1 more thing: evenings would help", question=waiting, conversation=after_more)
    assert loop_events(result) == [LoopAnswered(7, "more", "1 more thing: evenings would help")]


def test_an_answered_followup_leaves_typed_messages_alone_but_a_tap_changes_the_answer():
    done = followup(answer="up")
    assert loop_events(step("2", question=done)) == []
    assert loop_events(step(choice="down", question_id="helpful", question=done)) == [LoopAnswered(7, "down")]


def test_a_tap_from_another_question_is_not_a_followup_answer():
    assert loop_events(step(choice="up", question_id="overall", question=followup())) == []


@pytest.mark.parametrize("typed", ["YES", "yes please", "1", "✅"])
def test_yes_to_an_invitation_gives_the_next_step(typed):
    result = step(typed, question=invitation())
    assert loop_events(result) == [LoopAnswered(9, "yes")]
    assert "Please phone Sam on 01632 960123 from Monday to Friday." in [m.text for m in result.reply.messages
                                                               if isinstance(m, Say)]


def test_no_to_an_invitation_is_kind_and_final():
    result = step("no thanks", question=invitation())
    assert loop_events(result) == [LoopAnswered(9, "no")]
    assert "That is fine" in said(result)


def test_words_that_answer_nothing_after_an_invitation_are_kept_as_feedback():
    result = step("What is it about?", question=invitation())
    assert loop_events(result) == []
    assert [e.text for e in result.events if isinstance(e, FeedbackGiven)] == ["What is it about?"]


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(max_size=80),
    choice=st.sampled_from([None, "up", "down", "more", "yes", "no", "x"]),
    question_id=st.sampled_from([None, "helpful", "invitation", "overall"]),
    kind=st.sampled_from(["followup", "invitation"]),
    answer=st.sampled_from([None, "up", "down", "more", "yes", "no"]),
    wants_words=st.booleans(),
)
def test_any_message_with_any_question_never_raises_and_answers_sensibly(
    text, choice, question_id, kind, answer, wants_words
):
    question = LoopQuestion(7, kind, "en", ASKED, answer, wants_words and kind == "followup")
    result = step(text, choice=choice, question_id=question_id, question=question)
    allowed = {"up", "down", "more"} if kind == "followup" else {"yes", "no"}
    for event in loop_events(result):
        assert event.contact_id == 7 and event.answer in allowed
        assert event.words is None or (event.answer == "more" and event.words.strip())
    assert result.reply.messages  # a person always hears something back
