"""Walking through packs: progress, conditions, buttons, long words, time away, packs that change."""

from __future__ import annotations

from datetime import timedelta

from engine_kit import Chat

from bot.content.packs.library import PackLibrary, Symbols, SystemTexts
from bot.engine.events import (
    AnswerGiven,
    ConsentGiven,
    FeedbackGiven,
    Started,
    SubmissionFinished,
    SubmissionStarted,
)
from bot.engine.state import Conversation, Stage
from bot.messages import Ask, Say


def _ask(step: object) -> Ask:
    asks = [m for m in step.reply.messages if isinstance(m, Ask)]  # type: ignore[attr-defined]
    assert asks, "expected a question"
    return asks[-1]


def test_a_question_carries_everything_a_channel_needs(chat: Chat) -> None:
    chat.send("DEMO")
    ask = _ask(chat.send("yes"))
    assert (ask.question_id, ask.kind, ask.language, ask.symbol, ask.emoji) == ("overall", "choice", "en", "star", "⭐")
    assert [(c.key, c.value, c.label, c.symbol, c.emoji) for c in ask.choices] == [
        ("1", "good", "Good", "happy", "😀"), ("2", "ok", "OK", "unsure", "😐"), ("3", "poor", "Poor", "unhappy", "🙁")
    ]
    assert ask.hint == "Reply 1, 2 or 3."
    assert ask.progress == (1, 5) and not ask.optional


def test_consent_comes_before_anything_is_stored(chat: Chat) -> None:
    step = chat.send("DEMO")
    assert step.events == () and _ask(step).question_id == "consent"
    step = chat.send("no")
    assert step.events == () and step.reply.ended and chat.conversation.stage is Stage.IDLE
    chat.send("DEMO")
    step = chat.send("yes")
    assert step.events == (SubmissionStarted("sub-4", "demo", 3, "en"),)


def test_a_button_wins_over_the_words_with_it(chat: Chat) -> None:
    chat.send("DEMO")
    chat.send("yes")
    step = chat.send("Poor", choice="good")
    assert [e.value for e in step.events if isinstance(e, AnswerGiven)] == ["good"]
    chat.send("3")
    step = chat.send("12", choice="7")
    assert [e.number for e in step.events if isinstance(e, AnswerGiven)] == [7.0]


def test_a_scale_answer_carries_its_number(chat: Chat) -> None:
    chat.send("DEMO")
    chat.send("yes")
    chat.send("good")
    step = chat.send("a lot")
    assert step.events == (AnswerGiven("sub-2", "listened", "3", 3.0, None, False),)


def test_a_yes_no_with_a_purpose_records_consent(chat: Chat) -> None:
    chat.send("DEMO")
    for answer in ("yes", "good", "3", "skip"):
        chat.send(answer)
    step = chat.send("no thanks")
    assert ConsentGiven("hear_back", False) in step.events
    assert step.events[-1] == SubmissionFinished("sub-2", "completed") and step.reply.ended


def test_many_words_at_a_choice_question_are_kept_not_lost(chat: Chat) -> None:
    chat.send("DEMO")
    chat.send("yes")
    story = "we waited two hours and nobody told us why, my daughter was very upset"
    step = chat.send(story)
    assert step.events == (FeedbackGiven(story, None, "demo"),)
    shown = " ".join(m.text for m in step.reply.messages)
    assert "We have kept your message" in shown and "Sorry" not in shown
    assert _ask(step).question_id == "overall" and chat.conversation.tries == 0


def test_long_text_answers_are_cut_with_a_kind_note(test_chat: Chat) -> None:
    test_chat.send("KINDS")
    for answer in ("ok", "3", "n", "12"):
        test_chat.send(answer)
    step = test_chat.send("x" * 10_000)
    (answer,) = [e for e in step.events if isinstance(e, AnswerGiven)]
    assert answer.text == "x" * 20
    assert any(isinstance(m, Say) and "We kept the first 20 letters." in m.text for m in step.reply.messages)


