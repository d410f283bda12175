"""Recurring check-ins: cron schedules staff can change, each firing queued once, for people who asked."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from loop_kit import STAFF, LoopWorld, Seeder

from bot.loop.cron import CronProblem, next_fire, upcoming
from bot.loop.loop import LoopProblem
from storage.loop.store import LoopStore
from storage.models import OutboxMessage

LONDON = ZoneInfo("Europe/London")
EVERY_OTHER_MONDAY = "week=*/2 day_of_week=mon hour=10"
FIRST = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # the first such Monday after Tuesday 24 November
SECOND = datetime(2026, 12, 14, 10, 0, tzinfo=UTC)


def test_schedules_read_both_ways_on_local_time():
    tuesday = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    assert next_fire(EVERY_OTHER_MONDAY, tuesday, LONDON) == FIRST
    assert upcoming(EVERY_OTHER_MONDAY, tuesday, LONDON, 2) == [FIRST, SECOND]
    summer = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    assert next_fire("0 10 * * mon", summer, LONDON) == datetime(2026, 6, 8, 9, 0, tzinfo=UTC)  # 10:00 BST


@pytest.mark.parametrize("bad", ["", "every tuesday", "0 25 * * *", "fortnight=2", "hour="])
def test_a_schedule_that_cannot_be_read_says_so(bad):
    with pytest.raises(CronProblem):
        next_fire(bad, datetime(2026, 11, 24, tzinfo=UTC), LONDON)


async def _people(world: LoopWorld) -> dict[str, int]:
    seed = Seeder(world)
    ids = {
        "asked": await seed.person("+447700900501", pack_id="waiting_list", question_id="feeling", value="ok",
                                   hear_back=None, consents=("checkins",)),
        "other_pack": await seed.person("+447700900502", hear_back=None, consents=("checkins",)),
        "did_not_ask": await seed.person("+447700900503", pack_id="waiting_list", question_id="feeling", value="ok",
                                         hear_back=None),
        "stopped": await seed.person("+447700900504", pack_id="waiting_list", question_id="feeling", value="ok",
                                     hear_back=None, consents=("checkins",), stopped=True),
    }
    await world.loop.save_checkin(
        name="every two weeks", pack_id="waiting_list", cron=EVERY_OTHER_MONDAY,
        texts={"en": "Hello. How are you feeling this week?", "cy": "Helo. Sut wyt ti'r wythnos hon?"},
        active=True, actor=STAFF,
    )
    return ids


async def _reminders(world: LoopWorld) -> list[int]:
    rows = await world.rows(OutboxMessage.participant_id, where=OutboxMessage.kind == "reminder")
    return sorted(r.participant_id for r in rows)


async def test_each_firing_reminds_the_people_who_asked_once(world: LoopWorld):
    ids = await _people(world)
    [schedule] = await world.loop.store.checkins()
    assert schedule.next_run_at == FIRST

    assert await world.loop.tick() == []
    world.clock.now = FIRST
    [(fired, queued)] = await world.loop.tick()
    assert (fired.name, queued) == ("every two weeks", 1)
    assert await _reminders(world) == [ids["asked"]]
    assert await world.loop.tick() == []  # the same firing is never planned twice
    [schedule] = await world.loop.store.checkins()
    assert (schedule.next_run_at, schedule.last_run_at, schedule.last_count) == (SECOND, FIRST, 1)

    await world.deliver()
    [text] = await world.texts_to("+447700900501")
    assert "Hello. How are you feeling this week?" in text
    assert "Send WAITING to start." in text
    replies = await world.sms("+447700900501", "WAITING")
    assert any("This is a check-in while you wait." in r for r in replies)


async def test_two_processes_ticking_at_once_plan_a_firing_once(world: LoopWorld):
    await _people(world)
    other = type(world.loop)(**{**world.loop.__dict__, "store": LoopStore(world.parts.database, clock=world.clock)})
    world.clock.now = FIRST
    results = await asyncio.gather(world.loop.tick(), other.tick())
    assert sorted(len(r) for r in results) == [0, 1]
    assert len(await _reminders(world)) == 1


async def test_someone_who_checked_in_since_the_last_reminder_is_not_reminded(world: LoopWorld):
    ids = await _people(world)
    world.clock.now = FIRST
    await world.loop.tick()
    world.clock.now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    async with world.parts.store.unit() as uow:  # they started the pack again on their own
        await uow.start_submission(str(uuid.uuid4()), ids["asked"], "waiting_list", 1, "en", "sms")
    world.clock.now = SECOND
    [(_, queued)] = await world.loop.tick()
    assert queued == 0


async def test_staff_can_change_the_schedule_and_missed_firings_fold_into_one(world: LoopWorld):
    await _people(world)
    await world.loop.save_checkin(
        name="every two weeks", pack_id="waiting_list", cron="0 9 * * fri",
        texts={"en": "Hello. How are you feeling this week?"}, active=True, actor=STAFF,
    )
    [schedule] = await world.loop.store.checkins()
    assert schedule.next_run_at == datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    world.clock.now = datetime(2027, 1, 8, 12, 0, tzinfo=UTC)  # six Fridays went by with nothing running
    [(_, queued)] = await world.loop.tick()
    assert queued == 1
    [schedule] = await world.loop.store.checkins()
    assert schedule.next_run_at == datetime(2027, 1, 15, 9, 0, tzinfo=UTC)


async def test_a_schedule_turned_off_sends_nothing(world: LoopWorld):
    await _people(world)
    await world.loop.save_checkin(
        name="every two weeks", pack_id="waiting_list", cron=EVERY_OTHER_MONDAY,
        texts={"en": "Hello. How are you feeling this week?"}, active=False, actor=STAFF,
    )
    world.clock.now = SECOND
    assert await world.loop.tick() == []
    assert await _reminders(world) == []


async def test_bad_schedules_and_unknown_packs_are_refused(world: LoopWorld):
    with pytest.raises(LoopProblem, match="cannot be read"):
        await world.loop.save_checkin(name="x", pack_id="waiting_list", cron="every day", texts={"en": "Hello."},
                                      active=True, actor=STAFF)
    with pytest.raises(LoopProblem, match="no question pack"):
        await world.loop.save_checkin(name="x", pack_id="nope", cron="0 9 * * fri", texts={"en": "Hello."},
                                      active=True, actor=STAFF)
