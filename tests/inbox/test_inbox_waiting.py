"""How long a person has waited, in office hours: the inbox's order and what staff read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.hours import WeeklyHours
from bot.inbox.waiting import office_time, waited_words

LONDON = ZoneInfo("Europe/London")
HOURS = WeeklyHours.parse("Mon-Thu 09:00-17:00, Fri 09:00-16:30", LONDON)
# Within a year, under the 400 days a wait is counted back (an older one is long whatever it is).
moments = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC)
)


def test_a_weekend_does_not_count() -> None:
    friday_11pm = datetime(2026, 11, 27, 23, 0, tzinfo=UTC)
    monday_930 = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
    assert office_time(HOURS, friday_11pm, monday_930) == timedelta(minutes=30)
    assert waited_words(office_time(HOURS, friday_11pm, monday_930)) == "30 minutes"


def test_a_whole_week_is_the_office_hours_of_a_week() -> None:
    monday = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)
    assert office_time(HOURS, monday, monday + timedelta(days=7)) == timedelta(hours=4 * 8 + 7.5)


def test_the_clocks_changing_keeps_9am_at_9am() -> None:
    # 29 March 2026: the clocks go forward in London; Monday 9am is 08:00 UTC.
    friday_5pm = datetime(2026, 3, 27, 17, 0, tzinfo=UTC)
    monday_10am_local = datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
    assert office_time(HOURS, friday_5pm, monday_10am_local) == timedelta(hours=1)


@given(moments, moments, moments)
def test_waiting_adds_up_and_is_never_more_than_the_clock(a: datetime, b: datetime, c: datetime) -> None:
    since, middle, until = sorted((a, b, c))
    whole = office_time(HOURS, since, until)
    assert whole == office_time(HOURS, since, middle) + office_time(HOURS, middle, until)
    assert timedelta(0) <= whole <= until - since
    assert office_time(HOURS, until, since) == timedelta(0) or until == since


def test_words() -> None:
    assert waited_words(timedelta(seconds=20)) == "less than a minute"
    assert waited_words(timedelta(minutes=61)) == "1 hour 1 minute"
    assert waited_words(timedelta(hours=26, minutes=5)) == "26 hours 5 minutes"
