"""Check-in schedules written as cron expressions, read by APScheduler's `CronTrigger` on local time.

Two ways to write one:
    "0 10 * * mon"                                  crontab: minute hour day month day-of-week
    "week=*/2 day_of_week=mon hour=10 minute=0"     CronTrigger fields: every second Monday at 10:00
    "day=1st mon hour=16 minute=0"                  the first Monday of every month at 16:00

The schedule lives in the database (staff change it in the console or with `said checkin set`), and a
scheduler tick compares its `next_run_at` with the clock, so a change takes effect in every process
without restarting any of them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

FIELDS = ("year", "month", "day", "week", "day_of_week", "hour", "minute", "second")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class CronProblem(ValueError):
    """A schedule that cannot be read; the message says how to write one."""


def trigger(expression: str, zone: ZoneInfo) -> CronTrigger:
    text = " ".join(expression.split())
    if not text:
        raise CronProblem("write a schedule, like '0 10 * * mon' or 'week=*/2 day_of_week=mon hour=10'")
    try:
        if "=" not in text:
            return CronTrigger.from_crontab(text, timezone=zone)
        fields: dict[str, str] = {}
        last = ""
        for part in text.split(" "):
            if "=" not in part and last == "day" and part.lower() in WEEKDAYS:
                fields["day"] += f" {part}"  # "day=1st mon": the first Monday of the month
                continue
            name, _, value = part.partition("=")
            if name not in FIELDS or not value:
                raise CronProblem(f"'{part}' is not a schedule field; use {', '.join(FIELDS)} like hour=10")
            fields[name] = value
            last = name
        return CronTrigger(timezone=zone, **fields)
    except CronProblem:
        raise
    except (ValueError, TypeError) as exc:
        raise CronProblem(f"the schedule '{text}' cannot be read: {exc}") from None


def next_fire(expression: str, after: datetime, zone: ZoneInfo) -> datetime | None:
    """The first firing strictly after `after`, or None when the schedule never fires again."""
    return trigger(expression, zone).get_next_fire_time(None, after + timedelta(seconds=1))


def upcoming(expression: str, after: datetime, zone: ZoneInfo, count: int = 3) -> list[datetime]:
    """The next few firings, for staff to see what they wrote means."""
    found: list[datetime] = []
    moment = after
    for _ in range(count):
        fire = next_fire(expression, moment, zone)
        if fire is None:
            break
        found.append(fire)
        moment = fire
    return found
