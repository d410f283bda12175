"""The web chat in headless Chromium, as people really use it: with and without JavaScript, by keyboard,
on a small phone and zoomed in, checked by axe-core in every state."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette

from channels.webchat.routes import webchat_routes

from .fakes import FakeChatService, FakeTranscripts
from .kit import (
    assert_no_axe_violations,
    assert_reflows,
    assert_targets_at_least,
    tap,
    type_and_send,
    wait_for_text,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def transcripts() -> FakeTranscripts:
    return FakeTranscripts()


@pytest.fixture
def chat_url(live_app, transcripts: FakeTranscripts) -> str:
    routes = webchat_routes(FakeChatService(), transcripts, secure_cookies=False, csrf_secret=b"browser")
    return live_app(Starlette(routes=routes)) + "/chat"


def focused(page) -> str:
    return page.evaluate("() => document.activeElement.id || document.activeElement.textContent.trim()")


def test_with_javascript_answers_appear_in_place_and_focus_follows(new_page, chat_url: str) -> None:
    page = new_page()
    page.goto(chat_url)
    page.evaluate("() => { window.stillHere = true; }")  # gone if the page ever reloads

    tap(page, "Your visit")
    wait_for_text(page, "How was your visit?")
    assert "Good" in focused(page)  # the first new button
    wait_for_text(page, "How was your visit?", where="#announce")  # the polite live region
    assert page.locator("form.choices").count() == 1

    type_and_send(page, "banana")
    wait_for_text(page, "Sorry, I did not understand that.")
    assert focused(page) == "text"  # the person typed, so the text box keeps focus
    assert page.locator("#text").input_value() == ""

    tap(page, "Good")
    wait_for_text(page, "What could we do better?")
    assert focused(page) == "text"  # no buttons to go to
    assert page.locator("#text-label").inner_text() == "Type your answer"
    assert page.evaluate("() => window.stillHere") is True
    assert page.url == chat_url


def test_an_empty_send_says_what_to_do_and_keeps_the_buttons(new_page, chat_url: str) -> None:
    page = new_page()
    page.goto(chat_url)
    tap(page, "Your visit")
    wait_for_text(page, "How was your visit?")
    page.get_by_role("button", name="Send").click()
    wait_for_text(page, "Type a message or tap a button. Then press Send.")
    assert page.locator("form.choices button").count() == 3
    tap(page, "OK")
    wait_for_text(page, "What could we do better?")


def test_when_the_script_cannot_post_the_form_posts_the_plain_way(new_page, chat_url: str) -> None:
    page = new_page()
    page.goto(chat_url)
    page.evaluate("() => document.querySelectorAll('input[name=csrf]').forEach(i => { i.value = 'forged'; })")
    tap(page, "Your visit")  # fetch gets a 400, so the script falls back to a real form post
    page.get_by_role("heading", name="Sorry, that did not work").wait_for()
    page.get_by_role("link", name="Go back to the chat").click()
    wait_for_text(page, "Pick one to start.")
    assert page.locator(".turn-person").count() == 0  # nothing was processed


def test_without_javascript_every_answer_posts_and_comes_back_at_the_latest(new_page, chat_url: str) -> None:
    page = new_page(javascript=False)
    page.goto(chat_url)
    tap(page, "Your visit")
    wait_for_text(page, "How was your visit?")
    assert page.url.endswith("/chat#latest")
    tap(page, "Poor")
    wait_for_text(page, "What could we do better?")
    assert page.locator(".turn-person").last.inner_text().endswith("Poor")


def test_keyboard_alone_reaches_every_control_with_a_visible_focus(new_page, chat_url: str) -> None:
    page = new_page()
    page.goto(chat_url)
    seen = []
    for _ in range(12):
        page.keyboard.press("Tab")
        seen.append(focused(page))
        style = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineStyle, s.outlineWidth] }"
        )
        assert style[0] != "none" and style[1] != "0px", f"no visible focus on {seen[-1]}"
        if seen[-1].endswith("Your visit"):
            break
    assert seen[0] == "Go to the answer box"
    page.keyboard.press("Enter")
    wait_for_text(page, "How was your visit?")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the second choice: OK
    wait_for_text(page, "What could we do better?")
    page.keyboard.type("Nothing")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    wait_for_text(page, "Can we tell you what we did?")


@pytest.mark.parametrize(("width", "zoom"), [(320, 1.0), (1280, 2.0)], ids=["320px", "200%-zoom"])
def test_the_chat_reflows_on_a_small_screen_and_zoomed_in(new_page, chat_url: str, width: int, zoom: float):
    page = new_page(width=width, height=720, zoom=zoom)
    page.goto(chat_url)
    assert_reflows(page)
    assert_targets_at_least(page, 44)
    tap(page, "Your visit")
    wait_for_text(page, "How was your visit?")
    type_and_send(page, "a" * 300)  # one long unbroken word must wrap, not widen the page
    wait_for_text(page, "Sorry, I did not understand that.")
    assert_reflows(page)
    assert_targets_at_least(page, 44)
    assert_no_axe_violations(page, where=f"re-ask at {width}px, zoom {zoom}")


def test_typed_markup_shows_as_words_and_never_runs(new_page, chat_url: str) -> None:
    page = new_page()
    page.goto(chat_url)
    type_and_send(page, '<img src=x onerror="window.pwned=1"><b>bold</b>')
    wait_for_text(page, "<b>bold</b>")
    assert page.evaluate("() => window.pwned") is None
    assert page.locator("#turns b").count() == 0


def test_an_expired_chat_starts_again_in_place(new_page, chat_url: str, transcripts: FakeTranscripts) -> None:
    page = new_page()
    page.goto(chat_url)
    tap(page, "Your visit")  # the chat is stored from its first answer …
    wait_for_text(page, "How was your visit?")
    transcripts.chats.clear()  # … and then the store forgets it
    tap(page, "Good")
    wait_for_text(page, "Your last chat had ended, so this is a new one.")
    first = page.locator(".turn").first.inner_text()
    assert first.endswith("Your last chat had ended, so this is a new one.")
    tap(page, "Your visit")  # the fresh session's CSRF token came with the answer
    wait_for_text(page, "How was your visit?")


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_whole_conversation_passes_axe_in_every_state(new_page, chat_url: str, javascript: bool) -> None:
    page = new_page(javascript=javascript)
    page.goto(chat_url)
    wait_for_text(page, "Hello!")
    assert_no_axe_violations(page, where="welcome")
    tap(page, "Cymraeg")
    wait_for_text(page, "Sut oedd eich ymweliad?")
    assert_no_axe_violations(page, where="a Welsh question")
    assert page.locator("html").get_attribute("lang") == "cy"
    type_and_send(page, "banana", send="Anfon")  # the chat's own words follow the person's language
    wait_for_text(page, "Sorry, I did not understand that.")
    assert_no_axe_violations(page, where="a re-ask")
    tap(page, "Da")
    wait_for_text(page, "What could we do better?")
    type_and_send(page, "More chairs, please.")
    wait_for_text(page, "Can we tell you what we did?")
    tap(page, "Yes")
    wait_for_text(page, "Thank you. We read every answer.")
    assert_no_axe_violations(page, where="the end")
    page.get_by_role("button", name="Start a new chat").click()
    wait_for_text(page, "Hello!")
    assert page.locator(".turn-person").count() == 0
