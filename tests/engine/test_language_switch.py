"""Switching language part way through a pack keeps every answer given so far, asks the same question
again in the new language, and carries on to the end in it, in one submission.

    How did you feel when you came here? 1 😀 Happy …      <- answered in English
    CYMRAEG
    Sut oeddech chi'n teimlo pan ddaethoch chi yma? …      <- the next question, in Welsh
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from engine_kit import TUESDAY_10AM, Chat, channel_for
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.app.prompts import load_prompts
from bot.app.service import ConversationService
from bot.content.packs.library import SHIPPED_PROMPTS, PackLibrary, Symbols, SystemTexts
from bot.content.packs.model import Kind, Pack
from bot.engine.events import (
    AnswerGiven,
    AnswerWithdrawn,
    LanguageChosen,
    SubmissionFinished,
    SubmissionStarted,
)
from bot.engine.turn import Step
from bot.hours import WeeklyHours
from bot.messages import Ask, Channel, Inbound
from channels.twilio_sms.render import render_sms
from storage.conversations.store import Store
from storage.models import Answer, Participant, Submission

LIBRARY = PackLibrary.load(SHIPPED_PROMPTS)
TEXTS = SystemTexts.load(SHIPPED_PROMPTS)
SYMBOLS = Symbols.load(SHIPPED_PROMPTS)
WELSH_PACKS = [pack.id for pack in LIBRARY.all() if {"en", "cy"} <= set(pack.languages)]
# (what the person sends to switch, then what they send at the language question, if one comes)
TO_WELSH = [("CYMRAEG", None), ("welsh", None), ("Cymraeg!", None), ("LANGUAGE", "2"), ("LANGUAGE", "Cymraeg"),
            ("iaith", "cy-button")]
TO_ENGLISH = [("ENGLISH", None), ("saesneg", None), ("LANGUAGE", "1")]


def test_every_shipped_pack_speaks_welsh() -> None:
    assert [pack.id for pack in LIBRARY.all()] == WELSH_PACKS


@settings(max_examples=120, deadline=None)
@given(pack_id=st.sampled_from(WELSH_PACKS), data=st.data())
def test_switching_language_keeps_the_answers_and_asks_in_the_new_one(pack_id: str, data: st.DataObject) -> None:
    pack = LIBRARY.get(pack_id)
    assert pack is not None
    chat = Chat(LIBRARY, TEXTS, SYMBOLS, channel=channel_for(pack))
    chat.send(pack.keywords[0])
    ask = _ask(chat.send("yes"))
    switch_after = data.draw(st.integers(0, len(pack.questions) - 1), label="answers before the switch")
    back_after = data.draw(st.none() | st.integers(1, len(pack.questions)), label="answers in Welsh, then English")
    language, answered, in_welsh = "en", 0, 0
    while ask is not None:
        question = pack.question(ask.question_id)
        assert question is not None, f"expected a pack question, got {ask.question_id}"
        _assert_in(ask, pack, language)
        if language == "en" and answered == switch_after and in_welsh == 0:
            ask = _switch(chat, data.draw(st.sampled_from(TO_WELSH)), "cy", ask)
            language = "cy"
            continue
        if language == "cy" and back_after is not None and in_welsh == back_after:
            ask = _switch(chat, data.draw(st.sampled_from(TO_ENGLISH)), "en", ask)
            language, back_after = "en", None
            continue
        text, tapped = _answer(ask, question.kind, question.min, data)
        step = chat.send(text, choice=tapped)
        answered += 1
        in_welsh += language == "cy"
        ask = _ask(step)
    # With conditional questions a pack can end before the chosen point: such a walk tests nothing here.
    assume(language == "cy" or back_after is None)
    _assert_one_submission_with_every_answer(chat, pack, language)


def _switch(chat: Chat, how: tuple[str, str | None], language: str, before: Ask) -> Ask:
    """Switch language; the same question must come back in it with nothing answered or lost."""
    kept = dict(chat.conversation.answers)
    given_before = [e for e in chat.events if isinstance(e, AnswerGiven)]
    word, pick = how
    step = chat.send(word)
    if pick is not None:
        shown = _ask(step)
        assert shown is not None and shown.question_id == "language"
        step = chat.send(choice="cy") if pick == "cy-button" else chat.send(pick)
    assert LanguageChosen(language) in step.events
    unwanted = (AnswerGiven, AnswerWithdrawn, SubmissionStarted, SubmissionFinished)
    assert not [e for e in step.events if isinstance(e, unwanted)], "a switch answers nothing"
    assert chat.conversation.answers == kept, "answers survive a language switch"
    assert [e for e in chat.events if isinstance(e, AnswerGiven)] == given_before
    after = _ask(step)
    assert after is not None and after.question_id == before.question_id, "the same question comes again"
    assert after.language == language
    return after


def _assert_in(ask: Ask, pack: Pack, language: str) -> None:
    question = pack.question(ask.question_id)
    assert question is not None
    assert ask.language == language and ask.text == question.text[language]
    if question.kind is not Kind.YESNO:
        assert [c.label for c in ask.choices] == [c.label[language] for c in question.choices]


def _assert_one_submission_with_every_answer(chat: Chat, pack: Pack, language: str) -> None:
    started = [e for e in chat.events if isinstance(e, SubmissionStarted)]
    finished = [e for e in chat.events if isinstance(e, SubmissionFinished)]
    given_ = [e for e in chat.events if isinstance(e, AnswerGiven)]
    assert len(started) == 1 and started[0].language == "en"
    assert [f.status for f in finished] == ["completed"]
    assert {e.submission_id for e in given_} == {started[0].submission_id}
    ids = [e.question_id for e in given_]
    assert len(ids) == len(set(ids)), "each question answered once"
    assert ids == [q.id for q in pack.questions if q.id in ids], "in pack order"


def _answer(ask: Ask, kind: Kind, low: int | None, data: st.DataObject) -> tuple[str, str | None]:
    """(what to type, what button to tap)."""
    if kind is Kind.TEXT:
        return "The waiting room was too loud", None
    if kind is Kind.NUMBER:
        return str(low), None
    choice = data.draw(st.sampled_from(ask.choices))
    return data.draw(st.sampled_from([(choice.key, None), ("", choice.value), (choice.label, None)]))


def _ask(step: Step) -> Ask | None:
    asks = [m for m in step.reply.messages if isinstance(m, Ask)]
    return asks[-1] if asks else None


async def test_answers_stored_before_a_switch_stay_in_the_database(store: Store) -> None:
    now = TUESDAY_10AM
    service = ConversationService(
        store, load_prompts(SHIPPED_PROMPTS), office_hours=WeeklyHours.parse("Mon-Fri 09:00-17:00"),
        zone=ZoneInfo("Europe/London"), expiry=timedelta(days=14), clock=lambda: now,
    )
    count = 0

    async def send(text: str) -> str:
        nonlocal count, now
        count += 1
        now += timedelta(seconds=30)
        message = Inbound(text=text, channel=Channel.SMS, received_at=now, provider_id=f"SM{count:032d}")
        return render_sms(await service.handle(Channel.SMS, "+447700900123", message))

    await send("DEMO")
    await send("yes")
    assert "How well did we listen to you?" in await send("3")  # overall: poor
    assert "What could we do better?" in await send("2")  # listened: a little
    welsh = await send("CYMRAEG")
    assert "Wnaethon ni wrando arnoch chi?" not in welsh, "listened was answered: it is not asked again"
    assert "Beth allem ni ei wneud yn well?" in welsh, "the question waiting comes again, in Welsh"
    assert await _answers(store) == {("listened", "2", None), ("overall", "poor", None)}
    await send("Mwy o amser i siarad")
    await send("6")
    closing = await send("ie")
    assert "Diolch." in closing
    async with store.database.engine.connect() as conn:
        submissions = (await conn.execute(select(Submission.id, Submission.status))).all()
        language = (await conn.execute(select(Participant.language))).scalar_one()
    assert [status for _, status in submissions] == ["completed"]
    assert language == "cy", "the person is asked in Welsh next time too"
    assert await _answers(store) == {
        ("overall", "poor", None), ("listened", "2", None), ("better", None, "Mwy o amser i siarad"),
        ("wait_weeks", "6", None), ("hear_back", "yes", None),
    }


async def _answers(store: Store) -> set[tuple[str, str | None, str | None]]:
    async with store.database.engine.connect() as conn:
        rows = (await conn.execute(select(Answer.question_id, Answer.value, Answer.text))).all()
    return {(q, v, t) for q, v, t in rows}

