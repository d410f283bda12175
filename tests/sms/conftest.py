"""SMS test fixtures: a fake Twilio REST API on 127.0.0.1, reached through the real `twilio` client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

try:  # tests/ is not a package: pytest imports this folder as `sms`, beside `fakes`
    from fakes.twilio_api import FakeTwilio
except ImportError:  # tests/ became a package
    from tests.fakes.twilio_api import FakeTwilio


@pytest.fixture(scope="session")
def _running_fake() -> Iterator[FakeTwilio]:
    with FakeTwilio() as fake:
        yield fake


@pytest.fixture
def fake_twilio(_running_fake: FakeTwilio) -> Iterator[FakeTwilio]:
    _running_fake.reset()
    _running_fake.rate_limit_per_second = None
    yield _running_fake
    _running_fake.reset()
