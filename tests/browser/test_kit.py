"""The browser kit checks what it claims to check: each assertion fails on a page that is wrong."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from . import kit

GOOD_HEAD = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>'


def page_app(body: str, script: str = "") -> Starlette:
    async def page(request):
        tag = '<script src="/extra.js"></script>' if script else ""
        return HTMLResponse(f"{GOOD_HEAD}<body><main>{body}</main>{tag}</body></html>")

    async def extra(request):
        return Response(script, media_type="text/javascript")

    return Starlette(routes=[Route("/", page), Route("/extra.js", extra)])


def test_axe_fails_on_a_page_with_violations_and_says_which(live_app, new_page) -> None:
    page = new_page()
    page.goto(live_app(page_app('<img src="data:,"><button></button>')))
    with pytest.raises(pytest.fail.Exception) as failed:
        kit.assert_no_axe_violations(page, where="bad page")
    report = str(failed.value)
    assert "bad page" in report
    assert "image-alt" in report
    assert "button-name" in report
    assert "<button></button>" in report


def test_axe_passes_a_clean_page(live_app, new_page) -> None:
    page = new_page()
    page.goto(live_app(page_app("<h1>Hello</h1><p>Plain words.</p>")))
    kit.assert_no_axe_violations(page)


def test_axe_on_a_page_without_javascript_sees_the_page_without_its_script(live_app, new_page) -> None:
    script = "document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"data:,\">');"
    url = live_app(page_app("<h1>Hello</h1>", script=script))
    plain = new_page(javascript=False)
    plain.goto(url)
    kit.assert_no_axe_violations(plain)  # the broken picture only exists when the script runs
    scripted = new_page()
    scripted.goto(url)
    with pytest.raises(pytest.fail.Exception, match="image-alt"):
        kit.assert_no_axe_violations(scripted)


def test_reflow_check_catches_a_page_wider_than_a_phone(live_app, new_page) -> None:
    page = new_page(width=320)
    page.goto(live_app(page_app('<div style="width: 600px">wide</div>')))
    with pytest.raises(AssertionError, match="wider than the window"):
        kit.assert_reflows(page)


def test_target_size_check_catches_small_buttons(live_app, new_page) -> None:
    page = new_page()
    page.goto(live_app(page_app('<button style="height: 20px; padding: 0">tiny</button>')))
    with pytest.raises(AssertionError, match="tiny"):
        kit.assert_targets_at_least(page, 44)


def test_zoom_shows_the_page_as_a_zoomed_browser_would(live_app, new_page) -> None:
    page = new_page(width=1280, height=800, zoom=2)
    page.goto(live_app(page_app("<p>z</p>")))
    assert page.evaluate("() => [window.innerWidth, window.devicePixelRatio]") == [640, 2]


def test_a_missing_browser_skips_locally_and_fails_in_ci(monkeypatch) -> None:
    monkeypatch.setattr(kit, "CHROMIUM", Path("/nowhere/chromium"))
    monkeypatch.delenv("SAID_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="Chromium is not installed at /nowhere/chromium"):
        kit.require_browser()
    monkeypatch.setenv("SAID_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="SAID_REQUIRE_BROWSER=1 but Chromium is not installed"):
        kit.require_browser()


def test_an_app_that_cannot_start_is_reported() -> None:
    @asynccontextmanager
    async def broken(app):
        raise RuntimeError("no database")
        yield

    with pytest.raises(RuntimeError, match="stopped while starting up"), kit.serve(Starlette(lifespan=broken)):
        pass


def test_run_async_returns_results_and_raises_errors() -> None:
    async def answer() -> int:
        return 42

    async def fail() -> None:
        raise ValueError("nope")

    assert kit.run_async(answer()) == 42
    with pytest.raises(ValueError, match="nope"):
        kit.run_async(fail())
