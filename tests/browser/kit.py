"""A browser test kit: the real app under uvicorn, Debian's Chromium headless, axe-core, small helpers.

Fixtures (imported into a conftest with `from .kit import browser, browser_page, live_app, new_page`):
- `live_app(app) -> base_url`: serve an ASGI app on 127.0.0.1 on a free port in a background thread
  (lifespan included), stopped after the test.
- `browser`: Chromium from /usr/bin/chromium (never a downloaded build), one per test module.
- `browser_page`: a fresh page with JavaScript; `new_page(javascript=False, width=320)` for others.
Functions: `assert_no_axe_violations(page)`, `assert_reflows(page)`, `assert_targets_at_least(page)`,
`assert_no_broken_words(page)`,
`run_async(coro)`, and the chat helpers `tap`, `type_and_send`, `wait_for_text`.

Playwright's sync API marks its event loop as running in this thread while a browser is open, so
asyncio cannot run here meanwhile: keep async tests out of browser test modules, and use `run_async`
(another thread) to look at the database from a browser test.

Without Chromium the tests skip, saying why; with SAID_REQUIRE_BROWSER=1 (CI) they fail instead.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, TypeVar

import pytest
import uvicorn

CHROMIUM = Path(os.environ.get("SAID_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
T = TypeVar("T")
_SCRIPT_URL = re.compile(r"\.m?js(\?|#|$)")


def browser_missing() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"Chromium is not installed at {CHROMIUM}; run `bash .ci/install-browser` (as root)"
    try:
        import axe_playwright_python  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return f"a browser test library is missing ({exc.name}); run `make install-dev`"
    return None


def require_browser() -> None:
    reason = browser_missing()
    if reason is None:
        return
    if os.environ.get("SAID_REQUIRE_BROWSER") == "1":
        pytest.fail(f"SAID_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


# -- the app under uvicorn ---------------------------------------------------------------------


@contextmanager
def serve(app: Any, *, startup_timeout: float = 30.0) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 until the block ends; yields the base URL."""
    # Bind first and hand uvicorn the socket, so no other process can take the port in between.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="auto")
    server = uvicorn.Server(config)

    def run() -> None:
        # uvicorn exits with SystemExit when the app's start-up fails; that ends this thread quietly
        # and the wait below reports it.
        with suppress(SystemExit):
            server.run(sockets=[sock])

    thread = threading.Thread(target=run, daemon=True, name="live-app")
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the app stopped while starting up; see the log above")
        if time.monotonic() > deadline:
            server.should_exit = True
            raise TimeoutError(f"the app did not start within {startup_timeout} seconds")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture
def live_app() -> Iterator[Callable[[Any], str]]:
    """`live_app(app)` serves the app for this test and returns its base URL."""
    with_stack: list[Any] = []

    def start(app: Any) -> str:
        manager = serve(app)
        url = manager.__enter__()
        with_stack.append(manager)
        return url

    yield start
    for manager in reversed(with_stack):
        manager.__exit__(None, None, None)


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to the end in a thread of its own (this one belongs to Playwright)."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


