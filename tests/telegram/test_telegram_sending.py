"""Sending through the outbox with PTB's real Bot: flood limits (429 retry_after), blocked bots, dead
chats, symbol cards, long texts, and a send that fails half way."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.messages import Ask, Choice, Say
from bot.messages_json import message_to_dict
from channels.base import SendFailed
from storage.models import OutboxMessage

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # the fake checks the signature, as Telegram checks the image


async def _broadcast(world, chat_id: int, *messages) -> int:
    async with world.parts.store.unit() as uow:
        person = await uow.participant("telegram", str(chat_id))
        return await uow.enqueue(person.id, "telegram", "broadcast",
                                 {"messages": [message_to_dict(m) for m in messages]})


async def _row(world, outbox_id: int) -> OutboxMessage:
    async with world.parts.database.engine.connect() as conn:
        return (await conn.execute(select(OutboxMessage).where(OutboxMessage.id == outbox_id))).one()


def test_the_sender_declares_telegrams_rates(world) -> None:
    sender = world.parts.senders["telegram"]
    assert sender.rate_per_second == 30.0
    assert sender.per_address_rate_per_second == 1.0


async def test_a_429_is_retried_no_sooner_than_telegram_asked(world) -> None:
    chat = world.person().chat_id
    outbox_id = await _broadcast(world, chat, Say("We opened a new waiting room."))
    world.fake.fail_next("sendMessage", 429, retry_after=120)
    stats = await world.tick()
    assert stats.retried == 1 and not world.fake.sent(chat)
    row = await _row(world, outbox_id)
    assert row.status != "sent" and "slow down" in row.last_error
    assert row.next_attempt_at - world.clock.now >= timedelta(seconds=120)

    world.clock.advance(seconds=60)
    await world.tick()
    assert not world.fake.sent(chat)  # still too early
    world.clock.advance(seconds=61 + 40)
    await world.tick()
    assert [c.params["text"] for c in world.fake.sent(chat)] == ["We opened a new waiting room."]
    assert (await _row(world, outbox_id)).status == "sent"


async def test_the_sender_turns_a_429_into_a_retry_after(world) -> None:
    world.fake.fail_next("sendMessage", 429, retry_after=7)
    with pytest.raises(SendFailed) as failed:
        await world.parts.senders["telegram"].send("5550001234", [Say("Hello")], outbox_id=1)
    assert failed.value.retryable and failed.value.retry_after == 7 and not failed.value.stop_contact


@pytest.mark.parametrize("how", ["blocked", "deactivated"])
async def test_a_person_who_blocked_the_bot_is_stopped_and_sent_nothing_more(world, how) -> None:
    chat = world.person().chat_id
    getattr(world.fake, how).add(chat)
    first = await _broadcast(world, chat, Say("News about your wait."))
    stats = await world.tick()
    assert stats.failed == 1 and stats.retried == 0
    assert (await world.participant(chat)).stopped
    assert (await _row(world, first)).status == "failed"

    world.fake.blocked.discard(chat)
    world.fake.deactivated.discard(chat)
    second = await _broadcast(world, chat, Say("More news."))
    world.clock.advance(seconds=5)
    await world.tick()
    assert (await _row(world, second)).status == "cancelled"
    assert not world.fake.sent(chat)


async def test_blocking_the_bot_marks_the_person_stopped_without_a_reply(world) -> None:
    person = world.person()
    await world.send(person.says("/start waiting_list"))
    sent = len(world.fake.calls)
    await world.send(person.blocks_bot())
    assert (await world.participant(person.chat_id)).stopped
    assert len(world.fake.calls) == sent


async def test_a_chat_telegram_cannot_find_is_given_up_but_not_marked_stopped(world) -> None:
    chat = world.person().chat_id
    outbox_id = await _broadcast(world, chat, Say("Hello"))
    world.fake.fail_next("sendMessage", 400, "Bad Request: chat not found")
    stats = await world.tick()
    assert stats.failed == 1
    row = await _row(world, outbox_id)
    assert row.status == "failed" and "chat not found" in row.last_error
    assert not (await world.participant(chat)).stopped


async def test_telegram_being_down_is_retried(world) -> None:
    chat = world.person().chat_id
    outbox_id = await _broadcast(world, chat, Say("Hello"))
    world.fake.fail_next("sendMessage", 502, "Bad Gateway")
    assert (await world.tick()).retried == 1
    world.clock.advance(minutes=5)
    await world.tick()
    assert (await _row(world, outbox_id)).status == "sent"


async def test_a_send_that_fails_half_way_carries_on_where_it_stopped(world) -> None:
    chat = world.person().chat_id
    outbox_id = await _broadcast(world, chat, Say("One."), Say("Two."), Say("Three."))
    world.fake.fail_next("sendMessage", 429, retry_after=1, after=1)
    await world.tick()
    assert [c.params["text"] for c in world.fake.sent(chat)] == ["One."]
    world.clock.advance(minutes=5)
    await world.tick()
    assert [c.params["text"] for c in world.fake.sent(chat)] == ["One.", "Two.", "Three."]
    assert (await _row(world, outbox_id)).status == "sent"


async def test_symbol_cards_go_before_questions_and_are_uploaded_once(make_world) -> None:
    asked: list[str] = []

    def symbol_image(name: str) -> bytes | None:
        asked.append(name)
        return PNG if name != "question" else None  # a symbol with no card yet: the question goes alone

    async with make_world(wiring={"symbol_image": symbol_image}) as world:
        ada, ben = world.person(1001), world.person(2002)
        for person in (ada, ben):
            await world.send(person.says("/start waiting_list"))
            await world.send(person.taps("Yes"))
        for person in (ada, ben):
            sent = world.fake.sent(person.chat_id)
            assert [c.method for c in sent] == ["sendMessage", "sendMessage", "sendPhoto", "sendMessage"]
            assert "How are you feeling today?" in sent[-1].params["text"]
        first_card = world.fake.sent(ada.chat_id)[2].params["photo"]
        second_card = world.fake.sent(ben.chat_id)[2].params["photo"]
        assert first_card == "<upload>"
        assert second_card.startswith("AgAC")  # the file id Telegram gave the first upload
        assert asked.count("heart") == 1


async def test_a_stale_card_file_id_is_uploaded_again(make_world) -> None:
    async with make_world(wiring={"symbol_image": lambda name: PNG}) as world:
        ada, ben = world.person(1001), world.person(2002)
        await world.send(ada.says("/start waiting_list"))  # uploads the consent card
        # Telegram no longer knows the file id (a new bot token, a wiped self-hosted server).
        world.fake.fail_next("sendPhoto", 400, "Bad Request: wrong file identifier/HTTP URL specified")
        await world.send(ben.says("/start waiting_list"))
        tries = [c.params["photo"] for c in world.fake.calls_to("sendPhoto")]
        assert tries[0] == "<upload>" and tries[1].startswith("AgAC") and tries[2] == "<upload>"
        assert "Can we ask you 6 short questions?" in world.fake.texts(ben.chat_id)[-1]


async def test_long_texts_are_split_under_telegrams_limit_with_the_buttons_on_the_last_piece(world) -> None:
    chat = world.person().chat_id
    paragraph = "We have read every message you sent us this year. " * 30
    long_text = "\n\n".join([paragraph.strip()] * 6)
    ask = Ask("feeling", long_text, "choice", "en", choices=(
        Choice("good", "Good", "happy", "😀", "1"), Choice("bad", "Bad", "unhappy", "🙁", "2")))
    await world.parts.senders["telegram"].send(str(chat), [Say(long_text), ask], outbox_id=99)
    shown = world.fake.chat(chat)
    assert len(shown) >= 4 and all(len(m.text) <= 4096 for m in shown)
    assert [bool(m.buttons) for m in shown][-1] and not any(m.buttons for m in shown[:-1])
    assert "".join(m.text for m in shown).replace("\n", "").count("We have read") == 2 * 6 * 30


async def test_many_sends_of_a_new_card_at_once_upload_it_once(fake_telegram) -> None:
    import asyncio

    from channels.telegram.api import TelegramApi
    from channels.telegram.buttons import ButtonCodec
    from channels.telegram.sender import TelegramSender

    drawn: list[str] = []

    def symbol_image(name: str) -> bytes:
        drawn.append(name)
        return PNG

    api = TelegramApi(fake_telegram.token, base_url=fake_telegram.base_url)
    sender = TelegramSender(api, ButtonCodec(b"k" * 32), symbol_image=symbol_image)
    ask = Ask("overall", "How was your visit?", "choice", "en", symbol="star", choices=(
        Choice("good", "Good", "happy", "😀", "1"), Choice("poor", "Poor", "unhappy", "🙁", "2")))
    try:
        sent = await asyncio.gather(*(sender.send_reply(chat, [ask]) for chat in range(3001, 3011)))
    finally:
        await sender.aclose()
    assert all(sent)
    photos = [c.params["photo"] for c in fake_telegram.calls_to("sendPhoto")]
    assert len(photos) == 10 and photos.count("<upload>") == 1
    assert len(fake_telegram.calls_to("sendMessage")) == 10
