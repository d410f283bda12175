"""After a whole conversation on every channel, no address is anywhere in the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage.conversations.store import Store

PEOPLE = [
    ("sms", "07700 900123", ("+447700900123", "07700900123", "7700900123", "07700 900123")),
    ("voice", "+44 7700 900456", ("+447700900456", "07700900456", "7700900456")),
    ("whatsapp", "whatsapp:+447700900789", ("+447700900789", "7700900789")),
    ("telegram", "5551234567", ("5551234567",)),
    ("web", "browser-token-Qm9yZWQ", ("browser-token-Qm9yZWQ",)),
]


async def test_no_address_appears_anywhere_after_a_full_flow(store: Store):
    for n, (channel, address, _) in enumerate(PEOPLE):
        # People type their phone number or chat id into free text; nobody knows their web chat token.
        typed = "my email is sam@example.org" if channel == "web" else address
        async with store.unit() as uow:
            assert await uow.seen_inbound(channel, f"msg-{n}") is None
            person = await uow.participant(channel, address)
            await uow.save_conversation(person.id, {"pack": "demo", "question": "why"}, "en")
            await uow.start_submission(f"sub-{n}", person.id, "demo", 1, "en", channel)
            await uow.record_answer(f"sub-{n}", "overall", value="good", number=None, text=None, skipped=False)
            await uow.record_answer(
                f"sub-{n}",
                "why",
                value=None,
                number=None,
                skipped=False,
                text=f"please call me back on {typed} or 07700 900999",
            )
            await uow.finish_submission(f"sub-{n}", "completed")
            await uow.add_feedback(person.id, channel, "en", f"my number is {typed}", None, "demo")
            await uow.set_consent(person.id, "hear_back", True)
            await uow.enqueue(person.id, channel, "followup", {"messages": [{"type": "say", "text": "Thanks"}]})
            await uow.record_inbound(channel, f"msg-{n}", {"messages": [{"text": "Thank you"}]})
        if channel == "web":
            await store.open_web_session(address, person.id, timedelta(days=1))
            await store.append_transcript(address, {"who": "person", "messages": [{"text": "07700 900999"}]})
    items = await store.claim_outbox("w", now=datetime.now(UTC) + timedelta(seconds=1))
    assert {item.address for item in items} == {
        "+447700900123",
        "+447700900456",
        "+447700900789",
        "5551234567",
        "browser-token-Qm9yZWQ",
    }
    for item in items:
        await store.mark_sent(item.id, f"provider-{item.id}")
        await store.record_status(f"provider-{item.id}", "delivered")

    dump = await store.dump_all_text()
    for table in ("participants", "vault_entries", "answers", "feedback", "outbox", "web_sessions"):
        assert f"{table}:" in dump  # the dump really covers the tables that matter
    for _, _, forms in PEOPLE:
        for form in forms:
            assert form not in dump
    assert "900999" not in dump
    assert "sam@example.org" not in dump
