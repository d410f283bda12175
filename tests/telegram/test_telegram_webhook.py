"""`POST /webhooks/telegram` on bad input: wrong secrets, broken bodies, updates we do not use, groups,
duplicates, and updates from one chat arriving together."""

from __future__ import annotations

import asyncio
import json

import pytest

from storage.models import Answer, Feedback, InboundMessage, OutboxMessage, Participant


async def _nothing_stored(world) -> bool:
    counts = [await world.count(model) for model in (Participant, InboundMessage, OutboxMessage, Feedback)]
    return counts == [0, 0, 0, 0]


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", "test-webhook-secret_012345678"])
async def test_a_missing_or_wrong_secret_is_refused_and_nothing_is_stored(world, secret) -> None:
    response = await world.post(world.person().says("hello"), secret=secret)
    assert response.status_code == 403
    assert await _nothing_stored(world)
    assert not world.fake.calls


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"", b"[1, 2, 3]", b'"hello"', b"\xff\xfe", b'{"message": {"text": "hi"}}',
     b'{"update_id": "7", "message": {}}', b'{"update_id": 7, "message": "hi"}',
     b'{"update_id": 7, "message": {"message_id": 1, "date": 0, "chat": {"type": "private"}}}',
     b"[" * 100_000 + b"]" * 100_000],
)
async def test_a_body_that_is_not_a_telegram_update_is_a_400_and_nothing_is_stored(world, body) -> None:
    response = await world.post(body)
    assert response.status_code in (400, 413)
    assert await _nothing_stored(world)
    assert not world.fake.calls


async def test_a_huge_body_is_refused_before_it_is_read(world) -> None:
    update = world.person().says("x" * 300_000)
    response = await world.post(update)
    assert response.status_code == 413
    assert await _nothing_stored(world)


@pytest.mark.parametrize(
    "update",
    [
        {"update_id": 9, "inline_query": {"id": "1", "from": {"id": 5, "is_bot": False, "first_name": "A"},
                                          "query": "hi", "offset": ""}},
        {"update_id": 9, "poll": {"id": "1", "question": "Q", "options": [], "total_voter_count": 0,
                                  "is_closed": False, "is_anonymous": True, "type": "regular",
                                  "allows_multiple_answers": False}},
        {"update_id": 9, "something_new": {"x": 1}},
        {"update_id": 9},
    ],
)
async def test_update_types_the_bot_does_not_use_are_answered_200_and_ignored(world, update) -> None:
    response = await world.post(update)
    assert response.status_code == 200
    assert await _nothing_stored(world)
    assert not world.fake.calls


async def test_an_edited_message_gets_no_reply_and_changes_nothing(world) -> None:
    person = world.person()
    await world.send(person.says("/start waiting_list"))
    calls, inbound = len(world.fake.calls), await world.count(InboundMessage)
    await world.send(person.edits(1, "no thanks"))
    assert len(world.fake.calls) == calls
    assert await world.count(InboundMessage) == inbound
    await world.send(person.taps("Yes"))  # still on the consent question: the edit did not answer it
    assert "How are you feeling today?" in world.fake.chat(person.chat_id)[-1].text


async def test_a_message_in_a_group_gets_a_private_chats_only_notice_and_the_bot_leaves(world) -> None:
    from fakes.telegram_api import group_message

    person = world.person(first_name="Groupie")
    response = await world.post(group_message(world.fake, -100123456, "hello bot", sender=person))
    assert response.status_code == 200
    [notice] = world.fake.calls_to("sendMessage")
    assert notice.params["chat_id"] == -100123456 and "private chat" in notice.params["text"]
    [leave] = world.fake.calls_to("leaveChat")
    assert leave.params["chat_id"] == -100123456
    assert await _nothing_stored(world)


async def test_being_added_to_a_group_is_answered_the_same_way(world) -> None:
    from fakes.telegram_api import added_to_group

    response = await world.post(added_to_group(world.fake, -100777, by=world.person()))
    assert response.status_code == 200
    assert [c.method for c in world.fake.calls] == ["sendMessage", "leaveChat"]
    assert await _nothing_stored(world)


