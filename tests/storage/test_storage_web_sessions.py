"""Web chat sessions: hashed tokens, bounded transcripts, expiry."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from storage.conversations.store import Store

TOKEN = "3q2-random-browser-token-Zx9"


async def _open(store: Store, token: str = TOKEN, ttl: timedelta = timedelta(hours=2)) -> int:
    async with store.unit() as uow:
        person = await uow.participant("web", token)
    await store.open_web_session(token, person.id, ttl)
    return person.id


async def test_a_session_opens_grows_and_ends(timed_store: Store, clock):
    store = timed_store
    person = await _open(store)
    record = await store.web_session(TOKEN, now=clock.now)
    assert (record.participant_id, record.transcript, record.expires_at) == (
        person,
        (),
        clock.now + timedelta(hours=2),
    )
    assert await store.append_transcript(TOKEN, {"who": "bot", "messages": [{"type": "say", "text": "Hello"}]})
    clock.advance(minutes=1)
    assert await store.append_transcript(TOKEN, {"who": "person", "messages": [{"text": "hi"}]})
    record = await store.web_session(TOKEN, now=clock.now)
    assert [turn["who"] for turn in record.transcript] == ["bot", "person"]
    assert record.last_seen_at == clock.now
    assert await store.end_web_session(TOKEN) is True
    assert await store.web_session(TOKEN, now=clock.now) is None
    assert await store.append_transcript(TOKEN, {"who": "bot", "messages": []}) is False
    assert await store.end_web_session(TOKEN) is False


async def test_the_token_itself_is_never_stored(store: Store):
    await _open(store)
    await store.append_transcript(TOKEN, {"who": "bot", "messages": []})
    dump = await store.dump_all_text()
    assert TOKEN not in dump
    assert hashlib.sha256(TOKEN.encode()).hexdigest() in dump


async def test_transcripts_keep_the_last_fifty_turns(store: Store):
    await _open(store)
    for n in range(60):
        await store.append_transcript(TOKEN, {"who": "bot", "messages": [{"n": n}]})
    record = await store.web_session(TOKEN, now=datetime.now(UTC))
    assert [turn["messages"][0]["n"] for turn in record.transcript] == list(range(10, 60))


async def test_what_a_person_types_is_scrubbed_but_our_words_are_not(store: Store):
    await _open(store)
    await store.append_transcript(TOKEN, {"who": "person", "messages": [{"text": "I am on 07700 900123"}]})
    await store.append_transcript(TOKEN, {"who": "bot", "messages": [{"text": "Call Childline on 0800 1111"}]})
    record = await store.web_session(TOKEN, now=datetime.now(UTC))
    assert record.transcript[0]["messages"][0]["text"] == "I am on [phone number]"
    assert record.transcript[1]["messages"][0]["text"] == "Call Childline on 0800 1111"


async def test_expired_and_unknown_sessions_are_none_and_reopening_renews(timed_store: Store, clock):
    store = timed_store
    await _open(store, ttl=timedelta(minutes=30))
    await store.append_transcript(TOKEN, {"who": "bot", "messages": []})
    assert await store.web_session("some-other-token", now=clock.now) is None
    assert await store.web_session(TOKEN, now=clock.advance(minutes=30)) is None
    assert await store.append_transcript(TOKEN, {"who": "bot", "messages": []}) is False
    await _open(store, ttl=timedelta(minutes=30))
    record = await store.web_session(TOKEN, now=clock.now)
    assert len(record.transcript) == 1  # renewing keeps what was said
    assert record.expires_at == clock.now + timedelta(minutes=30)


@pytest.mark.parametrize(
    "turn",
    [
        {"who": "staff", "messages": []},
        {"who": "bot"},
        {"who": "bot", "messages": "hi"},
        {"who": "bot", "messages": [{1}]},
    ],
)
async def test_malformed_turns_are_refused(store: Store, turn):
    await _open(store)
    with pytest.raises((ValueError, TypeError)):
        await store.append_transcript(TOKEN, turn)


async def test_concurrent_appends_lose_nothing(store: Store):
    await _open(store)
    await asyncio.gather(*(store.append_transcript(TOKEN, {"who": "bot", "messages": [{"n": n}]}) for n in range(20)))
    record = await store.web_session(TOKEN, now=datetime.now(UTC))
    assert sorted(turn["messages"][0]["n"] for turn in record.transcript) == list(range(20))


async def test_an_empty_token_is_refused(store: Store):
    with pytest.raises(ValueError):
        await store.web_session("", now=datetime.now(UTC))


async def test_turns_sent_twice_are_added_once_and_all_or_nothing(store: Store):
    await _open(store)
    first = [{"who": "person", "n": 1, "messages": [{"text": "Good"}]}, {"who": "bot", "n": 2, "messages": []}]
    assert await store.append_new_turns(TOKEN, first) is True
    assert await store.append_new_turns(TOKEN, first) is False  # the same form again: nothing added
    # One of them stored already: none of them is added, not even the new one.
    overlapping = [{"who": "bot", "n": 2, "messages": [{"text": "again"}]}, {"who": "bot", "n": 3, "messages": []}]
    assert await store.append_new_turns(TOKEN, overlapping) is False
    # Turns without a number (the outbox's) never clash.
    assert await store.append_new_turns(TOKEN, [{"who": "bot", "messages": []}] * 2) is True
    record = await store.web_session(TOKEN, now=datetime.now(UTC))
    assert [(turn["who"], turn.get("n")) for turn in record.transcript] == [
        ("person", 1), ("bot", 2), ("bot", None), ("bot", None)
    ]
    assert await store.end_web_session(TOKEN)
    assert await store.append_new_turns(TOKEN, [{"who": "bot", "n": 3, "messages": []}]) is None


async def test_a_long_chat_keeps_its_last_fifty_turns_as_it_goes(store: Store):
    await _open(store)
    for n in range(0, 120, 2):
        turns = [{"who": "person", "n": n, "messages": []}, {"who": "bot", "n": n + 1, "messages": []}]
        assert await store.append_new_turns(TOKEN, turns) is True
    record = await store.web_session(TOKEN, now=datetime.now(UTC))
    assert [turn["n"] for turn in record.transcript] == list(range(70, 120))
    dump = await store.dump_all_text()
    assert 50 <= dump.count("web_turns:") < 50 + 16 + 2  # older turns were deleted in passing
    assert (await store.purge(datetime.now(UTC)))["web_turns"] == dump.count("web_turns:") - 50
