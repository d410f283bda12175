"""Inbox fixtures: `world` (the service with SMS, Telegram and web chat, and the staff console with the
inbox, a staff member signed in) and `make_world(clock)` for a world on a chosen clock. See inbox_kit.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser.kit import browser, live_app, new_page  # noqa: F401  (fixtures for the browser test here)
from fakes.telegram_api import FakeTelegram
from fakes.twilio_api import FakeTwilio
from inbox_kit import TUESDAY_NOON, Clock, _world


@pytest.fixture(scope="session")
def _twilio() -> Iterator[FakeTwilio]:
    with FakeTwilio() as fake:
        yield fake


@pytest.fixture(scope="session")
def _telegram() -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture
def clock() -> Clock:
    return Clock(TUESDAY_NOON)


@pytest.fixture
async def world(database, tmp_path: Path, clock: Clock, _twilio: FakeTwilio, _telegram: FakeTelegram):
    _twilio.reset()
    _telegram.reset()
    async with _world(database, tmp_path, clock, _twilio, _telegram) as built:
        yield built


@pytest.fixture
def make_world(database, tmp_path: Path, _twilio: FakeTwilio, _telegram: FakeTelegram):
    def make(clock: Clock) -> _world:
        _twilio.reset()
        _telegram.reset()
        return _world(database, tmp_path, clock, _twilio, _telegram)

    return make


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives headless Chromium (skips without it locally)")
