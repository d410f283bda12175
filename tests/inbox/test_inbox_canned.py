"""Saved replies: the shipped ones pass the easy-read check in every language, and a broken file is
refused with the file and the reply named."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.packs.library import SHIPPED_PROMPTS, PackLibrary, Symbols, SystemTexts
from bot.inbox.canned import CannedReplies
from bot.inbox.compose import ReplyComposer

COMPOSER = ReplyComposer(
    SystemTexts.load(SHIPPED_PROMPTS), Symbols.load(SHIPPED_PROMPTS), PackLibrary.load(SHIPPED_PROMPTS),
    CannedReplies.load(),
)


@pytest.mark.parametrize("reply", COMPOSER.canned.replies, ids=lambda r: r.id)
def test_every_saved_reply_is_easy_read_for_the_strictest_audience(reply) -> None:
    for language, words in reply.texts.items():
        errors = [f for f in COMPOSER.check(words, language, None) if f.severity == "error"]
        assert errors == [], f"{reply.id} ({language}): {errors}"
    assert set(reply.texts) >= {"en", "cy"}


def test_the_bots_own_inbox_lines_are_easy_read() -> None:
    texts = COMPOSER.texts
    for key in ("handover_heard", "inbox_reply_footer", "inbox_closed"):
        for language in ("en", "cy"):
            words = texts.get(key, language, when="tomorrow morning")
            assert not [f for f in COMPOSER.check(words, language, None) if f.severity == "error"], key


def test_a_service_can_ship_its_own_replies(tmp_path: Path) -> None:
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "replies.yaml").write_text(
        "replies:\n  - id: ours\n    label: Our reply\n    en: Thank you. We will phone you.\n", encoding="utf-8"
    )
    replies = CannedReplies.load(tmp_path)
    assert [r.id for r in replies.replies] == ["ours"]
    assert replies.get("ours").text("cy") == "Thank you. We will phone you.", "English when there is no Welsh"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({}, "should have a 'replies' list"),
        ({"replies": [{"id": "a b", "label": "x", "en": "Hi."}]}, "needs an id"),
        ({"replies": [{"id": "a", "label": "", "en": "Hi."}]}, "needs a label"),
        ({"replies": [{"id": "a", "label": "x", "cy": "Helo."}]}, "needs English"),
        ({"replies": [{"id": "a", "label": "x", "en": "Hi."}, {"id": "a", "label": "y", "en": "Hi."}]}, "twice"),
    ],
)
def test_a_broken_file_is_refused_clearly(data: object, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        CannedReplies.from_data(data, "replies.yaml")
