"""Commands work anywhere, in any case, in English and Welsh; YES is START only when nothing asks yes or no."""

from __future__ import annotations

from datetime import timedelta

import pytest
from engine_kit import Chat

from bot.engine.events import (
    AnswerGiven,
    FeedbackGiven,
    ForgetConfirmed,
    LanguageChosen,
    Started,
    Stopped,
    SubmissionFinished,
)
from bot.engine.state import Awaiting, Stage
from bot.messages import Ask, Say


def _in_demo(chat: Chat, *answers: str) -> None:
    chat.send("DEMO")
    chat.send("yes")
    for answer in answers:
        chat.send(answer)


def _names(step: object) -> list[str]:
    return [type(e).__name__ for e in step.events]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "word",
    ["STOP", "stop", " Stop. ", "STOPALL", "stop all", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT",
     "opt-out", "STOPIO", "/stop"],
)
def test_every_stop_word_stops_at_once(chat: Chat, word: str) -> None:
    _in_demo(chat, "1")
    step = chat.send(word)
    assert _names(step) == ["Stopped"]
    assert chat.conversation.stopped
    (say,) = step.reply.messages
    assert isinstance(say, Say) and "START" in say.text


@pytest.mark.parametrize("word", ["START", "start", "UNSTOP", "Yes", "DECHRAU", "/start"])
def test_start_words_resume_at_the_same_question(chat: Chat, word: str) -> None:
    _in_demo(chat, "1")
    chat.send("STOP")
    step = chat.send(word)
    assert _names(step) == ["Started"]
    asks = [m for m in step.reply.messages if isinstance(m, Ask)]
    assert asks and asks[-1].question_id == "listened"


def test_yes_answers_a_yes_no_question_instead_of_starting(chat: Chat) -> None:
    _in_demo(chat, "1", "2", "3")
    step = chat.send("YES")
    assert next(e for e in step.events if isinstance(e, AnswerGiven)).value == "yes"
    assert not any(isinstance(e, Started) for e in step.events)


def test_while_stopped_nothing_but_the_way_back_is_said(chat: Chat) -> None:
    _in_demo(chat)
    chat.send("stop")
    for text in ("1", "HELP", "MENU", "DEMO", "hello?"):
        step = chat.send(text)
        (say,) = step.reply.messages
        assert isinstance(say, Say) and "START" in say.text
        assert _names(step) == ["FeedbackGiven"]
    assert chat.conversation.stage is Stage.QUESTION, "the place is kept for START"


@pytest.mark.parametrize(("word", "language"), [("HELP", "en"), ("info", "en"), ("Cymorth", "cy"), ("HELPU", "cy")])
def test_help_explains_and_asks_again(chat: Chat, word: str, language: str) -> None:
    if language == "cy":
        chat.send("CYMRAEG")
    _in_demo(chat, "1")
    text = chat.says(word)
    hours = "Monday to Friday, 9am to 5pm" if language == "en" else "Dydd Llun i ddydd Gwener, 9yb tan 5yh"
    assert hours in text
    assert ("STOP" if language == "en" else "STOPIO") in text
    assert text.rstrip().splitlines()[-1].startswith(("Reply", "Atebwch")), "the question comes last"


@pytest.mark.parametrize("word", ["SKIP", "skip", "pass", "NEXT", "Sgipio", "nesaf"])
def test_skip_records_a_skip_and_moves_on(chat: Chat, word: str) -> None:
    _in_demo(chat)
    step = chat.send(word)
    (answer,) = [e for e in step.events if isinstance(e, AnswerGiven)]
    assert answer.skipped and answer.value is None and answer.question_id == "overall"
    assert chat.conversation.question_id == "listened"


@pytest.mark.parametrize("word", ["BACK", "back", "go back", "Nol", "yn ôl"])
def test_back_returns_to_the_previous_question(chat: Chat, word: str) -> None:
    _in_demo(chat, "good")
    step = chat.send(word)
    assert chat.conversation.question_id == "overall"
    assert step.events == ()
    step = chat.send("poor")
    assert [e.value for e in step.events if isinstance(e, AnswerGiven)] == ["poor"]
    assert chat.conversation.answers["overall"] == "poor"


@pytest.mark.parametrize("word", ["REPEAT", "again", "Ailadrodd"])
def test_repeat_shows_the_question_again_without_counting_a_try(chat: Chat, word: str) -> None:
    _in_demo(chat)
    step = chat.send(word)
    assert isinstance(step.reply.messages[-1], Ask) and step.reply.messages[-1].question_id == "overall"
    assert chat.conversation.tries == 0


