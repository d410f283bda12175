"""Finding 5: a captured, signed webhook replayed weeks later is recognised as handled and not processed
again, because handled provider ids are kept 90 days (SAID_HANDLED_IDS_DAYS)."""

from __future__ import annotations

from .conftest import PERSON, replies, sms_world


async def _stopped(world) -> bool:
    async with world.parts.store.unit() as uow:
        person = await uow.participant("sms", PERSON, create=False)
    assert person is not None
    return person.stopped


async def test_a_stop_replayed_a_month_later_does_not_stop_contact_again(world) -> None:
    await world.text("DEMO")
    stop_sid = "SM" + "5" * 32
    replies(await world.text("STOP", sid=stop_sid))
    assert await _stopped(world)
    world.clock.advance(days=30)
    replies(await world.text("START"))
    assert not await _stopped(world)
    await world.parts.store.purge(world.clock.now)  # the nightly retention job has run meanwhile
    # Someone who captured the signed STOP request sends it again, word for word.
    replies(await world.text("STOP", sid=stop_sid))
    assert not await _stopped(world)


async def test_how_long_handled_ids_are_kept_is_a_setting(database, fake_twilio, tmp_path) -> None:
    async with sms_world(database, fake_twilio, tmp_path, handled_ids_days=10) as world:
        stop_sid = "SM" + "6" * 32
        replies(await world.text("STOP", sid=stop_sid))
        world.clock.advance(days=11)
        replies(await world.text("START"))
        removed = await world.parts.store.purge(world.clock.now)
        assert removed["inbound_messages"] == 1
        replies(await world.text("STOP", sid=stop_sid))
        assert await _stopped(world)  # after the kept time, the same id is new again
