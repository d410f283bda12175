"""A whole service (engine + storage + dispatcher) on the test database, with a controllable clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app.settings import load_settings
from bot.app.wiring import Parts, build_parts

TEST_KEY = "k7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js-p2Wq8Ze5Ur7T"  # the app refuses to serve on a weaker key


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> Clock:
    # A Tuesday at noon in London: inside office hours, outside quiet hours.
    return Clock(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))


@pytest.fixture
async def parts(database, tmp_path: Path, clock: Clock) -> Parts:
    settings = load_settings(secret_key=TEST_KEY, var_dir=tmp_path, scheduler=False)
    return build_parts(settings, database=database, clock=clock)