@pytest.mark.parametrize("word", ["RESTART", "start again", "AILDDECHRAU"])
def test_restart_abandons_and_starts_again(chat: Chat, word: str) -> None:
    _in_demo(chat, "good")
    step = chat.send(word)
    assert step.events == (SubmissionFinished("sub-2", "abandoned"),)
    assert chat.conversation.stage is Stage.CONSENT and chat.conversation.answers == {}


@pytest.mark.parametrize("word", ["MENU", "menu", "DEWISLEN", "list"])
def test_menu_lists_packs_and_a_pick_starts_one(chat: Chat, word: str) -> None:
    step = chat.send(word)
    (ask,) = step.reply.messages
    assert isinstance(ask, Ask) and ask.question_id == "menu"
    demo_key = next(c.key for c in ask.choices if c.value == "demo")
    step = chat.send(demo_key)
    assert chat.conversation.pack_id == "demo" and chat.conversation.stage is Stage.CONSENT


def test_leaving_the_menu_unanswered_carries_on_with_the_question(chat: Chat) -> None:
    _in_demo(chat)
    chat.send("menu")
    step = chat.send("Good")
    assert [e.value for e in step.events if isinstance(e, AnswerGiven)] == ["good"]
    assert chat.conversation.awaiting is None


@pytest.mark.parametrize("word", ["FORGET ME", "forget me", "Delete my data", "ANGHOFIO FI", "dileu fy data"])
def test_forget_me_needs_a_yes(chat: Chat, word: str) -> None:
    _in_demo(chat, "good")
    step = chat.send(word)
    assert chat.conversation.awaiting is Awaiting.FORGET and step.events == ()
    step = chat.send("yes")
    assert _names(step) == ["SubmissionFinished", "ForgetConfirmed"]
    assert chat.conversation.pack_id is None and chat.conversation.answers == {}


def test_forget_me_keeps_a_stop(chat: Chat) -> None:
    chat.send("STOP")
    chat.send("FORGET ME")
    step = chat.send("YES")
    assert ForgetConfirmed() in step.events
    assert chat.conversation.stopped, "forgetting someone must not start messages to them again"


@pytest.mark.parametrize("word", ["no", "nope", "2", "❌"])
def test_forget_me_answered_no_deletes_nothing(chat: Chat, word: str) -> None:
    _in_demo(chat, "good")
    chat.send("forget me")
    step = chat.send(word)
    assert step.events == ()
    assert chat.conversation.awaiting is None and chat.conversation.question_id == "listened"


@pytest.mark.parametrize(
    ("word", "language"),
    [("CYMRAEG", "cy"), ("welsh", "cy"), ("Cymraeg!", "cy"), ("ENGLISH", "en"), ("saesneg", "en")],
)
def test_language_words_switch_at_once(chat: Chat, word: str, language: str) -> None:
    if language == "en":
        chat.send("cymraeg")
    _in_demo(chat, "poor")
    step = chat.send(word)
    assert LanguageChosen(language) in step.events
    ask = step.reply.messages[-1]
    assert isinstance(ask, Ask) and ask.language == language and ask.question_id == "listened"
    assert chat.conversation.answers == {"overall": "poor"}, "answers survive a language switch"


@pytest.mark.parametrize("pick", ["2", "Cymraeg", "cymraeg", "dau", "cy"])
def test_language_asks_then_switches(chat: Chat, pick: str) -> None:
    _in_demo(chat)
    step = chat.send("LANGUAGE")
    (ask,) = step.reply.messages
    assert isinstance(ask, Ask) and [c.value for c in ask.choices] == ["en", "cy"]
    step = chat.send(pick)
    assert LanguageChosen("cy") in step.events and chat.conversation.language == "cy"


def test_a_language_button_switches(chat: Chat) -> None:
    chat.send("iaith")
    step = chat.send(choice="cy")
    assert LanguageChosen("cy") in step.events


def test_commands_need_the_whole_message(chat: Chat) -> None:
    _in_demo(chat, "good", "3", "5")
    step = chat.send("please stop asking me about the waiting room")
    assert not any(isinstance(e, Stopped) for e in step.events) and not chat.conversation.stopped
    assert step.events == ()
    assert "Sorry, we did not understand that." in chat.says("cancel the appointment")


def test_a_keyword_mid_pack_shows_where_they_left_off(chat: Chat) -> None:
    _in_demo(chat, "good")
    text = chat.says("feedback")
    assert "Here is where you left off." in text and "How well did we listen" in text
    assert chat.events.count(SubmissionFinished("sub-2", "abandoned")) == 0


def test_feedback_while_stopped_is_kept_and_pack_id_remembered(chat: Chat) -> None:
    _in_demo(chat)
    chat.send("stop")
    step = chat.send("the nurse was kind", after=timedelta(minutes=3))
    assert step.events == (FeedbackGiven("the nurse was kind", None, "demo"),)
