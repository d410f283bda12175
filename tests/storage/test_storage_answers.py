"""Submissions, answers and general feedback."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.conversations.store import Store
from storage.models import Answer, Feedback, Submission


async def _answers(store: Store, submission_id: str) -> list[tuple]:
    async with store.database.engine.connect() as conn:
        rows = await conn.execute(
            select(Answer.question_id, Answer.value, Answer.number, Answer.text, Answer.skipped)
            .where(Answer.submission_id == submission_id)
            .order_by(Answer.question_id)
        )
        return [tuple(row) for row in rows]


async def test_a_changed_answer_replaces_the_earlier_one(store: Store):
    async with store.unit() as uow:
        person = await uow.participant("sms", "+447700900123")
        await uow.start_submission("sub-1", person.id, "demo", 3, "en", "sms")
        await uow.record_answer("sub-1", "overall", value="good", number=None, text=None, skipped=False)
        await uow.record_answer("sub-1", "score", value="7", number=7.0, text=None, skipped=False)
    async with store.unit() as uow:
        await uow.record_answer("sub-1", "overall", value="poor", number=None, text=None, skipped=False)
        await uow.record_answer("sub-1", "why", value=None, number=None, text=None, skipped=True)
    assert await _answers(store, "sub-1") == [
        ("overall", "poor", None, None, False),
        ("score", "7", 7.0, None, False),
        ("why", None, None, None, True),
    ]


async def test_answer_text_is_scrubbed_before_it_is_stored(store: Store):
    async with store.unit() as uow:
        person = await uow.participant("telegram", "42")
        await uow.start_submission("sub-2", person.id, "demo", 1, "en", "telegram")
        await uow.record_answer(
            "sub-2",
            "why",
            value=None,
            number=None,
            text="Ring me on 07700 900123 or sam@example.org",
            skipped=False,
        )
    [(_, _, _, text, _)] = await _answers(store, "sub-2")
    assert text == "Ring me on [phone number] or [email]"


async def test_finishing_a_submission_records_status_and_time(store: Store):
    async with store.unit() as uow:
        person = await uow.participant("web", "token-abc")
        await uow.start_submission("sub-3", person.id, "demo", 1, "cy", "web")
        await uow.start_submission("sub-4", person.id, "demo", 1, "cy", "web")
        await uow.finish_submission("sub-3", "completed")
        await uow.finish_submission("sub-4", "abandoned")
    async with store.database.engine.connect() as conn:
        rows = dict(
            (row.id, (row.status, row.finished_at is not None, row.language, row.channel))
            for row in await conn.execute(select(Submission))
        )
    assert rows == {"sub-3": ("completed", True, "cy", "web"), "sub-4": ("abandoned", True, "cy", "web")}
    with pytest.raises(ValueError, match="status"):
        async with store.unit() as uow:
            await uow.finish_submission("sub-3", "done")


async def test_a_long_value_is_refused(store: Store):
    async with store.unit() as uow:
        person = await uow.participant("telegram", "42")
        await uow.start_submission("sub-5", person.id, "demo", 1, "en", "telegram")
    with pytest.raises(ValueError, match="free text"):
        async with store.unit() as uow:
            await uow.record_answer("sub-5", "q", value="x" * 101, number=None, text=None, skipped=False)


async def test_feedback_is_scrubbed_and_media_noted(store: Store):
    async with store.unit() as uow:
        person = await uow.participant("whatsapp", "whatsapp:+447700900123")
        first = await uow.add_feedback(person.id, "whatsapp", "en", "I live at M1 1AE, NHS 943 476 5919", None, None)
        second = await uow.add_feedback(person.id, "whatsapp", "en", None, "picture", "demo")
    assert second > first
    async with store.database.engine.connect() as conn:
        rows = [
            tuple(row)
            for row in await conn.execute(select(Feedback.text, Feedback.media, Feedback.pack_id).order_by(Feedback.id))
        ]
    assert rows == [("I live at [postcode], NHS [NHS number]", None, None), (None, "picture", "demo")]
