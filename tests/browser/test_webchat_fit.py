"""The web chat fits the person and the screen: a small phone (320 and 390 CSS px) and a laptop zoomed
to 200% and 400%, in English and in Welsh, with the real app's packs and words. No word is broken in
the middle, the buttons are one column on a narrow screen with the picture above the words of a
message, the hint is at least 18px, the page says its language, and axe-core finds nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .kit import (
    assert_no_axe_violations,
    assert_no_broken_words,
    assert_reflows,
    assert_targets_at_least,
    tap,
    type_and_send,
    wait_for_text,
)

pytestmark = pytest.mark.browser

SCREENS = [(320, 1.0), (390, 1.0), (1280, 2.0), (1280, 4.0)]
NARROW = 480  # CSS px: below this the buttons stand in one column
# Where to keep screenshots to look at (SAID_SCREENSHOTS=/some/folder); none are kept by default.
SHOTS = os.environ.get("SAID_SCREENSHOTS")
WORDS = {
    "en": {"pack": "For young people: while you wait", "question": "How are you feeling today?",
           "hint": "Tap an answer or type it.", "send": "Send", "answer": "Good"},
    "cy": {"pack": "I bobl ifanc: tra rwyt ti'n aros", "question": "Sut wyt ti heddiw?",
           "hint": "Tapia ateb neu teipia fo.", "send": "Anfon", "answer": "Da"},
}


@pytest.fixture
def real_app(live_app, tmp_path: Path) -> str:
    from bot.app.settings import Settings
    from bot.app.wiring import create_app

    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'said.db'}",
        secret_key="k7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js-p2Wq8Ze5Ur7T",  # the app refuses to serve on a weaker key
        demo=True, var_dir=tmp_path,
    )
    return live_app(create_app(settings))


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _check_layout(page, where: str) -> None:
    assert_reflows(page)
    assert_no_broken_words(page)
    assert_targets_at_least(page, 44)
    width = page.evaluate("() => document.documentElement.clientWidth")
    lefts = page.evaluate(
        "() => Array.from(document.querySelectorAll('form.choices button')).map(b => b.getBoundingClientRect().left)"
    )
    if width < NARROW and lefts:
        assert len({round(x) for x in lefts}) == 1, f"{where}: buttons in one column below {NARROW}px"
    sizes = page.evaluate(
        "() => Array.from(document.querySelectorAll('.hint, .progress, .help, footer p'))"
        ".map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert sizes and min(sizes) >= 18, f"{where}: hint and help text is at least 18px, got {sizes}"


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize(("width", "zoom"), SCREENS, ids=["320px", "390px", "200%-zoom", "400%-zoom"])
def test_a_check_in_fits_the_screen_and_the_language(new_page, real_app: str, language: str, width: int,
                                                     zoom: float) -> None:
    words = WORDS[language]
    page = new_page(width=width, height=800, zoom=zoom)
    page.goto(real_app + "/chat")
    wait_for_text(page, "Hello!")
    if language == "cy":
        type_and_send(page, "CYMRAEG")
        wait_for_text(page, "Byddwn yn defnyddio Cymraeg")
    tap(page, words["pack"])
    page.get_by_role("button", name="Ie" if language == "cy" else "Yes", exact=True).click()
    wait_for_text(page, words["question"])
    where = f"{language} at {width}px, zoom {zoom}"
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator(".turn-ask").last.locator(".hint").inner_text() == words["hint"]
    assert page.get_by_role("button", name=words["send"], exact=True).count() == 1
    _check_layout(page, where)
    _shot(page, f"chat-{language}-{width}-{int(zoom * 100)}")
    assert_no_axe_violations(page, where=where)
    page.get_by_role("button", name=words["answer"], exact=True).click()
    wait_for_text(page, "?")
    _check_layout(page, where + ", second question")


def test_after_forget_me_the_next_message_is_answered(new_page, real_app: str) -> None:
    page = new_page()
    page.goto(real_app + "/chat")
    tap(page, "For parents: your last visit")
    wait_for_text(page, "Is it OK to ask you")
    type_and_send(page, "FORGET ME")
    wait_for_text(page, "Do you want us to forget this chat?")
    page.get_by_role("button", name="Yes", exact=True).click()
    wait_for_text(page, "We have forgotten this chat.")
    assert page.locator(".turn-person").count() == 0, "a new chat: nothing of the old one is shown"
    tap(page, "For parents: your last visit")
    wait_for_text(page, "Is it OK to ask you up to 5 short questions?")
    assert "Your last chat had ended" not in page.locator("#turns").inner_text()


def test_the_end_of_a_check_in_leaves_the_help_in_view(new_page, real_app: str) -> None:
    page = new_page()
    page.goto(real_app + "/chat")
    tap(page, "For young people: while you wait")
    wait_for_text(page, "Can we ask you 6 short questions?")
    steps = [
        ("Yes", "How are you feeling today?"),
        ("Good", "What would help you while you wait?"),
        ("SKIP", "Can we send you news about your wait?"),
        ("No", "Can we check in with you like this every month?"),
        ("No", "Can we tell you what we change because of your answers?"),
        ("Yes", "Is there anything else you want to tell us?"),
        ("SKIP", "Childline on 0800 1111"),
    ]
    for answer, then in steps:
        if answer == "SKIP":
            type_and_send(page, answer)
        else:
            page.locator("form.choices").get_by_role("button", name=answer, exact=True).click()
        wait_for_text(page, then)
    assert page.locator('form.choices button[name="start"]').count() == 0, "no list of packs after the help"
    wait_for_text(page, "type MENU to answer more questions")
    assert "Samaritans" not in page.locator("#turns").inner_text(), "one line of help, not the list"
