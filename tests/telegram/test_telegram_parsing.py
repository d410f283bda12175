"""Reading updates and rendering messages, held to their promises on any input."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.messages import Ask, Choice, Reply, Say
from channels.splitting import split_text
from channels.telegram.buttons import ButtonCodec
from channels.telegram.commands import read_command
from channels.telegram.render import TEXT_LIMIT, render_telegram
from channels.telegram.updates import (
    BadUpdate,
    Blocked,
    ButtonTap,
    Ignored,
    InboundIds,
    NotPrivate,
    Said,
    UpdateReader,
)

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
READER = UpdateReader(ButtonCodec(b"k" * 32), InboundIds(b"i" * 32), knows_pack=lambda p: p == "waiting_list")
CHAT = 987654321


def _message(**content) -> dict:
    chat = {"id": CHAT, "type": "private", "first_name": "Robin"}
    return {"update_id": 1, "message": {"message_id": 7, "date": 1, "chat": chat,
                                        "from": {"id": CHAT, "is_bot": False, "first_name": "Robin"}, **content}}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
update_like = st.fixed_dictionaries(
    {"update_id": st.integers() | st.text(max_size=3)},
    optional={kind: json_values | st.dictionaries(st.sampled_from(
        ["message_id", "date", "chat", "from", "text", "data", "id", "message", "new_chat_member", "caption",
         "photo", "voice"]), json_values, max_size=6)
        for kind in ("message", "callback_query", "my_chat_member", "edited_message", "poll")},
)


@settings(max_examples=300)
@given(data=json_values | update_like)
def test_any_json_is_read_or_refused_as_a_bad_update(data) -> None:
    try:
        event = READER.read(data, NOW)
    except BadUpdate:
        return
    assert isinstance(event, Said | ButtonTap | NotPrivate | Blocked | Ignored)


@given(text=st.text(min_size=1, max_size=4096).filter(lambda t: t.replace("\x00", "").strip()))
def test_any_text_reaches_the_engine_as_typed_without_the_chat_id_or_name(text) -> None:
    event = READER.read(_message(text=text), NOW)
    assert isinstance(event, Said) and event.chat_id == CHAT
    if read_command(text, READER.knows_pack) is None:
        assert event.message.text == text.replace("\x00", "")
    assert str(CHAT) not in (event.message.provider_id or "")
    assert "Robin" not in repr(event.message).replace(text, "")


def test_message_ids_are_unique_per_chat_and_stable() -> None:
    ids = InboundIds(b"i" * 32)
    assert ids.message(1, 7) == ids.message(1, 7)
    assert len({ids.message(1, 7), ids.message(2, 7), ids.message(1, 8), ids.message(17, 0)}) == 4
    assert InboundIds(b"j" * 32).message(1, 7) != ids.message(1, 7)
    assert len(ids.message(10**15, 10**9)) <= 128


@pytest.mark.parametrize(
    ("content", "name"),
    [
        ({"photo": [{"file_id": "a", "file_unique_id": "b", "width": 1, "height": 1}]}, "picture"),
        ({"voice": {"file_id": "a", "file_unique_id": "b", "duration": 3}}, "voice note"),
        ({"video_note": {"file_id": "a", "file_unique_id": "b", "length": 1, "duration": 3}}, "video"),
        ({"sticker": {"file_id": "a", "file_unique_id": "b", "width": 1, "height": 1, "is_animated": False,
                      "is_video": False, "type": "regular"}}, "sticker"),
        ({"document": {"file_id": "a", "file_unique_id": "b"}}, "file"),
        ({"contact": {"phone_number": "+447700900123", "first_name": "Kim"}}, "contact card"),
        ({"location": {"latitude": 51.5, "longitude": -0.1}}, "location"),
    ],
)
def test_attachments_are_named_and_their_contents_left_behind(content, name) -> None:
    event = READER.read(_message(**content), NOW)
    assert isinstance(event, Said)
    assert event.message.media == (name,) and event.message.text == ""
    assert "7700900123" not in repr(event.message) and "51.5" not in repr(event.message)


def test_a_service_message_with_nothing_said_is_ignored() -> None:
    assert isinstance(READER.read(_message(message_auto_delete_timer_changed={"message_auto_delete_time": 60}), NOW),
                      Ignored)


@pytest.mark.parametrize(
    ("text", "engine_text", "pack"),
    [
        ("/start", "START", None),
        ("/start waiting_list", "", "waiting_list"),
        ("/start WAITING_LIST", "", "waiting_list"),
        ("/start somebody_elses_pack", "START", None),
        ("/start ../../etc", "START", None),
        ("/stop", "STOP", None),
        ("/help@said_test_bot", "HELP", None),
        ("/language", "LANGUAGE", None),
        ("/forget", "FORGET ME", None),
        ("/menu", "MENU", None),
    ],
)
def test_slash_commands_become_the_engines_words(text, engine_text, pack) -> None:
    command = read_command(text, READER.knows_pack)
    assert command is not None and (command.text, command.start_pack) == (engine_text, pack)


@given(payload=st.text(max_size=80))
def test_a_deep_link_starts_a_pack_only_when_we_have_it(payload) -> None:
    command = read_command(f"/start {payload}", READER.knows_pack)
    assert command is not None
    assert command.start_pack in (None, "waiting_list")


def test_a_slash_word_we_do_not_know_is_passed_on_as_typed() -> None:
    assert read_command("/hello there", READER.knows_pack) is None
    event = READER.read(_message(text="/hello there"), NOW)
    assert isinstance(event, Said) and event.message.text == "/hello there"


@given(text=st.text(max_size=20_000))
def test_split_text_keeps_every_word_and_stays_under_the_limit(text) -> None:
    pieces = split_text(text, TEXT_LIMIT)
    assert all(0 < len(p) <= TEXT_LIMIT for p in pieces)
    assert "".join("".join(p.split()) for p in pieces) == "".join(text.split())


@given(words=st.text(min_size=1, max_size=9000).filter(str.strip), count=st.integers(2, 5))
def test_a_question_keeps_its_buttons_on_its_last_piece(words, count) -> None:
    choices = tuple(Choice(f"v{n}", f"Label {n}", "happy", "😀", str(n)) for n in range(count))
    rendered = render_telegram(Reply((Say("Hello"), Ask("q1", words, "choice", "en", symbol="star",
                                                        choices=choices))))
    assert rendered[0].text == "Hello" and not rendered[0].buttons
    question = rendered[1:]
    assert [bool(m.buttons) for m in question] == [False] * (len(question) - 1) + [True]
    assert [b.label for b in question[-1].buttons] == [f"😀 Label {n}" for n in range(count)]
    assert question[0].symbol == "star" and all(m.symbol is None for m in question[1:])
    assert all(re.fullmatch(r"q1", b.question_id) for b in question[-1].buttons)
