"""How long a person has waited for us, counted in office hours: a message sent on Friday at 11pm and read
on Monday at 9:30am has waited 30 minutes of the team's time, though it is 58 hours by the clock.

    office_time(hours, since, now)  -> timedelta
    waited_words(delta)             -> "2 hours 5 minutes"
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.hours import WeeklyHours, first_moment_at

LONGEST = timedelta(days=400)  # counted no further back than this; an older wait is long whatever it is


def office_time(hours: WeeklyHours, since: datetime, until: datetime) -> timedelta:
    """The part of `since` to `until` that falls inside office hours, on the service's wall clock."""
    if until <= since:
        return timedelta(0)
    since = max(since, until - LONGEST)
    zone = hours.zone
    day = since.astimezone(zone).date()
    last = until.astimezone(zone).date()
    total = timedelta(0)
    while day <= last:
        for span in hours.spans:
            if span.weekday != day.weekday():
                continue
            opens = first_moment_at(day, span.start, zone)
            closes = first_moment_at(day, span.end, zone)
            overlap = min(closes, until) - max(opens, since)
            if overlap > timedelta(0):
                total += overlap
        day += timedelta(days=1)
    return total


def waited_words(delta: timedelta) -> str:
    """Whole minutes in words: "less than a minute", "45 minutes", "3 hours", "26 hours 5 minutes"."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return "less than a minute"
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)
