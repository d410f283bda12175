"""Office hours and quiet hours, on the local wall clock.

Both settings are written as people say them ("Mon-Fri 09:00-17:00", "21:00-08:00") and read against
the service's time zone, so "9am" stays 9am across the clocks changing. On the spring-forward day a wall
time that does not exist (01:30 in London) is reached at the moment the clocks jump; on the fall-back day
a repeated wall time counts from its first occurrence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_ZONE = ZoneInfo("Europe/London")
_DAY = 24 * 3600

_DAY_NAMES = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    # Welsh needs review by a native speaker. Second form: after "i" ("to"), with soft mutation.
    "cy": ("Dydd Llun", "Dydd Mawrth", "Dydd Mercher", "Dydd Iau", "Dydd Gwener", "Dydd Sadwrn", "Dydd Sul"),
}
_TO = {"en": "to", "cy": "i"}
_UNTIL = {"en": "to", "cy": "tan"}
_AND = {"en": "and", "cy": "a"}
_DAY_ABBREVIATIONS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5, "sun": 6, "sunday": 6,
}
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


def _seconds(text: str, setting: str) -> int:
    """Seconds after midnight for "09:00"; "24:00" is allowed as an end of day."""
    match = _CLOCK.match(text.strip())
    if not match:
        raise ValueError(f"{setting}: '{text.strip()}' is not a time; write it like 09:00 or 17:30")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise ValueError(f"{setting}: '{text.strip()}' is not a time of day; use 00:00 to 24:00")
    return hours * 3600 + minutes * 60


def _time_span(text: str, setting: str) -> tuple[int, int]:
    if text.count("-") != 1:
        raise ValueError(f"{setting}: '{text}' needs a start and an end time, like 09:00-17:00")
    start, end = text.split("-")
    return _seconds(start, setting), _seconds(end, setting)


def _wall_seconds(local: datetime) -> float:
    return local.hour * 3600 + local.minute * 60 + local.second + local.microsecond / 1e6


def _zone(timezone: ZoneInfo | str) -> ZoneInfo:
    return timezone if isinstance(timezone, ZoneInfo) else ZoneInfo(timezone)


def first_moment_at(day: date, seconds: int, zone: ZoneInfo) -> datetime:
    """The first instant whose wall clock on `day` reads `seconds` after midnight, or later.

    Usually that wall time exists; in a spring-forward gap it does not, and the answer is the moment
    the clocks jump forward, the first instant whose wall clock has passed it.
    """
    if seconds >= _DAY:
        return first_moment_at(day + timedelta(days=1), 0, zone)
    wall = datetime.combine(day, time(seconds // 3600, seconds // 60 % 60), tzinfo=zone)
    instant = wall.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) == wall.replace(tzinfo=None):
        return instant.astimezone(zone)  # exists; fold=0 is its first occurrence
    # In a gap: the jump lies between the wall time read with the later offset (fold=1, before the
    # jump) and with the earlier offset (fold=0, after it). Clocks jump on whole seconds.
    low = int(wall.replace(fold=1).timestamp())
    high = int(instant.timestamp())
    low, high = min(low, high), max(low, high)
    while high - low > 1:
        middle = (low + high) // 2
        local = datetime.fromtimestamp(middle, zone)
        if local.date() > day or (local.date() == day and _wall_seconds(local) >= seconds):
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, zone)


def local_day(when: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The local day `when` falls in: its first moment and the next day's (what a daily cap counts)."""
    day = when.astimezone(zone).date()
    return first_moment_at(day, 0, zone), first_moment_at(day + timedelta(days=1), 0, zone)


@dataclass(frozen=True)
class _Span:
    weekday: int  # Monday is 0
    start: int  # seconds after midnight
    end: int


