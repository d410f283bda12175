"""A retried or duplicated webhook is answered with the stored reply but never processed twice."""

from __future__ import annotations

import asyncio

import pytest

from storage.conversations.store import DuplicateInbound, Store


async def test_a_processed_message_id_returns_its_reply(store: Store):
    async with store.unit() as uow:
        assert await uow.seen_inbound("sms", "SM1") is None
        await uow.record_inbound("sms", "SM1", {"messages": [{"text": "Thanks"}]})
    async with store.unit() as uow:
        assert await uow.seen_inbound("sms", "SM1") == {"messages": [{"text": "Thanks"}]}
        # Ids are per channel: a Telegram update with the same id is a different message.
        assert await uow.seen_inbound("telegram", "SM1") is None


async def test_messages_without_a_provider_id_are_not_tracked(store: Store):
    async with store.unit() as uow:
        await uow.record_inbound("web", None, {"a": 1})
        await uow.record_inbound("web", "", {"a": 1})
        assert await uow.seen_inbound("web", None) is None
        assert await uow.seen_inbound("web", "") is None
    assert await store.dump_all_text() == ""


async def test_very_long_provider_ids_still_dedupe(store: Store):
    long_id = "x" * 500
    async with store.unit() as uow:
        await uow.record_inbound("web", long_id, {"n": 1})
    async with store.unit() as uow:
        assert await uow.seen_inbound("web", long_id) == {"n": 1}
        assert await uow.seen_inbound("web", long_id + "y") is None
    with pytest.raises(DuplicateInbound):
        async with store.unit() as uow:
            await uow.record_inbound("web", long_id, {"n": 2})


async def test_two_concurrent_copies_of_one_webhook_one_wins_and_the_loser_changes_nothing(store: Store):
    async with store.unit() as uow:
        person = await uow.participant("sms", "+447700900123")
    first_inserted = asyncio.Event()

    async def handle(copy: int, hold: bool):
        async with store.unit() as uow:
            await uow.add_feedback(person.id, "sms", "en", f"copy {copy}", None, None)
            await uow.record_inbound("sms", "SMdup", {"copy": copy})
            if hold:  # keep the transaction open while the other copy tries
                first_inserted.set()
                await asyncio.sleep(0.3)
        return copy

    async def second():
        await first_inserted.wait()
        return await handle(2, hold=False)

    results = await asyncio.gather(handle(1, hold=True), second(), return_exceptions=True)
    assert results[0] == 1
    assert isinstance(results[1], DuplicateInbound)
    async with store.unit() as uow:
        assert await uow.seen_inbound("sms", "SMdup") == {"copy": 1}
    dump = await store.dump_all_text()
    assert "copy 1" in dump and "copy 2" not in dump
