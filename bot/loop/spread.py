"""When each message of a large batch goes: at a share of the channel's rate, and never in quiet hours.

    send_runs(now=Tue 20:00, count=100_000, rate=1.0, quiet=21:00-08:00)
    -> [SendRun(Tue 20:00, 2880, every=1.25 s), SendRun(Wed 08:00, 37440, …), SendRun(Thu 08:00, …)]

A batch planned with every row due at once would sit in front of every direct reply queued after it
(the dispatcher takes rows in due order), so a person answering a question would wait behind 100,000
follow-ups. Spread at `SHARE` of the channel's rate, the batch leaves room for replies, and its rows
fall due only in sending hours, so the dispatcher rarely has to put one back.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from bot.hours import QuietHours, first_moment_at
from storage.loop.records import SendRun

SHARE = 0.8  # of a channel's rate; the rest is for direct replies and other traffic
MOST_RUNS = 400  # more than a year of sending windows; a batch needing more goes in the last run


def send_runs(now: datetime, count: int, *, rate: float | None, quiet: QuietHours) -> list[SendRun]:
    """Runs of sending times covering `count` rows on one channel, first row first."""
    start = quiet.ends_after(now)
    if not rate or rate <= 0 or count <= 0:
        return [SendRun(start, max(count, 0), 0.0)]
    every = 1 / (rate * SHARE)
    runs: list[SendRun] = []
    left = count
    while left > 0:
        end = next_quiet_start(quiet, start)
        # Rows k = 0, 1, … go at start + k·every while that is before `end` (less a hair for float error).
        room = left if end is None else math.ceil((end - start).total_seconds() / every - 1e-6)
        if room >= left or end is None or len(runs) == MOST_RUNS - 1:
            runs.append(SendRun(start, left, every))
            break
        if room > 0:
            runs.append(SendRun(start, room, every))
            left -= room
        start = quiet.ends_after(end)
    return runs


def next_quiet_start(quiet: QuietHours, after: datetime) -> datetime | None:
    """The first moment at or after `after` (a sending moment) when quiet hours begin; None without them."""
    if quiet.start is None or quiet.end is None:
        return None
    day = after.astimezone(quiet.zone).date()
    for offset in range(3):
        moment = first_moment_at(day + timedelta(days=offset), quiet.start, quiet.zone)
        if moment >= after and quiet.is_quiet(moment):
            return moment.astimezone(after.tzinfo)
    return None  # a zone whose clocks skip the whole window: treat as no quiet hours
