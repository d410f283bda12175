"""SAID_DAILY_MESSAGE_CAP as a parent sees it: at most that many updates (broadcasts, follow-ups, reminders)
in a day, however they were planned; one more waits for the next morning, and is never dropped. An answer
to their own message always comes at once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.app.staff import build_staff
from bot.messages import Say
from bot.messages_json import message_to_dict
from storage.models import OutboxMessage
from storage.staff.broadcasts import Audience
from storage.staff.records import Actor

from .conftest import PERSON, replies, sms_world

LEAD = Actor("lead@example.org")


async def _person(world) -> int:
    replies(await world.text("DEMO"))  # they wrote to us: their number is in the vault
    async with world.parts.store.unit() as uow:
        person = await uow.participant("sms", PERSON)
        await uow.set_consent(person.id, "updates", True)
    return person.id


async def _queue(world, person: int, kind: str, text: str, *, direct_reply: bool = False) -> int:
    async with world.parts.store.unit() as uow:
        payload = {"messages": [message_to_dict(Say(text))]}
        return await uow.enqueue(person, "sms", kind, payload, direct_reply=direct_reply)


async def _broadcast(world, text: str) -> None:
    """A broadcast to everyone who wants updates, planned now by the staff console's own planner."""
    parts = world.parts
    console = build_staff(parts.settings, parts.database, parts.service.prompts, channels=parts.senders,
                          clock=world.clock)
    broadcast = await console.store.create_broadcast(
        name=text[:20], texts={"en": text}, audience=Audience("updates"), send_at=world.clock(), actor=LEAD
    )
    assert await console.planner.send_now(broadcast, LEAD) is not None


async def _next_attempt(world, outbox_id: int) -> datetime:
    async with world.parts.database.engine.connect() as conn:
        return await conn.scalar(select(OutboxMessage.next_attempt_at).where(OutboxMessage.id == outbox_id))


def _texts(world) -> list[str]:
    """What the person got, without the message symbol a broadcast ends with."""
    return [m.body.removesuffix(" \N{SPEECH BALLOON}") for m in world.fake.messages]


async def test_a_follow_up_beside_two_broadcasts_waits_for_the_next_morning(world) -> None:
    person = await _person(world)  # Tuesday 24 November, 12:00 in London
    await _broadcast(world, "The group is on Thursday.")
    await _broadcast(world, "The car park is closed.")  # both planned: nothing was queued or sent yet
    follow_up = await _queue(world, person, "followup", "You said the room was cold. We fixed the heating.")
    assert (await world.tick()).sent == 2
    assert _texts(world) == ["The group is on Thursday.", "The car park is closed."]
    assert await _next_attempt(world, follow_up) == datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    for moment in (datetime(2026, 11, 24, 23, 30, tzinfo=UTC), datetime(2026, 11, 25, 7, 59, tzinfo=UTC)):
        world.clock.now = moment
        await world.tick()
    assert len(_texts(world)) == 2, "nothing more that day, nor in the night"
    world.clock.now = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    assert (await world.tick()).sent == 1
    assert _texts(world)[2:] == ["You said the room was cold. We fixed the heating."]


async def test_updates_sent_earlier_in_the_day_count(world) -> None:
    person = await _person(world)
    world.clock.now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    await _queue(world, person, "reminder", "Your check-in is today.")
    assert (await world.tick()).sent == 1
    world.clock.now = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)
    await _queue(world, person, "followup", "Was this helpful?")
    assert (await world.tick()).sent == 1
    world.clock.now = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)
    third = await _queue(world, person, "broadcast", "The group is on Thursday.")
    stats = await world.tick()
    assert stats.sent == 0 and len(_texts(world)) == 2
    assert await _next_attempt(world, third) == datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


async def test_a_broadcast_planned_yesterday_and_sent_today_counts_today(world) -> None:
    await _person(world)
    world.clock.now = datetime(2026, 11, 24, 20, 55, tzinfo=UTC)
    await _broadcast(world, "Tuesday news.")  # too late to go out before quiet hours
    world.clock.now = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
    # Planning counts Wednesday's messages; Tuesday's late broadcast is not one of them yet.
    await _broadcast(world, "Wednesday news.")
    await _broadcast(world, "More Wednesday news.")
    world.clock.now = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    assert (await world.tick()).sent == 2
    assert _texts(world) == ["Tuesday news.", "Wednesday news."]
    world.clock.now = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)
    assert (await world.tick()).sent == 0
    world.clock.now = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    assert (await world.tick()).sent == 1
    assert _texts(world)[2:] == ["More Wednesday news."]


async def test_an_answer_to_their_own_message_is_never_held(world) -> None:
    person = await _person(world)
    for n in range(2):
        await _queue(world, person, "broadcast", f"News {n}.")
    await _queue(world, person, "broadcast", "News held back.")
    assert (await world.tick()).sent == 2
    # Their day's updates are used up; they write to us, and the answer still comes at once.
    assert replies(await world.text("When is the group?"))
    await _queue(world, person, "reply", "The group is on Thursday at 4pm.", direct_reply=True)
    assert (await world.tick()).sent == 1
    assert _texts(world) == ["News 0.", "News 1.", "The group is on Thursday at 4pm."]


@pytest.mark.parametrize(
    ("quiet_hours", "held_until"),
    [
        ("off", datetime(2026, 6, 10, 23, 0, tzinfo=UTC)),  # midnight in London (summer time)
        ("22:00-09:30", datetime(2026, 6, 11, 8, 30, tzinfo=UTC)),  # 09:30 in London
    ],
)
async def test_the_day_is_the_local_day_and_the_wait_ends_outside_quiet_hours(
    database, fake_twilio, tmp_path, quiet_hours, held_until
) -> None:
    async with sms_world(database, fake_twilio, tmp_path, quiet_hours=quiet_hours, daily_message_cap=1) as world:
        world.clock.now = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)
        person = await _person(world)
        await _queue(world, person, "broadcast", "First.")
        held = await _queue(world, person, "broadcast", "Second.")
        assert (await world.tick()).sent == 1
        assert await _next_attempt(world, held) == held_until
        world.clock.now = held_until
        assert (await world.tick()).sent == 1
        assert _texts(world) == ["First.", "Second."]
