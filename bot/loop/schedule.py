"""Check-in schedules in words staff use: "every month on the first Monday at 4 pm".

Staff pick how often (every week, every 2 weeks, every month), a day and a time; this module turns that
into the schedule text `bot.loop.cron` reads (and the database keeps), and reads a schedule back into
words. A schedule written by hand in cron syntax that is not one of these shapes still works; it is
shown as "a custom schedule" with its text.

    Every("month", weekday=0, nth=1, at=time(16)).cron()   -> "day=1st mon hour=16 minute=0"
    describe("day=1st mon hour=16 minute=0")              -> "every month on the first Monday at 4 pm"

"Every 2 weeks" is APScheduler's `week=*/2`: odd ISO weeks. After a year with 53 weeks, week 53 and
week 1 are both odd, so once every few years two check-ins come a week apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from typing import Literal

Often = Literal["week", "2weeks", "month"]
OFTEN: dict[str, str] = {"week": "every week", "2weeks": "every 2 weeks", "month": "every month"}
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NTH: dict[int, tuple[str, str]] = {  # which weekday of the month: (APScheduler's word, ours)
    1: ("1st", "first"), 2: ("2nd", "second"), 3: ("3rd", "third"), 4: ("4th", "fourth"), -1: ("last", "last"),
}


class ScheduleProblem(ValueError):
    """A choice in the check-in form that cannot make a schedule; the message says what to change, and
    `field` which of the form's fields it is about."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True, slots=True)
class Every:
    often: Often
    weekday: int  # Monday is 0
    at: time
    nth: int = 1  # for "month": 1 to 4, or -1 for the last one

    def cron(self) -> str:
        day = DAYS[self.weekday]
        clock = f"hour={self.at.hour} minute={self.at.minute}"
        if self.often == "month":
            return f"day={NTH[self.nth][0]} {day} {clock}"
        if self.often == "2weeks":
            return f"week=*/2 day_of_week={day} {clock}"
        return f"day_of_week={day} {clock}"

    def words(self) -> str:
        day = DAY_NAMES[self.weekday]
        if self.often == "month":
            return f"every month on the {NTH[self.nth][1]} {day} at {clock_words(self.at)}"
        return f"{OFTEN[self.often]} on {day} at {clock_words(self.at)}"


def clock_words(at: time) -> str:
    """4 pm, 4:30 pm, 12 noon, 9 am."""
    if at == time(12, 0):
        return "12 noon"
    hour = at.hour % 12 or 12
    half = "am" if at.hour < 12 else "pm"
    return f"{hour} {half}" if at.minute == 0 else f"{hour}:{at.minute:02d} {half}"


def from_form(often: str, day: str, which: str, at: str) -> Every:
    """The check-in form's choices; a `ScheduleProblem` says kindly which one to change."""
    if often not in OFTEN:
        raise ScheduleProblem("Choose how often: every week, every 2 weeks or every month.", "every")
    if day not in DAYS:
        raise ScheduleProblem("Choose a day of the week.", "day")
    match = re.fullmatch(r"\s*([01]?\d|2[0-3]):([0-5]\d)\s*", at or "")
    if match is None:
        raise ScheduleProblem("Write the time like 16:00 (a 24-hour clock).", "time")
    nth = 1
    if often == "month":
        try:
            nth = int(which)
        except ValueError:
            nth = 0
        if nth not in NTH:
            raise ScheduleProblem("Choose which week of the month: first, second, third, fourth or last.", "which")
    return Every(often, DAYS.index(day), time(int(match.group(1)), int(match.group(2))), nth)  # type: ignore[arg-type]


_FIELDS = re.compile(r"(\w+)=(\S+(?: (?:mon|tue|wed|thu|fri|sat|sun)\b)?)")


def from_cron(text: str) -> Every | None:
    """The form's shape of a schedule, or None when it was written in some other shape."""
    parts = " ".join(text.split())
    if "=" not in parts:
        fields = parts.split(" ")
        if len(fields) == 5 and fields[2:4] == ["*", "*"] and fields[4] in DAYS and fields[0].isdigit() \
                and fields[1].isdigit() and int(fields[1]) < 24 and int(fields[0]) < 60:
            return Every("week", DAYS.index(fields[4]), time(int(fields[1]), int(fields[0])))
        return None
    found = dict(_FIELDS.findall(parts))
    if " ".join(f"{k}={v}" for k, v in found.items()) != parts:
        return None
    try:
        at = time(int(found.pop("hour")), int(found.pop("minute", "0")))
    except (KeyError, ValueError):
        return None
    if set(found) == {"day"}:
        nth_word, _, day = found["day"].partition(" ")
        nth = next((n for n, (word, _) in NTH.items() if word == nth_word), None)
        return Every("month", DAYS.index(day), at, nth) if nth is not None and day in DAYS else None
    day = found.get("day_of_week")
    if day not in DAYS:
        return None
    if set(found) == {"day_of_week"}:
        return Every("week", DAYS.index(day), at)
    if set(found) == {"day_of_week", "week"} and found["week"] == "*/2":
        return Every("2weeks", DAYS.index(day), at)
    return None


def describe(cron: str) -> str:
    """A schedule in words, for the console: "every 2 weeks on Monday at 10 am"."""
    every = from_cron(cron)
    return every.words() if every is not None else "a custom schedule"
