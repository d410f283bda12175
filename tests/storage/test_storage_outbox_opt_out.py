"""A delivery report saying the person opted out with the provider (Twilio's 21610) stops them, once."""

from __future__ import annotations

from sqlalchemy import select

from storage.conversations.store import Store
from storage.models import OutboxMessage

PHONE = "+447700900123"
OTHER = "+447700900456"


async def _person(store: Store, address: str = PHONE) -> int:
    async with store.unit() as uow:
        return (await uow.participant("sms", address)).id


async def _enqueue(store: Store, person: int, *kinds: str) -> list[int]:
    async with store.unit() as uow:
        return [await uow.enqueue(person, "sms", kind, {"kind": kind}) for kind in kinds]


async def _row(store: Store, outbox_id: int):
    async with store.database.engine.connect() as conn:
        return (await conn.execute(select(OutboxMessage).where(OutboxMessage.id == outbox_id))).one()


async def _stopped(store: Store, person: int) -> bool:
    async with store.unit() as uow:
        record = await uow.participant_by_id(person)
    assert record is not None
    return record.stopped


async def test_a_failure_report_saying_the_person_opted_out_stops_them_once(timed_store: Store, clock):
    store = timed_store
    person, other = await _person(store), await _person(store, OTHER)
    first, later = await _enqueue(store, person, "followup", "broadcast")
    [theirs] = await _enqueue(store, other, "broadcast")
    await store.claim_outbox("w", now=clock.now, limit=1)
    await store.mark_sent(first, "SMfirst")
    # A report that is not a failure, or for a message we do not know, stops nobody.
    assert await store.record_status("SMfirst", "sent", stop_contact=True) is False
    assert await store.record_status("SMnobody", "failed", stop_contact=True) is False
    assert not await _stopped(store, person)

    assert await store.record_status("SMfirst", "failed", stop_contact=True) is True
    assert await _stopped(store, person) and not await _stopped(store, other)
    row = await _row(store, first)
    assert row.status == "failed"
    # What was still queued for them is cancelled at send time, as after a refused send.
    items = {item.id: item for item in await store.claim_outbox("w", now=clock.now)}
    assert items[later].stopped and not items[theirs].stopped

    # They text START; Twilio sends the same report again: it changes nothing and stops nobody.
    async with store.unit() as uow:
        await uow.set_stopped(person, False)
    assert await store.record_status("SMfirst", "failed", stop_contact=True) is False
    assert not await _stopped(store, person)


async def test_a_failure_report_found_by_outbox_id_stops_the_person_too(timed_store: Store, clock):
    store = timed_store
    person = await _person(store)
    [outbox_id] = await _enqueue(store, person, "broadcast")
    await store.claim_outbox("w", now=clock.now)
    # The report beats mark_sent: the row is still `sending` and has no provider id yet.
    assert await store.record_status(outbox_id, "undelivered", stop_contact=True) is True
    assert await _stopped(store, person)
    assert (await _row(store, outbox_id)).status == "failed"

