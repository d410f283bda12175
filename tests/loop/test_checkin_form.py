"""Check-ins without cron: a form (how often, which day, what time), shown back in words; the monthly
check-in the waiting-list pack promises, set up by default; and the console's warning about promises that
are not set up."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from loop_kit import STAFF, LoopWorld
from test_staff_loop_pages import Console, staff  # noqa: F401  (the console fixture)

from bot.loop.cron import next_fire
from bot.loop.schedule import DAYS, NTH, Every, ScheduleProblem, describe, from_cron, from_form

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(("every", "words"), [
    (Every("month", 0, time(16), 1), "every month on the first Monday at 4 pm"),
    (Every("month", 4, time(9, 30), -1), "every month on the last Friday at 9:30 am"),
    (Every("2weeks", 2, time(12), 1), "every 2 weeks on Wednesday at 12 noon"),
    (Every("week", 6, time(0, 5), 1), "every week on Sunday at 12:05 am"),
])
def test_a_schedule_reads_as_words(every, words):
    assert every.words() == words
    assert describe(every.cron()) == words


def test_schedules_written_by_hand_read_as_words_when_they_can():
    assert describe("week=*/2 day_of_week=mon hour=10") == "every 2 weeks on Monday at 10 am"
    assert describe("0 9 * * fri") == "every week on Friday at 9 am"
    assert describe("0 9 1 * *") == "a custom schedule"
    assert describe("day_of_week=mon-fri hour=9") == "a custom schedule"


@given(st.sampled_from(["week", "2weeks", "month"]), st.integers(0, 6), st.integers(0, 23), st.integers(0, 59),
       st.sampled_from(sorted(NTH)))
def test_every_form_choice_makes_a_schedule_that_runs_and_reads_back_the_same(often, day, hour, minute, nth):
    every = from_form(often, DAYS[day], str(nth), f"{hour:02d}:{minute:02d}")
    assert from_cron(every.cron()) == every
    fire = next_fire(every.cron(), datetime(2026, 11, 24, 12, tzinfo=UTC), LONDON)
    assert fire is not None
    local = fire.astimezone(LONDON)
    assert (local.weekday(), local.hour, local.minute) == (day, hour, minute)  # no clock change before March


@given(st.text(max_size=12))
def test_a_time_that_is_not_a_time_gets_a_kind_error_not_a_crash(text):
    try:
        every = from_form("week", "mon", "1", text)
    except ScheduleProblem as problem:
        assert problem.field == "time" and "like 16:00" in problem.message
    else:
        assert 0 <= every.at.hour < 24


def test_the_first_monday_at_4_pm_fires_on_the_first_monday():
    cron = Every("month", 0, time(16), 1).cron()
    fire = next_fire(cron, datetime(2026, 11, 24, 12, tzinfo=UTC), LONDON)
    assert fire == datetime(2026, 12, 7, 16, tzinfo=UTC)  # Monday 7 December, 4 pm (GMT)


async def test_the_form_saves_a_check_in_and_shows_it_in_words(staff: Console):  # noqa: F811
    await staff.sign_in_as("staff")
    form = (await staff.http.get("/staff/checkins")).text
    assert 'type="radio" id="every-month" name="every" value="month" checked' in form
    saved = await staff.post("/staff/checkins", {
        "name": "Monthly", "pack": "waiting_list", "every": "month", "which": "1", "day": "mon", "time": "16:00",
        "cron": "", "text_en": "Hello. How are you feeling this month?", "active": "on",
    }, csrf_from="/staff/checkins")
    assert saved.status_code == 303
    page = (await staff.http.get("/staff/checkins")).text
    assert "Every month on the first Monday at 4 pm" in page
    assert "Mon 07 Dec 2026, 16:00" in page  # when it goes next, in local time
    assert "<code>" not in page.split("<tbody>")[1].split("</tbody>")[0]  # no cron shown for a form schedule


async def test_a_time_in_quiet_hours_is_refused_kindly_and_nothing_is_lost(staff: Console):  # noqa: F811
    await staff.sign_in_as("staff")
    refused = await staff.post("/staff/checkins", {
        "name": "Late", "pack": "waiting_list", "every": "week", "which": "1", "day": "tue", "time": "22:30",
        "cron": "", "text_en": "Hello. How are you?", "active": "on",
    }, csrf_from="/staff/checkins")
    assert refused.status_code == 400
    assert "10:30 pm is in quiet hours" in refused.text
    assert 'value="22:30"' in refused.text and "Hello. How are you?" in refused.text  # the draft is kept
    bad_time = await staff.post("/staff/checkins", {
        "name": "Late", "pack": "waiting_list", "every": "week", "which": "1", "day": "tue", "time": "4 o'clock",
        "cron": "", "text_en": "Hello. How are you?",
    }, csrf_from="/staff/checkins")
    assert bad_time.status_code == 400 and "Write the time like 16:00" in bad_time.text
    assert [s.name for s in await staff.world.loop.store.checkins()] == []


async def test_outside_office_hours_is_allowed_but_said(staff: Console):  # noqa: F811
    await staff.sign_in_as("staff")
    await staff.post("/staff/checkins", {
        "name": "Saturday", "pack": "waiting_list", "every": "week", "which": "1", "day": "sat", "time": "10:00",
        "cron": "", "text_en": "Hello. How are you?", "active": "on",
    }, csrf_from="/staff/checkins")
    page = (await staff.http.get("/staff/checkins")).text
    assert "Every week on Saturday at 10 am" in page
    assert "Saturday at 10 am is outside office hours" in page


async def test_the_waiting_list_check_in_is_set_up_once_in_office_hours(world: LoopWorld):
    made = await world.loop.ensure_default_checkins()
    assert made == ["Monthly check-in: waiting_list"]
    [schedule] = await world.loop.store.checkins()
    assert describe(schedule.cron) == "every month on the first Monday at 4 pm"
    assert schedule.active and schedule.next_run_at == datetime(2026, 12, 7, 16, tzinfo=UTC)
    assert set(schedule.texts) == {"en", "cy"}
    # Staff turn it off: starting again does not turn it back on, or add another.
    await world.loop.save_checkin(name=schedule.name, pack_id="waiting_list", cron=schedule.cron,
                                  texts=schedule.texts, active=False, actor=STAFF)
    assert await world.loop.ensure_default_checkins() == []
    [schedule] = await world.loop.store.checkins()
    assert not schedule.active


async def test_the_default_check_in_moves_to_fit_short_office_hours(make_world):
    async with make_world(office_hours="Tue-Thu 10:00-14:00") as world:
        every = world.loop.default_every()
        assert every.words() == "every month on the first Tuesday at 1 pm"
        await world.loop.ensure_default_checkins()
        [schedule] = await world.loop.store.checkins()
        assert world.loop.office_warning(from_cron(schedule.cron)) is None


async def test_the_console_home_warns_about_promises_until_they_are_set_up(staff: Console):  # noqa: F811
    await staff.sign_in_as("staff")
    home = (await staff.http.get("/staff")).text
    warning = re.search(r'<section class="notice notice-warn".*?</section>', home, re.DOTALL).group(0)
    assert "“For young people: while you wait” asks “Can we check in with you like this every month?”" in warning
    assert "no check-in is set up" in warning and 'href="/staff/checkins"' in warning
    assert "“Can we send you news about your wait?”, but no update has been sent or planned" in warning
    await staff.world.loop.ensure_default_checkins()
    home = (await staff.http.get("/staff")).text
    assert "no check-in is set up" not in home
    assert "no update has been sent or planned" in home
