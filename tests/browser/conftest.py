from __future__ import annotations

import pytest

from .kit import browser, browser_page, live_app, new_page  # noqa: F401  (fixtures for this folder)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives headless Chromium (skips without it locally)")
