"""The bot steps aside while a person from the team is replying (bot/engine/handover.py), and no message
can break that: the words go to the case, MENU and a pack keyword go back to the bot, risk comes first."""

from __future__ import annotations

from dataclasses import replace

from engine_kit import TUESDAY_10AM, make_context
from hypothesis import given
from hypothesis import strategies as st

from bot.engine.context import Handover
from bot.engine.engine import handle
from bot.engine.events import CaseMessage, FeedbackGiven, HandoverEnded, RiskDetected, Stopped
from bot.engine.state import Conversation
from bot.messages import Channel, Inbound

CASE = 7


def _step(library, texts, symbols, text: str = "", *, waiting_for_them: bool = True, conversation=None, **message):
    ctx = replace(make_context(library, texts, symbols, TUESDAY_10AM), handover=Handover(CASE, waiting_for_them))
    inbound = Inbound(text=text, channel=Channel.SMS, received_at=TUESDAY_10AM, **message)
    return handle(conversation or Conversation(), inbound, ctx)


def _texts(step) -> list[str]:
    return [m.text for m in step.reply.messages]


def test_words_go_to_the_case_with_one_line_after_a_staff_reply(library, texts, symbols) -> None:
    step = _step(library, texts, symbols, "We have waited nine months")
    assert [type(e) for e in step.events] == [CaseMessage]
    assert step.events[0] == CaseMessage(CASE, "We have waited nine months", None)
    assert _texts(step) == [
        "Thank you. A person from our team will read this today. Send MENU to go back to the questions."
    ]


def test_more_words_before_staff_answer_are_taken_quietly(library, texts, symbols) -> None:
    step = _step(library, texts, symbols, "and the letter was wrong", waiting_for_them=False)
    assert [type(e) for e in step.events] == [CaseMessage] and step.reply.messages == ()


def test_yes_and_numbers_answer_the_person_not_the_bot(library, texts, symbols) -> None:
    for said in ("YES", "yes", "2", "no thanks"):
        step = _step(library, texts, symbols, said)
        assert step.events == (CaseMessage(CASE, said, None),), said


def test_menu_and_a_keyword_go_back_to_the_bot(library, texts, symbols) -> None:
    menu = _step(library, texts, symbols, "MENU")
    assert step_events(menu) == [HandoverEnded] and "Which questions" in _texts(menu)[0]
    keyword = library.all()[0].keywords[0]
    pack = _step(library, texts, symbols, keyword)
    assert HandoverEnded(CASE) in pack.events and pack.conversation.in_pack
    tapped = _step(library, texts, symbols, choice=library.all()[0].id)
    assert HandoverEnded(CASE) in tapped.events and tapped.conversation.in_pack


def test_inside_a_pack_the_words_still_go_to_the_case(library, texts, symbols) -> None:
    pack = library.all()[0]
    started = _step(library, texts, symbols, pack.keywords[0])
    step = _step(library, texts, symbols, "sorry, about my message earlier", conversation=started.conversation)
    assert step.events == (CaseMessage(CASE, "sorry, about my message earlier", None),)
    assert step.conversation.in_pack, "the pack waits where it was"


def test_stop_and_risk_come_first(library, texts, symbols) -> None:
    stop = _step(library, texts, symbols, "STOP")
    assert step_events(stop) == [Stopped]
    risky = _step(library, texts, symbols, "I want to kill myself")
    assert RiskDetected in step_events(risky) and FeedbackGiven in step_events(risky)
    assert CaseMessage not in step_events(risky), "kept once, as a general message the host adds to the case"


def test_a_picture_is_noted_in_the_case(library, texts, symbols) -> None:
    step = _step(library, texts, symbols, media=("picture",))
    assert step.events == (CaseMessage(CASE, "", "picture"),)


def step_events(step) -> list[type]:
    return [type(e) for e in step.events]


@given(st.text(max_size=300), st.booleans())
def test_any_message_in_a_handover_is_handled(library, texts, symbols, text: str, waiting: bool) -> None:
    step = _step(library, texts, symbols, text, waiting_for_them=waiting)
    kinds = step_events(step)
    assert kinds.count(CaseMessage) <= 1
    if CaseMessage in kinds:
        assert HandoverEnded not in kinds and FeedbackGiven not in kinds
        assert len(step.reply.messages) == (1 if waiting else 0)
