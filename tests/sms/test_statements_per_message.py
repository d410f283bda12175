"""Statements a text message costs (issue #15): every one is a round trip to PostgreSQL, and they were most of
a message's time there. Counted with SQLAlchemy's own hook on every engine the app uses, so a change that
adds a statement to the message path fails here and has to say why in this budget."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from .conftest import SmsWorld, replies

# What one message costs at most, after the person's first: the person with everything read beside them
# (storage/conversations/participants.py), then what the engine's events write, then the conversation and
# the reply to the message id (one statement on PostgreSQL, two on SQLite, which has no round trip to save).
PLAIN = {"postgres": 2, "sqlite": 3}  # nothing but the conversation changes
ANSWER = {"postgres": 3, "sqlite": 4}  # and one answer stored


@contextmanager
def counted(world: SmsWorld) -> Iterator[list[str]]:
    statements: list[str] = []
    database = world.parts.database
    engines = [database.engine.sync_engine, *([database.inline] if database.inline is not None else [])]

    def count(_conn, _cursor, statement, _parameters, _context, _many) -> None:
        statements.append(statement)

    for engine in engines:
        event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", count)


def backend(world: SmsWorld) -> str:
    return "postgres" if world.parts.database.is_postgres else "sqlite"


async def test_a_message_costs_no_more_statements_than_its_budget(world: SmsWorld):
    await world.text("DEMO")
    await world.text("yes")  # consent and the first question
    with counted(world) as statements:
        assert replies(await world.text("2"))
    assert len(statements) <= ANSWER[backend(world)], statements
    with counted(world) as statements:
        assert replies(await world.text("Kind staff, long wait"))
    assert len(statements) <= ANSWER[backend(world)], statements
    with counted(world) as statements:
        await world.text("hello there")
    assert len(statements) <= ANSWER[backend(world)], statements


async def test_a_message_outside_a_walk_costs_the_plain_budget(world: SmsWorld):
    await world.text("hello")  # the person is created and their address sealed: not the everyday cost
    for words in ("hello again", "what is this", "ok"):
        with counted(world) as statements:
            assert replies(await world.text(words))
        assert len(statements) <= PLAIN[backend(world)], statements


async def test_a_retried_message_is_answered_from_one_statement(world: SmsWorld):
    await world.text("hello")
    first = await world.text("DEMO", sid="SM" + "7" * 32)
    with counted(world) as statements:
        again = await world.text("DEMO", sid="SM" + "7" * 32)
    assert replies(again) == replies(first)
    assert len(statements) == 1, statements
