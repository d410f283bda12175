"""Fixtures for "You said, we did" (helpers in loop_kit.py, imported by that unique name).

`world`      a LoopWorld at Tuesday 24 November 2026, noon in London (office hours, not quiet hours).
`make_world` `async with make_world(quiet_hours="21:00-08:00", at=datetime(...)) as world:` for others.
`people`     a Seeder: people who answered, with consents, straight through the storage API (fast).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from browser.kit import browser, live_app, new_page  # noqa: F401  (fixtures for the browser tests here)
from loop_kit import FakeTelegram, FakeTwilio, LoopWorld, Seeder, loop_world


@pytest.fixture(scope="session")
def _twilio() -> Iterator[FakeTwilio]:
    with FakeTwilio() as fake:
        yield fake


@pytest.fixture(scope="session")
def _telegram() -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture
def fakes(_twilio: FakeTwilio, _telegram: FakeTelegram) -> Iterator[tuple[FakeTwilio, FakeTelegram]]:
    _twilio.reset()
    _twilio.rate_limit_per_second = None
    _telegram.reset()
    yield _twilio, _telegram
    _twilio.reset()
    _telegram.reset()


@pytest.fixture
async def world(database, fakes, tmp_path) -> AsyncIterator[LoopWorld]:
    async with loop_world(database, *fakes, tmp_path) as built:
        yield built


@pytest.fixture
def make_world(database, fakes, tmp_path):
    def make(**overrides: Any):
        return loop_world(database, *fakes, tmp_path, **overrides)

    return make


@pytest.fixture
def people(world: LoopWorld) -> Seeder:
    return Seeder(world)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives headless Chromium (skips without it locally)")
