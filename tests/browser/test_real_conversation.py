"""A whole conversation through the web chat of the real app (engine, storage, a SQLite file) in
headless Chromium, with and without JavaScript, axe-core checking every state a person passes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from .kit import assert_no_axe_violations, tap, type_and_send, wait_for_text

# A key of the strength the app asks for (32 random bytes); a test value, never a real one.
STRONG_KEY = "wiring-test-k7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js_k7Qz2Lp9Xv4Rt1Bm8"

pytestmark = pytest.mark.browser


@pytest.fixture
def real_app(live_app, tmp_path: Path) -> tuple[str, Path]:
    from bot.app.settings import Settings
    from bot.app.wiring import create_app

    database = tmp_path / "said.db"
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{database}", secret_key=STRONG_KEY, demo=True, var_dir=tmp_path
    )
    return live_app(create_app(settings)), database


class Person:
    """Someone using the chat: each thing they send must show up as their message before going on."""

    def __init__(self, page) -> None:
        from playwright.sync_api import expect

        self.page, self.expect, self.said = page, expect, 0

    def send(self, action) -> None:
        action()
        self.said += 1
        self.expect(self.page.locator(".turn-person")).to_have_count(self.said)

    def question(self) -> tuple[str, str]:
        """The kind and words of the question waiting now."""
        latest = self.page.locator(".turn-ask").last
        return latest.get_attribute("data-question-kind") or "", latest.locator(".text").inner_text()

    def pick(self) -> None:
        """Yes where there is a Yes (to go on, and to hear back), otherwise the first choice."""
        buttons = self.page.locator("form.choices button")
        yes = self.page.locator("form.choices").get_by_role("button", name="Yes", exact=True)
        self.send((yes if yes.count() else buttons.first).click)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_whole_conversation_with_the_real_app(new_page, real_app, javascript: bool) -> None:
    url, database = real_app
    page = new_page(javascript=javascript)
    page.goto(url + "/chat")
    wait_for_text(page, "Hello!")
    assert_no_axe_violations(page, where="welcome")

    person = Person(page)
    person.send(lambda: tap(page, "For parents: your last visit"))
    assert_no_axe_violations(page, where="the first question")

    reasked = False
    for _ in range(20):
        if page.locator('form.choices button[name="start"]').count():
            break  # the packs are offered again: this one has ended
        kind, words = person.question()
        if kind in ("choice", "scale") and not reasked:
            person.send(lambda: type_and_send(page, "zzzz"))
            assert person.question()[1] == words, "an answer the bot cannot read gets the same question"
            assert_no_axe_violations(page, where="a re-ask")
            reasked = True
        elif kind in ("choice", "scale", "yesno"):
            person.pick()
        elif kind == "number":
            person.send(lambda: type_and_send(page, "3"))
        else:
            person.send(lambda: type_and_send(page, "The waiting room was too hot."))
    else:
        pytest.fail("the pack never ended")
    assert reasked
    assert_no_axe_violations(page, where="the end")

    # The answers are stored for real, and the chat's address (the cookie) is nowhere in the database.
    with sqlite3.connect(database) as db:
        answers = db.execute(
            "SELECT s.pack_id, s.channel, a.question_id, a.value, a.number, a.text"
            " FROM answers a JOIN submissions s ON s.id = a.submission_id"
        ).fetchall()
        dump = "\n".join(db.iterdump())
    assert {(pack, channel) for pack, channel, *_ in answers} == {("demo", "web")}
    by_question = {q: (value, number, text) for _, _, q, value, number, text in answers}
    assert by_question["overall"][0] == "good"
    assert "wait_weeks" not in by_question or by_question["wait_weeks"][1] == 3
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "said_chat")
    assert token not in dump
