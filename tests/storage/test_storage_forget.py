"""'Forget me' removes every trace of the address and the link to the person; anonymous answers stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from storage.conversations.store import Store
from storage.models import Answer, Feedback, Submission

PHONE = "+447700900123"
ADDRESS_FORMS = ("+447700900123", "447700900123", "07700900123", "7700900123", "07700 900123")


async def test_forget_keeps_answers_but_removes_address_and_link(store: Store):
    async with store.unit() as uow:
        person = await uow.participant("sms", PHONE)
        await uow.set_consent(person.id, "hear_back", True)
        await uow.save_conversation(person.id, {"step": 3}, "en")
        await uow.start_submission("sub-1", person.id, "demo", 1, "en", "sms")
        await uow.record_answer("sub-1", "overall", value="good", number=None, text="kind staff", skipped=False)
        await uow.finish_submission("sub-1", "completed")
        await uow.add_feedback(person.id, "sms", "en", "thank you", None, None)
        await uow.enqueue(person.id, "sms", "followup", {"messages": [{"type": "say", "text": "hi"}]})
        sent = await uow.enqueue(person.id, "sms", "reply", {"messages": []}, direct_reply=True)
    claimed = await store.claim_outbox("w", now=datetime.now(UTC) + timedelta(seconds=1))
    assert sent in {item.id for item in claimed}
    await store.mark_sent(sent, "SM123")
    await store.open_web_session("browser-token", person.id, timedelta(days=1))
    before = await store.dump_all_text()
    assert "vault_entries:" in before and "participant_id=" + str(person.id) in before

    async with store.unit() as uow:
        await uow.forget(person.id)

    dump = await store.dump_all_text()
    for table in ("participants:", "vault_entries:", "consents:", "outbox:", "web_sessions:"):
        assert table not in dump
    for form in ADDRESS_FORMS:
        assert form not in dump
    assert person.pseudonym not in dump
    async with store.database.engine.connect() as conn:
        answers = [tuple(row) for row in await conn.execute(select(Answer.question_id, Answer.value, Answer.text))]
        links = [
            row[0]
            for row in await conn.execute(select(Submission.participant_id).union_all(select(Feedback.participant_id)))
        ]
    assert answers == [("overall", "good", "kind staff")]
    assert links == [None, None]
    assert await store.web_session("browser-token", now=datetime.now(UTC)) is None


async def test_a_forgotten_person_who_writes_again_starts_afresh(store: Store):
    async with store.unit() as uow:
        person = await uow.participant("sms", PHONE)
        await uow.set_consent(person.id, "updates", True)
        await uow.forget(person.id)
    async with store.unit() as uow:
        again = await uow.participant("sms", PHONE)
    assert again.id != person.id
    assert again.consents == frozenset()
