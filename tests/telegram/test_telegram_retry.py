"""Finding 5: when the database is unavailable a Telegram update is answered 503, so Telegram sends it
again, instead of 200 and dropped; the delivery that follows is processed once."""

from __future__ import annotations

from contextlib import asynccontextmanager

from storage.errors import StorageUnavailable
from storage.models import InboundMessage, Participant


def _database_down(world, monkeypatch) -> None:
    @asynccontextmanager
    async def unavailable():
        raise StorageUnavailable("the database is unavailable")
        yield  # pragma: no cover - never reached

    monkeypatch.setattr(world.parts.store, "unit", unavailable)


async def test_an_update_that_arrives_while_the_database_is_down_is_asked_for_again(world, monkeypatch) -> None:
    person = world.person()
    update = person.says("/start")
    with monkeypatch.context() as patch:
        _database_down(world, patch)
        refused = await world.post(update)
        assert refused.status_code == 503
        assert refused.headers["retry-after"]
    assert await world.count(Participant) == 0 and await world.count(InboundMessage) == 0
    assert not world.fake.texts(person.chat_id), "nothing was said that the retry would say again"
    # Telegram delivers the same update again once we are back: it is handled, once.
    await world.send(update)
    first = list(world.fake.texts(person.chat_id))
    assert first, "the retried update was answered"
    await world.send(update)
    assert world.fake.texts(person.chat_id) == first
    assert await world.count(InboundMessage) == 1


async def test_a_block_that_arrives_while_the_database_is_down_is_asked_for_again(world, monkeypatch) -> None:
    person = world.person()
    await world.send(person.says("/start"))
    with monkeypatch.context() as patch:
        _database_down(world, patch)
        refused = await world.post(person.blocks_bot())
        assert refused.status_code == 503
