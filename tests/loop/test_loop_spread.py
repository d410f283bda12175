"""A large batch is spread at the channel's rate and falls due only outside quiet hours."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st
from loop_kit import STAFF

from bot.hours import QuietHours
from bot.loop.spread import SHARE, send_runs
from storage.models import OutboxMessage

LONDON = ZoneInfo("Europe/London")
QUIET = QuietHours.parse("21:00-08:00", LONDON)


def times(runs, limit: int = 50) -> list[datetime]:
    """Sending times of the first and last rows of every run (every row would be too many)."""
    found = []
    for run in runs:
        for i in {*range(min(run.count, limit)), max(run.count - 1, 0)}:
            found.append(run.start + timedelta(seconds=i * run.every))
    return found


@settings(max_examples=200, deadline=None)
@given(
    now=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)),
    count=st.integers(min_value=0, max_value=300_000),
    rate=st.one_of(st.none(), st.floats(min_value=0.2, max_value=50)),
    quiet=st.sampled_from(["21:00-08:00", "off", "22:30-07:15", "01:00-02:00"]),
)
def test_every_row_is_planned_once_at_or_after_now_and_never_in_quiet_hours(now, count, rate, quiet):
    hours = QuietHours.parse(quiet, LONDON)
    runs = send_runs(now, count, rate=rate, quiet=hours)
    assert sum(run.count for run in runs) == count
    assert [run.start for run in runs] == sorted(run.start for run in runs)
    for moment in times(runs):
        assert moment >= now
        # Quiet hours start and end on whole minutes, so the SQL's whole seconds (rounded down) stay out too.
        assert not hours.is_quiet(moment)
    if rate and count:
        assert all(run.every == 1 / (rate * SHARE) for run in runs)
    for earlier, later in itertools.pairwise(runs):
        assert earlier.start + timedelta(seconds=earlier.count * earlier.every) <= later.start


def test_a_batch_that_starts_late_in_the_evening_carries_on_in_the_morning():
    evening = datetime(2026, 11, 24, 20, 59, 50, tzinfo=UTC)
    runs = send_runs(evening, 20, rate=1.0, quiet=QUIET)
    assert [(run.start, run.count) for run in runs] == [
        (evening, 8),  # 20:59:50 to 20:59:58.75, one every 1.25 s
        (datetime(2026, 11, 25, 8, 0, tzinfo=UTC), 12),
    ]


def test_without_a_rate_everything_is_due_at_the_end_of_quiet_hours():
    late = datetime(2026, 11, 24, 23, 0, tzinfo=UTC)
    assert [(r.start, r.count, r.every) for r in send_runs(late, 500, rate=None, quiet=QUIET)] == [
        (datetime(2026, 11, 25, 8, 0, tzinfo=UTC), 500, 0.0)
    ]


async def test_the_stored_sending_times_follow_the_plan(make_world):
    evening = datetime(2026, 11, 24, 20, 59, 50, tzinfo=UTC)
    async with make_world(at=evening, sms_rate_per_second=1) as world:
        from loop_kit import Seeder

        people = Seeder(world)
        theme_id = await world.loop.store.create_theme("waiting times", actor=STAFF)
        for n in range(20):
            await people.person(f"+4477009001{n:02d}")
        for answer_id in await world.answer_ids("wait"):
            await world.loop.store.tag("answer", answer_id, "waiting times", actor=STAFF)
        action_id, _ = await world.loop.create_action(
            you_said={"en": "The wait was too long."}, we_did={"en": "We added visits on Saturdays."},
            status="done", symbol="clock", happened_on=evening.date(), theme_ids=[theme_id], actor=STAFF,
        )
        await world.loop.publish(action_id, actor=STAFF)
        due = sorted(r.next_attempt_at for r in await world.rows(OutboxMessage.next_attempt_at))

    assert len(due) == 20
    evening_part = [d for d in due if d.date() == evening.date()]
    morning_part = [d for d in due if d.date() != evening.date()]
    assert [d.second for d in evening_part] == [50, 51, 52, 53, 55, 56, 57, 58]  # 1.25 s apart, whole seconds
    assert morning_part[0] == datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    assert morning_part[-1] == datetime(2026, 11, 25, 8, 0, 13, tzinfo=UTC)  # 11 × 1.25 s later
    assert not any(QUIET.is_quiet(d) for d in due)