@dataclass(frozen=True)
class WeeklyHours:
    """When a person reads messages, for example "Mon-Thu 09:00-17:00, Fri 09:00-16:30"."""

    spans: tuple[_Span, ...]
    zone: ZoneInfo
    source: str

    @classmethod
    def parse(cls, text: str, timezone: ZoneInfo | str = DEFAULT_ZONE) -> WeeklyHours:
        setting = "office hours"
        spans: list[_Span] = []
        parts = [part.strip() for part in text.split(",") if part.strip()]
        if not parts:
            raise ValueError(f"{setting} are empty; write them like Mon-Fri 09:00-17:00")
        for part in parts:
            words = part.split()
            if len(words) != 2:
                raise ValueError(f"{setting}: '{part}' should be days then times, like Mon-Fri 09:00-17:00")
            days = cls._days(words[0], setting)
            start, end = _time_span(words[1], setting)
            if end <= start:
                raise ValueError(
                    f"{setting}: '{words[1]}' ends before it starts; office hours cannot cross midnight"
                )
            spans.extend(_Span(day, start, end) for day in days)
        return cls(tuple(sorted(spans, key=lambda s: (s.weekday, s.start))), _zone(timezone), text.strip())

    @staticmethod
    def _days(text: str, setting: str) -> list[int]:
        names = text.lower().split("-")
        if len(names) > 2 or not all(name in _DAY_ABBREVIATIONS for name in names):
            raise ValueError(f"{setting}: '{text}' is not a day or a range of days; write Mon, Tue … Sun")
        first, last = _DAY_ABBREVIATIONS[names[0]], _DAY_ABBREVIATIONS[names[-1]]
        return [(first + n) % 7 for n in range((last - first) % 7 + 1)]

    def is_open(self, when: datetime) -> bool:
        local = when.astimezone(self.zone)
        now = _wall_seconds(local)
        return any(s.weekday == local.weekday() and s.start <= now < s.end for s in self.spans)

    def next_open(self, when: datetime) -> datetime:
        """`when` itself if open now, otherwise the next moment a person is there, in `when`'s time zone.

        (In the caller's zone because adding to a datetime in a DST zone is wall-clock arithmetic.)
        """
        if self.is_open(when):
            return when
        local_day = when.astimezone(self.zone).date()
        # Two weeks covers every weekly pattern even if a DST jump swallows one opening.
        for offset in range(15):
            day = local_day + timedelta(days=offset)
            for span in self.spans:
                if span.weekday != day.weekday():
                    continue
                moment = first_moment_at(day, span.start, self.zone)
                if moment >= when and self.is_open(moment):
                    return moment.astimezone(when.tzinfo)
        raise ValueError(f"office hours '{self.source}' never open")

    def describe(self, language: str) -> str:
        """In words, for example "Monday to Friday, 9am to 5pm"."""
        lang = language if language in _DAY_NAMES else "en"
        names = _DAY_NAMES[lang]
        groups: list[tuple[list[int], int, int]] = []
        for (start, end) in dict.fromkeys((s.start, s.end) for s in self.spans):
            days = sorted({s.weekday for s in self.spans if (s.start, s.end) == (start, end)})
            groups.append((days, start, end))
        phrases: list[str] = []
        for days, start, end in groups:
            times = f"{_clock_words(start, lang)} {_UNTIL[lang]} {_clock_words(end, lang)}"
            phrases.extend(f"{_day_words(run, names, lang)}, {times}" for run in _runs(days))
        if len(phrases) == 1:
            return phrases[0]
        return f"{', '.join(phrases[:-1])} {_AND[lang]} {phrases[-1]}"


def _runs(days: list[int]) -> list[list[int]]:
    """Consecutive weekdays grouped: [0, 1, 2, 4] gives [[0, 1, 2], [4]]."""
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def _day_words(run: list[int], names: tuple[str, ...], lang: str) -> str:
    if len(run) == 1:
        return names[run[0]]
    last = names[run[-1]]
    if lang == "cy":
        last = "ddydd" + last[4:]  # soft mutation after "i"
    joiner = " and " if lang == "en" and len(run) == 2 else f" {_TO[lang]} "
    return f"{names[run[0]]}{joiner}{last}"


def _clock_words(seconds: int, lang: str) -> str:
    """9am, 4:30pm, midnight. Welsh uses yb (y bore) and yh (yr hwyr)."""
    hours, minutes = divmod(seconds // 60, 60)
    if hours in (0, 24) and minutes == 0:
        return "midnight" if lang == "en" else "hanner nos"
    if hours == 12 and minutes == 0:
        return "midday" if lang == "en" else "hanner dydd"
    morning = hours < 12
    shown = hours % 12 or 12
    suffix = ("am" if morning else "pm") if lang == "en" else ("yb" if morning else "yh")
    return f"{shown}{suffix}" if minutes == 0 else f"{shown}:{minutes:02d}{suffix}"


@dataclass(frozen=True)
class QuietHours:
    """A nightly window, for example "21:00-08:00", when no proactive message is sent.

    "off" (or an empty setting) means there are no quiet hours.
    """

    start: int | None
    end: int | None
    zone: ZoneInfo

    @classmethod
    def parse(cls, text: str, timezone: ZoneInfo | str = DEFAULT_ZONE) -> QuietHours:
        zone = _zone(timezone)
        if text.strip().lower() in ("", "off", "none"):
            return cls(None, None, zone)
        start, end = _time_span(text.strip(), "quiet hours")
        if start == end:
            raise ValueError("quiet hours start and end at the same time; write 'off' for no quiet hours")
        return cls(start, end, zone)

    def is_quiet(self, when: datetime) -> bool:
        if self.start is None or self.end is None:
            return False
        now = _wall_seconds(when.astimezone(self.zone))
        if self.start < self.end:
            return self.start <= now < self.end
        return now >= self.start or now < self.end  # the window crosses midnight

    def ends_after(self, when: datetime) -> datetime:
        """`when` if sending is allowed now, otherwise the first moment it is, in `when`'s time zone."""
        if not self.is_quiet(when) or self.end is None:
            return when
        local = when.astimezone(self.zone)
        day = local.date()
        if _wall_seconds(local) >= self.end:
            day += timedelta(days=1)  # evening part of a window that ends tomorrow morning
        moment = first_moment_at(day, self.end, self.zone)
        # A spring-forward jump can leap over the whole allowed time between end and start; then the
        # next day's end is the first allowed moment.
        for _ in range(3):
            if not self.is_quiet(moment):
                break
            moment = first_moment_at(moment.date() + timedelta(days=1), self.end, self.zone)
        return moment.astimezone(when.tzinfo)