async def test_the_same_update_twice_is_processed_once(world) -> None:
    person = world.person()
    update = person.says("/start waiting_list")
    await world.send(update)
    calls = len(world.fake.calls)
    assert len(world.fake.texts(person.chat_id)) == 2  # the intro and the consent question
    await world.send(update)
    assert len(world.fake.calls) == calls  # nothing sent again
    assert await world.count(InboundMessage) == 1
    assert await world.count(OutboxMessage) == 1

    tap = person.taps("Yes")
    await world.send(tap)
    texts = world.fake.texts(person.chat_id)
    await world.send(tap)
    assert await world.count(InboundMessage) == 2
    assert await world.count(OutboxMessage) == 2
    assert world.fake.texts(person.chat_id) == texts and "How are you feeling today?" in texts[-1]


async def test_the_same_update_arriving_twice_at_once_is_processed_once(world) -> None:
    person = world.person()
    update = person.says("/start waiting_list")
    responses = await asyncio.gather(world.post(update), world.post(update), world.post(update))
    assert [r.status_code for r in responses] == [200, 200, 200]
    await world.tick()
    assert await world.count(InboundMessage) == 1
    assert await world.count(OutboxMessage) == 1
    assert len(world.fake.texts(person.chat_id)) == 2


async def test_one_message_delivered_in_two_updates_is_processed_once(world) -> None:
    person = world.person()
    update = person.says("The clinic was closed when we arrived")
    again = json.loads(json.dumps(update)) | {"update_id": update["update_id"] + 50}
    await world.send(update)
    await world.send(again)
    assert await world.count(Feedback) == 1


async def test_updates_for_one_chat_arriving_together_are_handled_in_order(world) -> None:
    person = world.person()
    await world.send(person.says("/start waiting_list"))
    script = [person.says(text) for text in ("yes", "1", "A kind doctor", "yes", "no")]
    responses = await asyncio.gather(*(world.post(update) for update in script))
    assert all(r.status_code == 200 for r in responses)
    await world.tick()
    assert await world.answers() == {"feeling": "good", "would_help": "A kind doctor", "updates": "yes",
                                     "checkins": "no"}
    assert await world.count(Answer) == 4


async def test_one_chat_waits_for_its_earlier_update_and_other_chats_do_not(fake_telegram) -> None:
    """The route on its own, with a service whose first answer is slow: a later update from the same
    chat must wait for it; another chat's update must not."""
    import httpx
    from starlette.applications import Starlette

    from bot.messages import Reply
    from channels.telegram.api import TelegramApi
    from channels.telegram.buttons import ButtonCodec
    from channels.telegram.routes import SECRET_HEADER, WEBHOOK_PATH, TelegramWebhookConfig, telegram_routes
    from channels.telegram.sender import TelegramSender
    from channels.telegram.updates import InboundIds, UpdateReader

    handled: list[tuple[str, str]] = []

    async def handle(address, message):
        if message.text == "first":
            await asyncio.sleep(0.3)
        handled.append((address, message.text))
        return Reply(), True

    async def record_block(address, message):
        raise AssertionError("nobody blocked the bot")

    buttons = ButtonCodec(b"k" * 32)
    config = TelegramWebhookConfig(
        secret="s3cret", reader=UpdateReader(buttons, InboundIds(b"i" * 32), knows_pack=lambda _: False),
        private_only=lambda _: "private chats only",
    )
    api = TelegramApi(fake_telegram.token, base_url=fake_telegram.base_url)
    app = Starlette(routes=telegram_routes(config, api, TelegramSender(api, buttons), handle, record_block))
    a, b = fake_telegram.person(1001), fake_telegram.person(2002)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://internal") as http:

        async def post(update):
            return await http.post(WEBHOOK_PATH, json=update, headers={SECRET_HEADER: "s3cret"})

        first = asyncio.create_task(post(a.says("first")))
        await asyncio.sleep(0.05)  # "first" is being handled when the others arrive
        others = await asyncio.gather(post(a.says("second")), post(b.says("other")))
        assert (await first).status_code == 200 and all(r.status_code == 200 for r in others)
    assert handled == [("2002", "other"), ("1001", "first"), ("1001", "second")]
