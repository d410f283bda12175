"""The pages the security work added, in headless Chromium with axe-core: the web chat's "please wait"
page (429), the one-time unlock page, and the sign-in page after an unlock."""

from __future__ import annotations

from pathlib import Path

import pytest

from .kit import assert_no_axe_violations

pytestmark = pytest.mark.browser

# A key of the strength the app asks for (32 random bytes); a test value, never a real one.
STRONG_KEY = "security-pages-k7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js_k7Qz2Lp9Xv4Rt1Bm8"


@pytest.fixture
def real_app(live_app, tmp_path: Path) -> str:
    from bot.app.settings import Settings
    from bot.app.wiring import create_app

    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'said.db'}", secret_key=STRONG_KEY, var_dir=tmp_path,
        scheduler=False, chat_requests_per_minute=5,
    )
    return live_app(create_app(settings))


def test_the_please_wait_page_is_kind_and_passes_axe(new_page, real_app: str) -> None:
    page = new_page()
    statuses = [page.goto(real_app + "/chat").status for _ in range(6)]
    assert statuses[-1] == 429
    assert "Please wait one minute" in page.inner_text("main")
    assert_no_axe_violations(page, where="429 page")
    assert page.get_by_role("link", name="Back to the chat").is_visible()


def test_the_unlock_pages_pass_axe(new_page, real_app: str) -> None:
    page = new_page()
    page.goto(real_app + "/staff/unlock?t=" + "a" * 43)
    assert page.get_by_role("button", name="Unlock my account").is_visible()
    assert_no_axe_violations(page, where="unlock page")
    page.get_by_role("button", name="Unlock my account").click()
    assert "used already, or is too old" in page.inner_text("main")
    assert_no_axe_violations(page, where="unlock page, link not valid")
    page.goto(real_app + "/staff/login?unlocked=1")
    assert "Your account is unlocked" in page.inner_text("main")
    assert_no_axe_violations(page, where="sign-in after unlock")