def test_a_sensitive_pack_ends_with_one_line_of_help(test_chat: Chat) -> None:
    test_chat.send("KINDS")
    for answer in ("ok", "very happy", "y", "every week", "fifteen"):
        test_chat.send(answer)
    step = test_chat.send("that is all")
    texts = [m.text for m in step.reply.messages]
    # Not seven messages: the outro and one line of where to get help, which the reply marks so a
    # channel does not bury it under the list of packs.
    assert texts == ["All done.", "If you are under 19, you can call Childline on 0800 1111."]
    assert step.reply.support and step.reply.ended


def test_progress_counts_only_questions_that_may_still_come(test_chat: Chat) -> None:
    test_chat.send("KINDS")
    assert _ask(test_chat.send("ok")).progress == (1, 5)
    assert _ask(test_chat.send("2")).progress == (2, 5)
    assert _ask(test_chat.send("no")).progress == (3, 4), "'how often' no longer applies"
    test_chat.send("back")
    assert _ask(test_chat.send("yes")).progress == (3, 5)


def test_a_deep_link_restarts_messages_for_someone_who_stopped(chat: Chat) -> None:
    chat.send("STOP")
    step = chat.send(start_pack="demo")
    assert step.events == (Started(),) and not chat.conversation.stopped
    assert _ask(step).question_id == "consent"


def test_an_old_button_outside_a_pack_shows_what_can_be_done(chat: Chat) -> None:
    step = chat.send(choice="poor")
    assert step.events == () and _ask(step).question_id == "menu"


def test_a_pack_that_was_removed_closes_kindly(
    chat: Chat, texts: SystemTexts, symbols: Symbols, test_library: PackLibrary
) -> None:
    chat.send("DEMO")
    chat.send("yes")
    moved = Chat(test_library, texts, symbols, now=chat.now, conversation=chat.conversation)
    step = moved.send("good")
    assert step.events[0] == SubmissionFinished("sub-2", "abandoned")
    assert "those questions have changed" in step.reply.messages[0].text
    assert moved.conversation.stage is Stage.IDLE


def test_welcome_back_after_hours_away_but_not_minutes(chat: Chat) -> None:
    chat.send("DEMO")
    chat.send("yes")
    step = chat.send("hmm", after=timedelta(minutes=30))
    assert "Sorry, we did not understand that." in step.reply.messages[0].text
    step = chat.send("hmm", after=timedelta(hours=8))
    assert step.reply.messages[0].text.startswith("Welcome back.")
    assert chat.conversation.tries == 1, "a welcome back is not a failed try"


def test_expiry_is_measured_from_the_last_message(chat: Chat) -> None:
    chat.send("DEMO")
    chat.send("yes")
    chat.send("good", after=timedelta(days=10))
    step = chat.send("2", after=timedelta(days=10))
    assert [type(e).__name__ for e in step.events] == ["AnswerGiven"], "10 days apart each time is not 14"
    step = chat.send("hello there, it is me again", after=timedelta(days=14, seconds=1))
    assert step.events[0] == SubmissionFinished("sub-2", "abandoned")
    assert isinstance(step.events[1], FeedbackGiven)


def test_the_state_given_is_never_changed(chat: Chat) -> None:
    chat.send("DEMO")
    before = chat.conversation.to_dict()
    kept = chat.conversation
    chat.send("yes")
    assert kept.to_dict() == before and kept is not chat.conversation
    assert Conversation.from_dict(before).stage is Stage.CONSENT


def test_a_side_question_is_forgotten_after_a_long_time_away(chat: Chat) -> None:
    chat.send("FORGET ME")
    step = chat.send("yes", after=timedelta(days=2))
    assert [type(e).__name__ for e in step.events] == ["Started"], "no deletion on a two-day-old question"
    chat.send("forget me")
    step = chat.send("yes", after=timedelta(minutes=2))
    assert [type(e).__name__ for e in step.events] == ["ForgetConfirmed"]