# -- the browser -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """`new_page(javascript=True, width=1024, height=800, zoom=1.0)`: a page in a fresh context
    (its own cookies). `zoom=2` shows the page as a browser zoomed to 200% would."""
    contexts: list[Any] = []

    def make(*, javascript: bool = True, width: int = 1024, height: int = 800, zoom: float = 1.0) -> Any:
        context = browser.new_context(
            java_script_enabled=javascript,
            viewport={"width": round(width / zoom), "height": round(height / zoom)},
            device_scale_factor=zoom,
            locale="en-GB",
        )
        context.set_default_timeout(10_000)
        context.said_javascript = javascript  # axe needs to know: it cannot run where scripts are off
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def browser_page(new_page: Callable[..., Any]) -> Any:
    return new_page()


# -- checks ------------------------------------------------------------------------------------


def axe_report(violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} accessibility rule(s) failed:"]
    for v in violations:
        lines.append(f"\n- {v['id']} ({v.get('impact')}): {v['help']}\n  {v.get('helpUrl', '')}")
        for node in v["nodes"]:
            lines.append(f"  * at {', '.join(map(str, node['target']))}")
            lines.append(f"    html: {node.get('html', '')[:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n      ")
            lines.append(f"    {summary}")
    return "\n".join(lines)


def assert_no_axe_violations(page: Any, *, tags: list[str] | None = None, where: str = "") -> None:
    """Run axe-core on the page as it is now (WCAG 2.0, 2.1 and 2.2 A and AA); fail on any violation.

    For a page with JavaScript off, axe runs on a twin of it: the same URL and cookies, page scripts
    blocked. The page is fetched again, so use this on pages whose GET shows the same state."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": tags or AXE_TAGS}, "resultTypes": ["violations"]}
    if getattr(page.context, "said_javascript", True):
        violations = Axe().run(page, options=options).response["violations"]
    else:
        # axe is JavaScript, and a page with scripts turned off never runs it. So open the same URL,
        # with the same cookies, in a page whose own scripts are blocked but where axe can run.
        context = page.context.browser.new_context(
            storage_state=page.context.storage_state(), viewport=page.viewport_size, locale="en-GB"
        )
        try:
            twin = context.new_page()
            twin.route(_SCRIPT_URL, lambda route: route.abort())
            twin.goto(page.url)
            violations = Axe().run(twin, options=options).response["violations"]
        finally:
            context.close()
    if violations:
        pytest.fail(f"{where or page.url}: {axe_report(violations)}", pytrace=False)


def assert_reflows(page: Any) -> None:
    """Nothing sticks out sideways: the page needs no horizontal scrolling at its width (WCAG 1.4.10)."""
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page is {overflow}px wider than the window at {page.viewport_size}"


def assert_targets_at_least(page: Any, size: float = 44, selector: str = "button, textarea, .button") -> None:
    """Every visible control is at least `size` CSS pixels both ways (bigger than WCAG 2.5.8's 24)."""
    small = page.evaluate(
        """([selector, size]) => Array.from(document.querySelectorAll(selector))
            .filter(el => el.offsetParent !== null)
            .map(el => ({html: el.outerHTML.slice(0, 80), box: el.getBoundingClientRect()}))
            .filter(({box}) => box.width < size || box.height < size)
            .map(({html, box}) => `${html} is ${Math.round(box.width)}x${Math.round(box.height)}`)""",
        [selector, size],
    )
    assert not small, "controls smaller than the target size:\n" + "\n".join(small)


_BROKEN_WORDS = """(skip) => {
    const broken = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        const parent = node.parentElement;
        if (!parent || parent.offsetParent === null || parent.closest(".visually-hidden, " + skip)) continue;
        const words = /[^\\s]{2,}/g;
        let match;
        while ((match = words.exec(node.data))) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const lines = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0)
                .map(r => Math.round(r.top)));
            if (lines.size > 1) broken.push(match[0]);
        }
    }
    return broken;
}"""


def assert_no_broken_words(page: Any, skip: str = ".turn-person") -> None:
    """No word of ours is split across two lines ("Ove" / "rall"), at this width and zoom.

    `skip` leaves out what people typed: a 300-letter word must wrap, and does."""
    broken = page.evaluate(_BROKEN_WORDS, skip)
    assert not broken, f"words broken across lines at {page.viewport_size}: {broken}"


# -- chat helpers ------------------------------------------------------------------------------


def wait_for_text(page: Any, text: str, *, where: str = "#turns") -> None:
    from playwright.sync_api import expect

    expect(page.locator(where)).to_contain_text(text)


def tap(page: Any, label: str) -> None:
    """Press the one button whose name contains `label` (a choice, a pack, Send)."""
    page.get_by_role("button", name=label).click()


def type_and_send(page: Any, text: str, send: str = "Send") -> None:
    """Type `text` and press the send button, named `send` in the page's language ("Anfon")."""
    page.locator("#text").fill(text)
    page.get_by_role("button", name=send).click()
