"""Participants: one per person and channel identity, address sealed, consents and stop status kept."""

from __future__ import annotations

import asyncio

import pytest

from storage.conversations.store import Store
from storage.privacy.vault import AddressError, Keys, pseudonym

PHONE = "+447700900123"


async def test_a_new_person_is_created_once_and_found_again(store: Store, keys: Keys):
    async with store.unit() as uow:
        first = await uow.participant("sms", "07700 900123")
    async with store.unit() as uow:
        again = await uow.participant("sms", PHONE)
        by_id = await uow.participant_by_id(first.id)
    assert first.id == again.id == by_id.id
    assert first.pseudonym == pseudonym(keys, "sms", PHONE)
    assert (first.stopped, first.conversation, first.language, first.consents) == (
        False,
        None,
        None,
        frozenset(),
    )


async def test_texting_and_ringing_from_one_phone_is_one_person_but_whatsapp_is_another(store: Store):
    async with store.unit() as uow:
        texted = await uow.participant("sms", PHONE)
        rang = await uow.participant("voice", "07700 900123")
        whatsapp = await uow.participant("whatsapp", "whatsapp:" + PHONE)
    assert texted.id == rang.id
    assert rang.channel == "voice"  # the channel they last used
    assert whatsapp.id != texted.id


async def test_lookup_without_create_changes_nothing(store: Store):
    async with store.unit() as uow:
        assert await uow.participant("telegram", "42", create=False) is None
    assert "participants:" not in await store.dump_all_text()
    async with store.unit() as uow:
        made = await uow.participant("telegram", "42")
        found = await uow.participant("telegram", "42", create=False)
    assert found == made


async def test_an_unreadable_address_is_refused_and_nothing_is_stored(store: Store):
    with pytest.raises(AddressError):
        async with store.unit() as uow:
            await uow.participant("sms", "not a number")
    assert await store.dump_all_text() == ""


async def test_two_first_messages_at_once_make_one_participant(store: Store):
    async def arrive():
        async with store.unit() as uow:
            return await uow.participant("telegram", "987654321")

    people = await asyncio.gather(*(arrive() for _ in range(5)))
    assert len({person.id for person in people}) == 1
    assert (await store.dump_all_text()).count("participants:") == 1


async def test_conversation_language_and_stop_status_are_saved(store: Store):
    async with store.unit() as uow:
        person = await uow.participant("sms", PHONE)
        await uow.save_conversation(person.id, {"pack": "demo", "step": 2}, "cy")
    async with store.unit() as uow:
        # A conversation that has not chosen a language keeps the preference already stored.
        await uow.save_conversation(person.id, {"pack": None}, None)
        await uow.set_stopped(person.id, True)
    async with store.unit() as uow:
        person = await uow.participant("sms", PHONE)
    assert (person.conversation, person.language, person.stopped) == ({"pack": None}, "cy", True)
    await store.stop_participant(person.id)
    async with store.unit() as uow:
        await uow.set_stopped(person.id, False)
        await uow.save_conversation(person.id, None, None)
        person = await uow.participant_by_id(person.id)
    assert (person.conversation, person.stopped) == (None, False)


async def test_consents_are_granted_and_withdrawn(store: Store):
    async with store.unit() as uow:
        person = await uow.participant("sms", PHONE)
        await uow.set_consent(person.id, "hear_back", True)
        await uow.set_consent(person.id, "updates", True)
        await uow.set_consent(person.id, "updates", False)
    async with store.unit() as uow:
        person = await uow.participant("sms", PHONE)
    assert person.consents == frozenset({"hear_back"})
    with pytest.raises(ValueError, match="purpose"):
        async with store.unit() as uow:
            await uow.set_consent(person.id, "marketing", True)


async def test_a_failed_unit_leaves_no_trace(store: Store):
    with pytest.raises(RuntimeError, match="engine bug"):
        async with store.unit() as uow:
            person = await uow.participant("sms", PHONE)
            await uow.set_consent(person.id, "hear_back", True)
            raise RuntimeError("engine bug")
    assert await store.dump_all_text() == ""


async def test_a_unit_of_work_cannot_be_used_after_its_block(store: Store):
    async with store.unit() as uow:
        pass
    with pytest.raises(RuntimeError, match="ended"):
        await uow.participant("sms", PHONE)


async def test_participant_by_unknown_id_is_none(store: Store):
    async with store.unit() as uow:
        assert await uow.participant_by_id(12345) is None


async def test_ids_start_from_one_in_every_test(store: Store):
    # Tests elsewhere may rely on a clean database: the fixture empties tables and restarts ids.
    async with store.unit() as uow:
        person = await uow.participant("sms", PHONE)
        outbox_id = await uow.enqueue(person.id, "sms", "reply", {})
    assert (person.id, outbox_id) == (1, 1)


async def test_ids_start_from_one_in_every_test_again(store: Store):
    await test_ids_start_from_one_in_every_test(store)
