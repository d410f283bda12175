"""The saved conversation: JSON in, JSON out, and anything odd gives a fresh start, never an error."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.engine.state import Awaiting, Conversation, Stage

IN_A_QUESTION = {
    "format": 1, "language": "cy", "stopped": False, "pack_id": "demo", "pack_version": 1,
    "submission_id": "abc", "stage": "question", "question_id": "listened", "tries": 1,
    "history": ["overall"], "answers": {"overall": "good"}, "answered": ["overall"], "awaiting": "menu",
    "last_seen": "2025-03-04T10:00:00+00:00", "last_asked": "listened",
    "pending": None,
}


def test_a_state_survives_json() -> None:
    conversation = Conversation.from_dict(IN_A_QUESTION)
    assert conversation.stage is Stage.QUESTION and conversation.awaiting is Awaiting.MENU
    assert conversation.last_seen == datetime(2025, 3, 4, 10, tzinfo=UTC)
    assert json.loads(json.dumps(conversation.to_dict())) == IN_A_QUESTION


@pytest.mark.parametrize(
    "broken",
    [
        None, [], "x", {}, {"stage": "dancing"}, {**IN_A_QUESTION, "answers": ["overall"]},
        {**IN_A_QUESTION, "history": "overall"}, {**IN_A_QUESTION, "pack_version": "1"},
        {**IN_A_QUESTION, "submission_id": None}, {**IN_A_QUESTION, "tries": -1},
        {**IN_A_QUESTION, "question_id": 7}, {**IN_A_QUESTION, "awaiting": ["menu"]},
        {**IN_A_QUESTION, "answers": {"overall": 3}},
    ],
)
def test_a_broken_state_gives_a_fresh_idle_one(broken: object) -> None:
    conversation = Conversation.from_dict(broken)  # type: ignore[arg-type]
    assert conversation.stage is Stage.IDLE and conversation.pack_id is None and conversation.answers == {}


def test_a_stop_is_kept_even_from_a_broken_state() -> None:
    conversation = Conversation.from_dict({"stopped": True, "stage": "dancing", "language": "cy"})
    assert conversation.stopped and conversation.language == "cy" and conversation.stage is Stage.IDLE


def test_a_naive_time_is_read_as_utc_and_a_bad_one_dropped() -> None:
    assert Conversation.from_dict({"last_seen": "2025-03-04T10:00:00"}).last_seen == datetime(
        2025, 3, 4, 10, tzinfo=UTC
    )
    assert Conversation.from_dict({"last_seen": "yesterday"}).last_seen is None


def test_copy_does_not_share_lists() -> None:
    conversation = Conversation.from_dict(IN_A_QUESTION)
    copy = conversation.copy()
    copy.history.append("listened")
    copy.answers["listened"] = "3"
    assert conversation.history == ["overall"] and "listened" not in conversation.answers
