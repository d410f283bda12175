"""The whole loop, on SQLite and PostgreSQL: people answer by SMS and Telegram, staff tag their comments and
publish an action, and everyone who said yes hears about it once, on their channel, in their language."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

from loop_kit import STAFF, LoopWorld, Seeder, loop_world

from storage.loop.tables import LoopContact
from storage.models import Feedback, OutboxMessage

DEMO_EN = ("DEMO", "YES", "3", "1")  # start, consent, "Poor", "Not at all"; then the written answer
DEMO_CY = ("CYMRAEG", "DEMO", "IE", "3", "1")


async def _answer_by_sms(world: LoopWorld, number: str, opening: tuple[str, ...], words: str, hear_back: str) -> None:
    await world.sms_conversation(number, *opening, words, "12", hear_back)


async def _publish_waiting_times(world: LoopWorld) -> int:
    theme_id = await world.loop.store.create_theme("waiting times", keywords=["wait", "aros"], actor=STAFF)
    suggested = {s.comment.text: s.themes for s in await world.loop.suggestions()}
    assert suggested["The wait was far too long"] == ("waiting times",)
    for text in suggested:
        for answer_id in await world.answer_ids(text):
            await world.loop.store.tag("answer", answer_id, "waiting times", actor=STAFF)
    action_id, warnings = await world.loop.create_action(
        you_said={
            "en": "The wait for a first visit was too long.",
            "cy": "Roedd yr aros am yr ymweliad cyntaf yn rhy hir.",
        },
        we_did={
            "en": "We added more visits on Saturdays.",
            "cy": "Rydyn ni wedi ychwanegu ymweliadau ar ddydd Sadwrn.",
        },
        status="done", symbol="clock", happened_on=date(2026, 11, 2), theme_ids=[theme_id], actor=STAFF,
    )
    assert not any(place.endswith("(en)") for place in warnings)
    return action_id


async def test_everyone_who_said_yes_hears_once_on_their_channel_in_their_language(world: LoopWorld):
    await _answer_by_sms(world, "+447700900101", DEMO_EN, "The wait was far too long", "YES")
    await _answer_by_sms(world, "+447700900102", DEMO_CY, "Roedd yr aros yn rhy hir", "IE")
    await _answer_by_sms(world, "+447700900103", DEMO_EN, "Too long a wait", "NO")
    await _answer_by_sms(world, "+447700900104", DEMO_EN, "The wait was so long", "YES")
    yes_on_telegram, no_on_telegram = world.person(5550101), world.person(5550102)
    await world.telegram_conversation(yes_on_telegram, "DEMO", "YES", "3", "1", "A long wait for us", "12", "YES")
    await world.telegram_conversation(no_on_telegram, "DEMO", "YES", "3", "1", "We had to wait months", "12", "NO")
    before_followups = {chat: len(world.telegram.texts(chat)) for chat in (5550101, 5550102)}
    texts_before = len(world.twilio.messages)

    action_id = await _publish_waiting_times(world)
    plan = await world.loop.publish(action_id, actor=STAFF)
    assert plan.per_channel == {"sms": 3, "telegram": 1}
    assert plan.raised_by == 6

    await world.sms("+447700900104", "STOP")  # after planning, before sending: checked at the moment of sending
    await world.deliver()

    new_texts = world.twilio.messages[texts_before:]
    assert sorted(m.to for m in new_texts) == ["+447700900101", "+447700900102"]
    english = next(m.body for m in new_texts if m.to == "+447700900101")
    assert "You said: The wait for a first visit was too long." in english
    assert "We did this: We added more visits on Saturdays." in english
    assert "Was this helpful?" in english
    welsh = next(m.body for m in new_texts if m.to == "+447700900102")
    assert "Dywedoch chi: Roedd yr aros am yr ymweliad cyntaf yn rhy hir." in welsh
    assert "Oedd hyn yn help?" in welsh
    telegram_new = world.telegram.chat(5550101)[before_followups[5550101]:]
    assert any("You said:" in (m.text or "") for m in telegram_new)
    assert telegram_new[-1].labels == ["👍 Yes", "👎 No", "💬 Tell us more"]
    assert len(world.telegram.texts(5550102)) == before_followups[5550102]
    cancelled = await world.rows(OutboxMessage.status, where=OutboxMessage.status == "cancelled")
    assert len(cancelled) == 1

    # The answers come back and are stored like any feedback.
    replies = await world.sms("+447700900101", "1")
    assert "Thank you. We are glad it helped." in " ".join(replies)
    await world.post_telegram(yes_on_telegram.taps("👎"))
    await world.telegram_conversation(yes_on_telegram, "The Saturday clinic is too far away")
    await world.sms_conversation("+447700900102", "3", "Mae angen mwy o apwyntiadau gyda'r nos")
    answers = sorted(((c.channel, c.language, c.answer, c.feedback_id is not None) for c in await world.contacts()),
                     key=str)
    assert answers == sorted([
        ("sms", "en", "up", False),
        ("sms", "en", None, False),  # the person who sent STOP: never told, so never answered
        ("sms", "cy", "more", True),
        ("telegram", "en", "down", True),
    ], key=str)
    words = {r.text for r in await world.rows(Feedback.text)}
    assert {"The Saturday clinic is too far away", "Mae angen mwy o apwyntiadau gyda'r nos"} <= words

    # Publishing again, or a second tick, tells nobody twice.
    sent_so_far = len(world.twilio.messages), len(world.telegram.sent())
    again = await world.loop.publish(action_id, actor=STAFF)
    assert again.total == 0
    await world.deliver()
    assert (len(world.twilio.messages), len(world.telegram.sent())) == sent_so_far

    progress = await world.loop.store.progress(action_id)
    assert progress.answers == {"up": 1, "down": 1, "more": 1}
    assert progress.words == 2

    page = await world.http.get("/you-said-we-did")
    assert page.status_code == 200
    assert "The wait for a first visit was too long." in page.text
    assert "6 people told us this." in page.text


async def test_a_followup_due_at_11pm_goes_at_the_end_of_quiet_hours(make_world):
    late = datetime(2026, 11, 24, 23, 0, tzinfo=UTC)  # 23:00 in London
    async with make_world(at=late) as world:
        seed = Seeder(world)
        for n in range(3):
            await seed.person(f"+44770090020{n}")
        action_id = await _tagged_action(world)
        await world.loop.publish(action_id, actor=STAFF)

        assert (await world.parts.dispatcher.tick()).sent == 0
        world.clock.now = datetime(2026, 11, 25, 7, 59, 59, tzinfo=UTC)
        assert (await world.parts.dispatcher.tick()).sent == 0
        assert world.twilio.messages == []
        world.clock.now = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
        assert await world.deliver() == 3
        assert sorted(m.to for m in world.twilio.messages) == [f"+44770090020{n}" for n in range(3)]


async def test_a_followup_planned_before_quiet_hours_but_not_sent_waits_for_the_morning(make_world):
    async with make_world(at=datetime(2026, 11, 24, 20, 59, tzinfo=UTC)) as world:
        await Seeder(world).person("+447700900210")
        await world.loop.publish(await _tagged_action(world), actor=STAFF)
        world.clock.now = datetime(2026, 11, 24, 23, 0, tzinfo=UTC)  # the server was busy, or down, till 11pm
        stats = await world.parts.dispatcher.tick()
        assert (stats.sent, stats.deferred) == (0, 1)
        [due] = await world.rows(OutboxMessage.next_attempt_at)
        assert due.next_attempt_at == datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


async def _tagged_action(world: LoopWorld) -> int:
    theme_id = await world.loop.store.create_theme("waiting times", actor=STAFF)
    for answer_id in await world.answer_ids("wait"):
        await world.loop.store.tag("answer", answer_id, "waiting times", actor=STAFF)
    action_id, _ = await world.loop.create_action(
        you_said={"en": "The wait was too long."}, we_did={"en": "We added visits on Saturdays."},
        status="done", symbol="clock", happened_on=date(2026, 11, 2), theme_ids=[theme_id], actor=STAFF,
    )
    return action_id


class _DiesAfter:
    """The SMS sender of a process that dies after `sends` messages: later sends never return."""

    def __init__(self, real, sends: int) -> None:
        self.real = real
        self.channel = real.channel
        self.rate_per_second = real.rate_per_second
        self.left = sends
        self.started = 0

    async def send(self, address, messages, *, outbox_id):
        self.started += 1
        if self.left <= 0:
            await asyncio.Event().wait()  # the process is gone; this never finishes
        self.left -= 1
        return await self.real.send(address, messages, outbox_id=outbox_id)

    async def aclose(self) -> None:
        await self.real.aclose()


async def test_a_restart_in_the_middle_of_a_batch_loses_and_repeats_nothing(database, fakes, tmp_path):
    twilio, telegram = fakes
    numbers = [f"+4477009003{n:02d}" for n in range(30)]
    async with loop_world(database, twilio, telegram, tmp_path) as first:
        for number in numbers:
            await Seeder(first).person(number)
        action_id = await _tagged_action(first)
        await first.loop.publish(action_id, actor=STAFF)
        dying = _DiesAfter(first.parts.senders["sms"], sends=10)
        first.parts.dispatcher.senders["sms"] = dying
        tick = asyncio.create_task(first.parts.dispatcher.tick())
        # Killed once the first ten are sent and recorded and the other twenty are stuck in flight at the
        # provider: nothing of theirs reached anyone, so nothing may be lost or repeated.
        while len(twilio.messages) < 10 or dying.started < 30 or (await first.parts.store.outbox_counts()).get(
            "sent", 0
        ) < 10:
            await asyncio.sleep(0.01)
        tick.cancel()  # the process is killed mid-batch
        await asyncio.gather(tick, return_exceptions=True)
        crashed_at = first.clock.now
    assert len(twilio.messages) == 10

    async with loop_world(database, twilio, telegram, tmp_path, at=crashed_at) as second:
        second.clock.advance(seconds=61)  # the dead process's lease on its rows runs out
        await second.deliver()
        statuses = {r.status for r in await second.rows(OutboxMessage.status)}
        contacts = await second.rows(LoopContact.id)

    assert sorted(m.to for m in twilio.messages) == numbers  # every person once: nothing lost, nothing twice
    assert statuses == {"sent"}
    assert len(contacts) == 30
