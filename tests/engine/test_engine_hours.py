"""Office hours and quiet hours on the local clock, through the clocks changing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.hours import QuietHours, WeeklyHours

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
OFFICE = WeeklyHours.parse("Mon-Fri 09:00-17:00", LONDON)


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("when", "is_open"),
    [
        (london(2025, 3, 4, 9, 0), True),  # Tuesday, opening minute
        (london(2025, 3, 4, 16, 59), True),
        (london(2025, 3, 4, 17, 0), False),  # closing is exclusive
        (london(2025, 3, 4, 8, 59), False),
        (london(2025, 3, 8, 12, 0), False),  # Saturday
        (london(2025, 7, 1, 9, 30), True),  # summer time: still 9:30 on the wall
        (datetime(2025, 7, 1, 8, 30, tzinfo=UTC), True),  # 09:30 BST given in UTC
        (datetime(2025, 1, 7, 8, 30, tzinfo=UTC), False),  # 08:30 GMT
    ],
)
def test_office_hours_follow_the_wall_clock(when: datetime, is_open: bool) -> None:
    assert OFFICE.is_open(when) is is_open


def test_next_open_after_friday_evening_is_monday_morning() -> None:
    assert OFFICE.next_open(london(2025, 3, 7, 17, 30)) == london(2025, 3, 10, 9, 0)


def test_next_open_when_open_is_now() -> None:
    now = london(2025, 3, 4, 10, 15)
    assert OFFICE.next_open(now) == now


def test_next_open_across_the_spring_clock_change_is_nine_on_the_wall() -> None:
    # Clocks go forward on Sunday 30 March 2025; Monday opens at 09:00 BST, which is 08:00 UTC.
    opens = OFFICE.next_open(london(2025, 3, 28, 18, 0))
    assert opens.astimezone(UTC) == datetime(2025, 3, 31, 8, 0, tzinfo=UTC)


def test_a_start_time_that_the_clocks_skip_opens_when_they_jump() -> None:
    night = WeeklyHours.parse("Sun 01:30-03:00", LONDON)
    opens = night.next_open(datetime(2025, 3, 29, 23, 0, tzinfo=UTC))
    assert opens.astimezone(UTC) == datetime(2025, 3, 30, 1, 0, tzinfo=UTC)  # 02:00 BST
    assert opens.tzinfo is UTC, "answers come in the caller's time zone"
    assert night.is_open(opens) and not night.is_open(opens - timedelta(seconds=1))


def test_several_ranges_and_their_description() -> None:
    hours = WeeklyHours.parse("Mon-Thu 09:00-17:00, Fri 09:00-16:30", LONDON)
    assert hours.is_open(london(2025, 3, 6, 16, 45))  # Thursday
    assert not hours.is_open(london(2025, 3, 7, 16, 45))  # Friday
    assert hours.describe("en") == "Monday to Thursday, 9am to 5pm and Friday, 9am to 4:30pm"


def test_describe_in_english_and_welsh() -> None:
    assert OFFICE.describe("en") == "Monday to Friday, 9am to 5pm"
    assert OFFICE.describe("cy") == "Dydd Llun i ddydd Gwener, 9yb tan 5yh"
    assert OFFICE.describe("xx") == OFFICE.describe("en")


@pytest.mark.parametrize(
    ("setting", "says"),
    [
        ("", "empty"),
        ("Mon-Fri", "days then times"),
        ("Mon-Fry 09:00-17:00", "Fry"),
        ("Mon-Fri 9-5", "not a time"), ("Mon-Fri 09:00", "needs a start and an end time"),
        ("Mon-Fri 09:00-25:00", "25:00"),
        ("Mon-Fri 17:00-09:00", "cannot cross midnight"),
        ("Mon-Fri 09:60-17:00", "09:60"),
    ],
)
def test_bad_office_hours_say_what_is_wrong(setting: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        WeeklyHours.parse(setting, LONDON)


@pytest.mark.parametrize(
    ("setting", "says"),
    [("21:00", "needs a start and an end"), ("21:00-21:00", "same time"), ("9pm-8am", "not a time")],
)
def test_bad_quiet_hours_say_what_is_wrong(setting: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        QuietHours.parse(setting, LONDON)


def test_quiet_hours_cross_midnight() -> None:
    quiet = QuietHours.parse("21:00-08:00", LONDON)
    assert quiet.is_quiet(london(2025, 3, 4, 21, 0))
    assert quiet.is_quiet(london(2025, 3, 5, 7, 59))
    assert not quiet.is_quiet(london(2025, 3, 5, 8, 0))
    assert quiet.ends_after(london(2025, 3, 4, 22, 0)) == london(2025, 3, 5, 8, 0)
    assert quiet.ends_after(london(2025, 3, 5, 3, 0)) == london(2025, 3, 5, 8, 0)
    assert quiet.ends_after(london(2025, 3, 5, 12, 0)) == london(2025, 3, 5, 12, 0)


def test_quiet_hours_end_at_eight_on_the_wall_after_the_autumn_change() -> None:
    quiet = QuietHours.parse("21:00-08:00", LONDON)
    # Clocks go back on Sunday 26 October 2025: 08:00 GMT is 08:00 UTC, not 07:00.
    ends = quiet.ends_after(datetime(2025, 10, 25, 22, 0, tzinfo=UTC))
    assert ends == datetime(2025, 10, 26, 8, 0, tzinfo=UTC)


def test_quiet_hours_can_be_off() -> None:
    quiet = QuietHours.parse("off", LONDON)
    assert not quiet.is_quiet(london(2025, 3, 5, 3, 0))


_ZONES = st.sampled_from([LONDON, NEW_YORK, ZoneInfo("Australia/Lord_Howe"), ZoneInfo("UTC")])
_MOMENTS = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)
_CLOCK = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))


@st.composite
def _office_settings(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        days = draw(st.sampled_from(["Mon-Fri", "Sat", "Sun", "Tue-Thu", "Fri-Mon", "Wed"]))
        start = draw(st.integers(0, 22))
        end = draw(st.integers(start + 1, 24))
        parts.append(f"{days} {start:02d}:{draw(st.sampled_from(['00', '30']))}-{end:02d}:00")
    return ", ".join(parts)


@settings(max_examples=300, deadline=None)
@given(setting=_office_settings(), zone=_ZONES, when=_MOMENTS)
def test_next_open_is_the_first_open_moment(setting: str, zone: ZoneInfo, when: datetime) -> None:
    hours = WeeklyHours.parse(setting, zone)
    opens = hours.next_open(when)
    assert opens >= when
    assert hours.is_open(opens)
    if opens > when:
        # Nothing open in between: check the second before, and a spread of moments in the gap.
        assert not hours.is_open(opens - timedelta(seconds=1))
        gap = opens - when
        for n in range(1, 20):
            assert not hours.is_open(when + gap * n / 20)
    # A week, unless the only window falls in the hour a clock skips once a year ('Sun 02:00-03:00' in New
    # York on the spring-forward Sunday): then it opens the week after, up to 15 days away.
    assert opens - when <= timedelta(days=15)


@settings(max_examples=300, deadline=None)
@given(start=_CLOCK, end=_CLOCK, zone=_ZONES, when=_MOMENTS)
def test_quiet_hours_end_at_the_first_allowed_moment(start: str, end: str, zone: ZoneInfo, when: datetime) -> None:
    if start == end:
        return
    quiet = QuietHours.parse(f"{start}-{end}", zone)
    allowed = quiet.ends_after(when)
    assert allowed >= when
    assert not quiet.is_quiet(allowed)
    if allowed > when:
        assert quiet.is_quiet(allowed - timedelta(seconds=1))
        assert allowed - when <= timedelta(hours=48)
