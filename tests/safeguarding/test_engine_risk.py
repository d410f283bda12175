"""In the conversation: help comes first, before any question, on every channel; then the person chooses.

These run the pure engine with the shipped packs and lists, as one person would see it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from safeguarding_kit import SATURDAY_10AM, Person, cases, first_say, last_ask, names, texts_of

from bot.engine.events import AnswerGiven, CallbackRequested, FeedbackGiven, RiskDetected, SubmissionFinished
from bot.messages import Ask, Channel, Say
from bot.safeguarding.loading import shipped_safeguarding
from bot.safeguarding.signposting import Signposting

URGENT_INTRO = "Thank you for telling us. Your safety matters."
CONCERN_INTRO = "Thank you for telling us. That sounds hard."
EMERGENCY = "call 999"
CHILDLINE = "Childline"


def _signposts(step) -> list[str]:
    return [t for t in texts_of(step) if any(n in t for n in ("999", "116 123", "85258", "0800 1111", "0300"))]


@pytest.mark.parametrize("channel", list(Channel))
def test_mid_pack_the_help_comes_before_anything_else_on_every_channel(channel: Channel) -> None:
    person = Person(channel=channel)
    person.into_question("WAITING", "choice")
    step = person.send("i w@nt 2 d1e")
    assert first_say(step).text.startswith(URGENT_INTRO)
    messages = step.reply.messages
    first_ask = next(i for i, m in enumerate(messages) if isinstance(m, Ask))
    assert all(isinstance(m, Say) for m in messages[:first_ask])
    assert EMERGENCY in " ".join(m.text for m in messages[:first_ask])
    ask = last_ask(step)
    assert ask is not None and ask.question_id == "carry_on"
    assert ask.text == "Do you want to carry on with the questions?"
    assert [a.question_id for a in messages if isinstance(a, Ask)] == ["carry_on"], "no pack question yet"
    risk = next(e for e in step.events if isinstance(e, RiskDetected))
    assert (risk.level, risk.rules, risk.kept_as) == ("urgent", ("en.suicide_intent",), "feedback")
    assert names(step) == ["FeedbackGiven", "RiskDetected"], "the words are kept, then the alert"


def test_yes_carries_on_with_the_same_question_and_no_ends_kindly() -> None:
    person = Person()
    before = last_ask(person.into_question("WAITING", "choice"))
    person.send("I want to kill myself")
    again = person.send("yes")
    assert last_ask(again) == before and names(again) == []
    person.send("I want to kill myself")
    stop = person.send("no")
    assert stop.reply.ended
    assert "That is OK. We have kept your answers." in texts_of(stop)[-1]
    assert [type(e) for e in stop.events] == [SubmissionFinished]
    assert not person.conversation.in_pack


def test_words_answering_a_text_question_are_kept_as_the_answer_and_the_next_question_waits() -> None:
    person = Person()
    question = last_ask(person.into_question("WAITING", "text"))
    assert question is not None
    step = person.send("Nobody listens. I want to end my life")
    answer = next(e for e in step.events if isinstance(e, AnswerGiven))
    risk = next(e for e in step.events if isinstance(e, RiskDetected))
    assert answer.question_id == question.question_id and answer.text == "Nobody listens. I want to end my life"
    assert (risk.where, risk.kept_as, risk.submission_id) == (question.question_id, "answer", answer.submission_id)
    assert last_ask(step).question_id == "carry_on"
    following = last_ask(person.send("yes"))
    assert following is not None and following.question_id != question.question_id, "the next question now"


def test_outside_a_pack_the_message_is_kept_and_the_team_is_told_with_no_carry_on_question() -> None:
    step = Person().send("my dad hits me")
    assert first_say(step).text.startswith(URGENT_INTRO)
    assert [type(e) for e in step.events] == [FeedbackGiven, RiskDetected]
    assert next(e for e in step.events if isinstance(e, RiskDetected)).where == "feedback"
    texts = texts_of(step)
    assert any("We have told our team about your message. A person will read it today." in t for t in texts)
    assert any("send CALL ME" in t for t in texts)
    assert not any(isinstance(m, Ask) for m in step.reply.messages)


def test_a_stopped_person_still_gets_help_and_stays_stopped() -> None:
    person = Person()
    person.send("STOP")
    step = person.send("I am going to kill myself")
    assert first_say(step).text.startswith(URGENT_INTRO) and _signposts(step)
    assert person.conversation.stopped
    assert "RiskDetected" in names(step)


def test_a_negated_phrase_gets_the_gentler_words_and_a_concern_alert() -> None:
    step = Person().send("I'm not going to hurt myself")
    assert first_say(step).text.startswith(CONCERN_INTRO)
    assert next(e for e in step.events if isinstance(e, RiskDetected)).level == "concern"


def test_signposts_follow_the_audience() -> None:
    child = Person()
    child.into_question("KIDS", "choice")
    parent = Person()
    parent.into_question("PARENTS", "choice")
    assert any(CHILDLINE in t for t in _signposts(child.send("I want to die")))
    assert not any(CHILDLINE in t for t in _signposts(parent.send("I want to die")))


def test_the_duty_line_is_offered_in_office_hours_only() -> None:
    shipped = shipped_safeguarding()
    data = {"signposts": [
        {"id": "emergency", "text": {"en": "Call 999."}},
        {"id": "duty_line", "when": "office_hours", "number": "0300 123 4567", "text": {"en": "Call us on {number}."}},
    ], "texts": shipped.signposting.texts}
    ours = replace(shipped, signposting=Signposting.from_data(data, "test"))
    weekday = Person(safeguarding=ours).send("I want to die")
    weekend = Person(safeguarding=ours, now=SATURDAY_10AM).send("I want to die")
    assert "Call us on 0300 123 4567." in texts_of(weekday)
    assert "Call us on 0300 123 4567." not in texts_of(weekend) and "Call 999." in texts_of(weekend)


def test_help_comes_before_the_note_that_an_old_pack_was_closed() -> None:
    person = Person()
    person.into_question("WAITING", "choice")
    step = person.send("i want to die", after=timedelta(days=30))
    assert first_say(step).text.startswith(URGENT_INTRO)
    assert any("It has been a while" in t for t in texts_of(step))


def test_yes_to_carry_on_is_an_answer_not_start() -> None:
    person = Person()
    person.into_question("WAITING", "yesno")
    person.send("I want to die")
    step = person.send("YES")
    assert "Started" not in names(step)
    assert last_ask(step).kind == "yesno" and last_ask(step).question_id != "carry_on"


def test_call_me_on_a_phone_asks_to_use_this_number() -> None:
    person = Person(channel=Channel.SMS)
    ask = last_ask(person.send("CALL ME"))
    assert ask.text == "Do you want a person from our team to phone you on this number?"
    step = person.send("yes")
    assert [type(e) for e in step.events] == [CallbackRequested]
    assert step.events[0].phone is None
    assert "A person from our team will phone you today." in " ".join(texts_of(step))


@pytest.mark.parametrize("channel", [Channel.WEB, Channel.TELEGRAM])
def test_call_me_elsewhere_asks_for_a_number_and_keeps_asking_until_it_reads(channel: Channel) -> None:
    person = Person(channel=channel)
    assert last_ask(person.send("call me back")).text.startswith("Which number should we phone?")
    wrong = person.send("0770 09")
    assert "does not look like a phone number" in " ".join(texts_of(wrong)) and names(wrong) == []
    step = person.send("07700 900123")
    assert [type(e) for e in step.events] == [CallbackRequested]
    assert step.events[0].phone == "+447700900123"
    assert "+447700900123" not in repr(step.events[0]), "the number never shows in logs or reprs"


def test_no_to_a_call_back_goes_back_to_the_question() -> None:
    person = Person(channel=Channel.WEB)
    question = last_ask(person.into_question("DEMO", "choice"))
    person.send("CALL ME")
    step = person.send("no")
    assert "We will not phone you." in " ".join(texts_of(step))
    assert last_ask(step) == question and names(step) == []


def test_support_shows_where_to_get_help_then_the_question_again() -> None:
    person = Person()
    question = last_ask(person.into_question("WAITING", "choice"))
    step = person.send("SUPPORT")
    assert texts_of(step)[0] == "Here is where to get support." and _signposts(step)
    assert last_ask(step) == question and names(step) == []


def test_a_sensitive_pack_ends_with_one_line_of_where_to_get_help() -> None:
    person = Person()
    step = person.into_question("WAITING", "choice")
    for _ in range(10):
        ask = last_ask(step)
        if ask is None:
            break
        step = person.send(choice=ask.choices[0].value) if ask.choices else person.send("It was fine")
    texts = texts_of(step)
    assert step.reply.ended and step.reply.support
    # A young person who answered "Good" gets the outro and one line, not the whole list.
    assert texts == ["Thank you. We are here for you.", "If you are under 19, you can call Childline on 0800 1111."]


def test_not_good_is_met_kindly_with_a_person_and_one_line_of_help_then_the_next_question() -> None:
    person = Person()
    step = person.into_question("WAITING", "choice")
    step = person.send(choice="not_good")
    [said] = [m for m in step.reply.messages if isinstance(m, Say)]
    assert said.text.startswith("Thank you for telling us. We are sorry you feel like that.")
    assert "Childline on 0800 1111" in said.text and "send CALL ME" in said.text
    assert "Samaritans" not in said.text and "999" not in said.text, "one line, not the list"
    assert last_ask(step).question_id == "would_help" and step.reply.support
    assert not any(isinstance(e, RiskDetected) for e in step.events), "an answer is not an alert"


def test_no_to_feeling_safe_is_acknowledged_for_a_child() -> None:
    person = Person()
    step = person.send("KIDS")
    step = person.send(choice="yes")
    while last_ask(step).question_id != "safe":
        ask = last_ask(step)
        step = person.send(choice=ask.choices[0].value) if ask.choices else person.send("ok")
    step = person.send(choice="no")
    texts = texts_of(step)
    assert texts[0].startswith("Thank you for telling us.") and "CALL ME" in texts[0]
    assert last_ask(step).question_id == "come_again"
    good = person.send(choice="happy")
    assert not good.reply.support, "a good answer gets no safety words"


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(cases()["urgent"] + cases()["concern"]), st.sampled_from(["idle", "consent", "choice", "text"]),
       st.sampled_from(list(Channel)))
def test_any_risky_message_at_any_point_gets_help_first(message: str, where: str, channel: Channel) -> None:
    person = Person(channel=channel)
    if where == "consent":
        person.send(person.keyword("DEMO"))
    elif where != "idle":
        person.into_question("WAITING", where)
    step = person.send(message)
    first = step.reply.messages[0]
    assert isinstance(first, Say) and first.text.startswith(("Thank you for telling us.",))
    assert sum(isinstance(e, RiskDetected) for e in step.events) == 1
    assert all(isinstance(m, Say) for m in step.reply.messages[:-1])
