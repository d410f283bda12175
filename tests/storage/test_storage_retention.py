"""Retention: what is deleted when, and what a consent keeps."""

from __future__ import annotations

from datetime import timedelta

from storage.conversations.store import Store


async def test_purge_removes_only_what_has_expired(timed_store: Store, clock):
    store = timed_store
    async with store.unit() as uow:
        lapsed = await uow.participant("sms", "+447700900111")
        consented = await uow.participant("sms", "+447700900222")
        await uow.set_consent(consented.id, "hear_back", True)
        withdrawn = await uow.participant("telegram", "555")
        await uow.set_consent(withdrawn.id, "updates", True)
        await uow.set_consent(withdrawn.id, "updates", False)
        await uow.record_inbound("sms", "SM-old", {})
        pending = await uow.enqueue(consented.id, "sms", "broadcast", {})
        finished = await uow.enqueue(consented.id, "sms", "broadcast", {})
    await store.open_web_session("tok", lapsed.id, timedelta(days=1))
    [claimed, _] = await store.claim_outbox("w", now=clock.now, limit=2)
    await store.mark_sent(finished, "SM1")
    await store.defer(pending, clock.now + timedelta(days=60))

    assert await store.purge(clock.advance(days=6)) == {
        "vault_entries": 0,
        "web_sessions": 1,
        "web_turns": 0,
        "outbox": 0,
        "inbound_messages": 0,
        "rate_slots": 0,
        "participants": 0,
    }
    assert await store.purge(clock.advance(days=2)) == {
        "vault_entries": 0,
        "web_sessions": 0,
        "web_turns": 0,
        "outbox": 0,
        "inbound_messages": 0,  # handled ids are kept 90 days, so a replayed webhook is still known
        "rate_slots": 0,
        "participants": 0,
    }
    assert await store.purge(clock.advance(days=23)) == {
        "vault_entries": 2,
        "web_sessions": 0,
        "web_turns": 0,
        "outbox": 1,
        "inbound_messages": 0,
        "rate_slots": 0,
        "participants": 1,  # `lapsed`: no address, session, consent or answer left
    }
    dump = await store.dump_all_text()
    assert dump.count("vault_entries:") == 1
    assert f"vault_entries: participant_id={consented.id}," in dump
    assert f"outbox: id={pending}," in dump  # still waiting to be sent
    assert claimed.id in (pending, finished)
    assert (await store.purge(clock.advance(days=60)))["inbound_messages"] == 1  # day 91


async def test_writing_again_extends_the_address_and_brings_it_back_after_a_purge(timed_store: Store, clock):
    store = timed_store
    async with store.unit() as uow:
        person = await uow.participant("sms", "+447700900123")
    clock.advance(days=20)
    async with store.unit() as uow:
        await uow.participant("sms", "+447700900123")
    assert (await store.purge(clock.advance(days=20)))["vault_entries"] == 0  # 40 days, but seen at day 20
    assert (await store.purge(clock.advance(days=11)))["vault_entries"] == 1
    async with store.unit() as uow:
        again = await uow.participant("sms", "07700 900123")
        await uow.enqueue(again.id, "sms", "reply", {})
    # The empty participant row went with its address; the same person is known by the same pseudonym.
    assert again.pseudonym == person.pseudonym
    [item] = await store.claim_outbox("w", now=clock.now)
    assert item.address == "+447700900123"


async def test_participants_with_nothing_left_are_purged_and_those_with_anything_are_kept(timed_store: Store, clock):
    store = timed_store
    async with store.unit() as uow:
        empty = await uow.participant("web", "crawler-token-" + "a" * 30)
        answered = await uow.participant("sms", "+447700900301")
        await uow.start_submission("00000000-0000-4000-8000-000000000001", answered.id, "demo", 1, "en", "sms")
        stopped = await uow.participant("sms", "+447700900302")
        await uow.set_stopped(stopped.id, True)
        consenting = await uow.participant("sms", "+447700900303")
        await uow.set_consent(consenting.id, "updates", True)
    assert (await store.purge(clock.advance(hours=12)))["participants"] == 0  # seen too recently
    removed = await store.purge(clock.advance(days=31))
    assert removed["participants"] == 1
    dump = await store.dump_all_text()
    assert f"participants: id={empty.id}," not in dump
    for kept in (answered, stopped, consenting):
        assert f"participants: id={kept.id}," in dump



async def test_an_address_is_kept_at_least_the_retention_less_an_hour_and_never_longer(timed_store: Store, clock):
    # A conversation is a burst of messages: the deletion date moves on at most once an hour, not with each.
    store = timed_store
    for _ in range(6):  # six messages, ten minutes apart
        async with store.unit() as uow:
            await uow.arrival("sms", "+447700900123", None)
        last = clock.now
        clock.advance(minutes=10)
    clock.now = last + timedelta(days=30) - timedelta(hours=1)
    assert (await store.purge(clock.now))["vault_entries"] == 0
    clock.now = last + timedelta(days=30, seconds=1)
    assert (await store.purge(clock.now))["vault_entries"] == 1


async def test_a_message_more_than_an_hour_later_moves_the_deletion_date(timed_store: Store, clock):
    store = timed_store
    async with store.unit() as uow:
        await uow.arrival("sms", "+447700900123", None)
    clock.advance(hours=2)
    async with store.unit() as uow:
        await uow.arrival("sms", "+447700900123", None)
    assert (await store.purge(clock.advance(days=30, seconds=-1)))["vault_entries"] == 0
    assert (await store.purge(clock.advance(seconds=2)))["vault_entries"] == 1
