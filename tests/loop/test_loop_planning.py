"""Publishing an action tells everyone who raised it and said yes, once, on their channel, in their language."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from loop_kit import STAFF
from sqlalchemy import func, select

from bot.loop.loop import LoopProblem
from storage.loop.records import QuestionLink
from storage.loop.store import LoopStore
from storage.loop.tables import LoopContact
from storage.models import Feedback, OutboxMessage


async def _theme_with_people(world, people) -> tuple[int, dict[str, int]]:
    theme_id = await world.loop.store.create_theme("waiting times", keywords=["wait"], actor=STAFF)
    ids = {
        "sms_en": await people.person("+447700900001"),
        "telegram_cy": await people.person("5550001", channel="telegram", language="cy",
                                           said="Roedd yr aros yn rhy hir"),
        "said_no": await people.person("+447700900002", hear_back=False),
        "never_asked": await people.person("+447700900003", hear_back=None),
        "stopped": await people.person("+447700900004", stopped=True),
        "unrelated": await people.person("+447700900005", said="The car park was full"),
        "voice": await people.person("+447700900006", channel="voice"),
    }
    for answer_id in await world.answer_ids("wait") + await world.answer_ids("aros"):
        await world.loop.store.tag("answer", answer_id, "waiting times", actor=STAFF)
    return theme_id, ids


async def _action(world, theme_ids: list[int], **changes) -> int:
    fields = {
        "you_said": {"en": "The wait for a first visit was too long.", "cy": "Roedd yr aros yn rhy hir."},
        "we_did": {
            "en": "We added more visits on Saturdays.",
            "cy": "Rydyn ni wedi ychwanegu ymweliadau ar ddydd Sadwrn.",
        },
        "status": "done",
        "symbol": "clock",
        "happened_on": date(2026, 11, 2),
        "theme_ids": theme_ids,
        "actor": STAFF,
    }
    action_id, _ = await world.loop.create_action(**(fields | changes))
    return action_id


async def test_publishing_queues_one_followup_per_consenting_contributor_on_their_channel_and_language(world, people):
    theme_id, ids = await _theme_with_people(world, people)
    action_id = await _action(world, [theme_id])

    plan = await world.loop.publish(action_id, actor=STAFF)

    assert plan.per_channel == {"sms": 1, "telegram": 1}
    assert plan.per_language == {"en": 1, "cy": 1}
    assert plan.unreachable == 1  # the caller on the phone line: a call cannot be started by a message
    # Everyone who raised it counts for the public page, whether or not they hear back.
    assert plan.raised_by == 6
    contacts = {(c.participant_id, c.channel, c.language) for c in await world.contacts()}
    assert contacts == {(ids["sms_en"], "sms", "en"), (ids["telegram_cy"], "telegram", "cy")}
    rows = await world.rows(OutboxMessage.participant_id, OutboxMessage.kind, OutboxMessage.payload)
    by_person = {row.participant_id: row for row in rows}
    assert set(by_person) == {ids["sms_en"], ids["telegram_cy"]}
    assert all(row.kind == "followup" for row in rows)
    welsh = [m["text"] for m in by_person[ids["telegram_cy"]].payload["messages"]]
    assert welsh[0] == "Dywedoch chi: Roedd yr aros yn rhy hir."
    english = by_person[ids["sms_en"]].payload["messages"]
    assert english[-1]["question_id"] == "helpful"
    assert [c["emoji"] for c in english[-1]["choices"]] == ["👍", "👎", "💬"]
    action = await world.loop.store.action(action_id)
    assert action.published_at == world.clock.now
    assert (action.raised_by, action.told) == (6, 2)


async def test_publishing_again_tells_only_people_not_told_yet(world, people):
    theme_id, ids = await _theme_with_people(world, people)
    action_id = await _action(world, [theme_id])
    await world.loop.publish(action_id, actor=STAFF)

    again = await world.loop.publish(action_id, actor=STAFF)
    assert again.total == 0

    newcomer = await people.person("+447700900010", said="Waiting is hard")
    for answer_id in await world.answer_ids("Waiting is hard"):
        await world.loop.store.tag("answer", answer_id, "waiting times", actor=STAFF)
    world.clock.advance(minutes=5)
    third = await world.loop.publish(action_id, actor=STAFF)
    assert third.per_channel == {"sms": 1}
    rows = await world.rows(OutboxMessage.participant_id)
    assert sorted(r.participant_id for r in rows) == sorted([ids["sms_en"], ids["telegram_cy"], newcomer])


async def test_two_processes_publishing_at_once_queue_each_person_once(world, people):
    theme_id, _ = await _theme_with_people(world, people)
    action_id = await _action(world, [theme_id])
    other = LoopStore(world.parts.database, clock=world.clock)
    second = type(world.loop)(**{**world.loop.__dict__, "store": other})

    plans = await asyncio.gather(world.loop.publish(action_id, actor=STAFF), second.publish(action_id, actor=STAFF))

    assert sorted(p.total for p in plans) == [0, 2]
    async with world.parts.database.engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(OutboxMessage)) == 2
        assert await conn.scalar(select(func.count()).select_from(LoopContact)) == 2


async def test_a_linked_question_counts_the_answers_it_names(world, people):
    theme_id = await world.loop.store.create_theme("first visits", actor=STAFF)
    await world.loop.store.link_question(theme_id, QuestionLink("demo", "overall", ("poor",)), actor=STAFF)
    poor = await people.person("+447700900020", question_id="overall", value="poor")
    await people.person("+447700900021", question_id="overall", value="good")
    await people.person("+447700900022", question_id="overall", value="poor", hear_back=False)
    action_id = await _action(world, [theme_id])

    plan = await world.loop.publish(action_id, actor=STAFF)

    assert plan.raised_by == 2
    assert [c.participant_id for c in await world.contacts()] == [poor]


async def test_a_forgotten_person_still_counts_but_is_never_told(world, people):
    theme_id, ids = await _theme_with_people(world, people)
    async with world.parts.store.unit() as uow:
        await uow.forget(ids["sms_en"])
    action_id = await _action(world, [theme_id])

    plan = await world.loop.publish(action_id, actor=STAFF)

    assert plan.per_channel == {"telegram": 1}
    assert plan.raised_by == 6  # the anonymous answer is still a person who raised it


async def test_words_that_fail_the_easy_read_check_are_refused(world, people):
    theme_id, _ = await _theme_with_people(world, people)
    with pytest.raises(LoopProblem) as refused:
        await _action(
            world, [theme_id],
            we_did={"en": "We've commenced a comprehensive multidisciplinary reconfiguration of the pathway.",
                    "cy": "Rydyn ni wedi dechrau."},
        )
    assert any(place.startswith("We did (en)") for place in refused.value.findings)
    assert await world.loop.store.actions() == []


async def test_an_action_needs_a_known_symbol_and_a_theme(world):
    theme_id = await world.loop.store.create_theme("waiting times", actor=STAFF)
    with pytest.raises(LoopProblem, match="no symbol"):
        await _action(world, [theme_id], symbol="unicorn")
    with pytest.raises(ValueError, match="at least one theme"):
        await _action(world, [])


async def test_forget_me_cuts_the_person_from_their_followup_but_keeps_the_anonymous_answer(world, people):
    theme_id, ids = await _theme_with_people(world, people)
    await world.loop.publish(await _action(world, [theme_id]), actor=STAFF)
    await world.deliver()
    async with world.parts.store.unit() as uow:
        question = await uow.loop_question(ids["sms_en"], world.clock.now)
        await uow.answer_loop_question(question.contact_id, "down", None, channel="sms", language="en")
        await uow.answer_loop_question(question.contact_id, "more", "Evenings would help us", channel="sms",
                                       language="en")
        await uow.forget(ids["sms_en"])

    contacts = {c.answer: c for c in await world.contacts()}
    assert contacts["down"].participant_id is None and contacts["down"].feedback_id is not None
    kept = await world.rows(Feedback.participant_id, Feedback.text, where=Feedback.id == contacts["down"].feedback_id)
    assert [(r.participant_id, r.text) for r in kept] == [(None, "Evenings would help us")]
    async with world.parts.store.unit() as uow:
        assert await uow.loop_question(ids["sms_en"], world.clock.now) is None
