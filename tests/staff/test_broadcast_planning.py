"""Planning a broadcast: exactly the people who asked for updates, in their language, once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from storage.conversations.store import Store
from storage.models import OutboxMessage
from storage.staff.broadcasts import Audience, CapWindow
from storage.staff.records import Actor
from storage.staff.store import StaffStore

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
ACTOR = Actor("lead@example.org")
CHANNELS = ("sms", "telegram", "web")


def window(now: datetime, cap: int = 2) -> CapWindow:
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return CapWindow(cap, start, start + timedelta(days=1))


async def person(store: Store, n: int, *, channel: str = "sms", updates: bool = True, language: str | None = "en",
                 stopped: bool = False, checkins: bool = False, pack: str | None = None) -> int:
    address = f"+4477009{n:05d}" if channel in ("sms", "voice") else str(100000 + n)
    async with store.unit() as uow:
        record = await uow.participant(channel, address)
        await uow.save_conversation(record.id, None, language)
        if updates:
            await uow.set_consent(record.id, "updates", True)
        if checkins:
            await uow.set_consent(record.id, "checkins", True)
        if stopped:
            await uow.set_stopped(record.id, True)
        if pack:
            await uow.start_submission(f"sub-{n}", record.id, pack, 1, language or "en", channel)
    return record.id


def compose(record):
    return {lang: [{"type": "say", "text": text}] for lang, text in record.texts.items()}, "en"


async def queued(staff: StaffStore) -> list[tuple[int, str, str]]:
    async with staff.database.engine.connect() as conn:
        rows = await conn.execute(
            select(OutboxMessage.participant_id, OutboxMessage.channel, OutboxMessage.payload)
            .where(OutboxMessage.kind == "broadcast")
            .order_by(OutboxMessage.participant_id)
        )
        return [(r.participant_id, r.channel, r.payload["messages"][0]["text"]) for r in rows]


async def test_only_people_who_said_yes_to_updates_and_did_not_stop_are_queued(database, keys):
    store = Store(database, keys, clock=lambda: NOW)
    staff = StaffStore(database, clock=lambda: NOW)
    yes = await person(store, 1)
    await person(store, 2, updates=False)
    await person(store, 3, stopped=True)
    welsh = await person(store, 4, language="cy", channel="telegram")
    unknown_language = await person(store, 5, language=None)
    await person(store, 6, channel="voice")  # no sender for voice calls: left out
    broadcast = await staff.create_broadcast(
        name="Waiting times", texts={"en": "We have more staff now.", "cy": "Mae gennym fwy o staff nawr."},
        audience=Audience("updates"), send_at=NOW, actor=ACTOR,
    )
    result = await staff.plan_broadcast(broadcast, compose, channels=CHANNELS, window=window, actor=ACTOR)
    assert result is not None
    assert result.queued == {"sms": 2, "telegram": 1}
    assert await queued(staff) == [
        (yes, "sms", "We have more staff now."),
        (welsh, "telegram", "Mae gennym fwy o staff nawr."),
        (unknown_language, "sms", "We have more staff now."),
    ]
    record = await staff.broadcast(broadcast)
    assert record.status == "planned" and record.recipients == 3
    progress = await staff.progress(broadcast)
    assert progress == {"sms": {"pending": 2}, "telegram": {"pending": 1}}


async def test_a_broadcast_is_planned_once_even_when_two_ticks_race(database, keys):
    store = Store(database, keys, clock=lambda: NOW)
    staff = StaffStore(database, clock=lambda: NOW)
    for n in range(5):
        await person(store, n)
    broadcast = await staff.create_broadcast(
        name="News", texts={"en": "Hello."}, audience=Audience("updates"), send_at=NOW, actor=ACTOR
    )
    results = await asyncio.gather(
        *(staff.plan_broadcast(broadcast, compose, channels=CHANNELS, window=window, actor=ACTOR) for _ in range(3))
    )
    assert sorted(r is None for r in results) == [False, True, True]
    assert len(await queued(staff)) == 5


async def test_the_daily_cap_leaves_out_people_who_already_had_enough_today(database, keys):
    store = Store(database, keys, clock=lambda: NOW)
    staff = StaffStore(database, clock=lambda: NOW)
    busy = await person(store, 1)
    calm = await person(store, 2)
    async with store.unit() as uow:
        await uow.enqueue(busy, "sms", "followup", {"messages": []})
        await uow.enqueue(busy, "sms", "reminder", {"messages": []})
        await uow.enqueue(calm, "sms", "reply", {"messages": []})  # replies do not count
        # Yesterday's message does not count towards today.
        await uow.enqueue(calm, "sms", "followup", {"messages": []}, not_before=NOW - timedelta(days=1))
    broadcast = await staff.create_broadcast(
        name="News", texts={"en": "Hello."}, audience=Audience("updates"), send_at=NOW, actor=ACTOR
    )
    result = await staff.plan_broadcast(broadcast, compose, channels=CHANNELS, window=window, actor=ACTOR)
    assert [row[0] for row in await queued(staff)] == [calm]
    assert result.over_cap == 1
    assert (await staff.broadcast(broadcast)).over_cap == 1


async def test_audiences_narrow_to_a_pack_a_channel_or_the_check_in(database, keys):
    store = Store(database, keys, clock=lambda: NOW)
    staff = StaffStore(database, clock=lambda: NOW)
    answered = await person(store, 1, pack="demo")
    await person(store, 2, pack="parent_carer")
    on_telegram = await person(store, 3, channel="telegram")
    checking_in = await person(store, 4, checkins=True)
    await person(store, 5, checkins=True, updates=False)  # check-ins alone are not a yes to updates
    sizes = {
        kind: await staff.audience_size(Audience(kind, value), CHANNELS, window(NOW))
        for kind, value in (("pack", "demo"), ("channel", "telegram"), ("checkins", None), ("updates", None))
    }
    assert sizes == {
        "pack": {"sms": 1}, "channel": {"telegram": 1}, "checkins": {"sms": 1}, "updates": {"sms": 3, "telegram": 1},
    }
    for audience, expected in (
        (Audience("pack", "demo"), answered), (Audience("channel", "telegram"), on_telegram),
        (Audience("checkins"), checking_in),
    ):
        broadcast = await staff.create_broadcast(
            name="News", texts={"en": "Hello."}, audience=audience, send_at=NOW, actor=ACTOR
        )
        result = await staff.plan_broadcast(broadcast, compose, channels=CHANNELS, window=window, actor=ACTOR)
        assert result.total == 1
        async with database.engine.connect() as conn:
            mine = OutboxMessage.payload["broadcast_id"].as_integer() == broadcast
            got = await conn.scalar(select(OutboxMessage.participant_id).where(mine))
        assert got == expected


async def test_a_scheduled_broadcast_can_be_edited_or_cancelled_only_until_it_starts(database, keys):
    staff = StaffStore(database, clock=lambda: NOW)
    later = NOW + timedelta(hours=3)
    broadcast = await staff.create_broadcast(
        name="News", texts={"en": "Hello."}, audience=Audience("updates"), send_at=later, actor=ACTOR
    )
    assert await staff.due_broadcasts() == []
    assert await staff.edit_broadcast(
        broadcast, name="News", texts={"en": "Hello again."}, audience=Audience("updates"), send_at=NOW, actor=ACTOR
    )
    assert await staff.due_broadcasts() == [broadcast]
    await staff.plan_broadcast(broadcast, compose, channels=CHANNELS, window=window, actor=ACTOR)
    assert not await staff.edit_broadcast(
        broadcast, name="x", texts={"en": "Too late."}, audience=Audience("updates"), send_at=NOW, actor=ACTOR
    )
    assert not await staff.cancel_broadcast(broadcast, actor=ACTOR)
    other = await staff.create_broadcast(
        name="Other", texts={"en": "Hi."}, audience=Audience("updates"), send_at=later, actor=ACTOR
    )
    assert await staff.cancel_broadcast(other, actor=ACTOR)
    assert await staff.plan_broadcast(other, compose, channels=CHANNELS, window=window, actor=ACTOR) is None
    entries, _ = await staff.audit_entries(limit=10)
    assert [e.action for e in entries][:3] == ["broadcast.cancel", "broadcast.create", "broadcast.send"]


async def test_forgetting_a_person_removes_their_broadcast_rows_and_links(database, keys):
    store = Store(database, keys, clock=lambda: NOW)
    staff = StaffStore(database, clock=lambda: NOW)
    gone = await person(store, 1)
    await person(store, 2)
    broadcast = await staff.create_broadcast(
        name="News", texts={"en": "Hello."}, audience=Audience("updates"), send_at=NOW, actor=ACTOR
    )
    await staff.plan_broadcast(broadcast, compose, channels=CHANNELS, window=window, actor=ACTOR)
    async with store.unit() as uow:
        await uow.forget(gone)
    assert await staff.progress(broadcast) == {"sms": {"pending": 1}}
    async with database.engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(OutboxMessage)) == 1
