"""Alerts in the database: written with the message, scrubbed, linked to where the words are kept, and
readable only by a safeguarding lead, whose every reading, acknowledgement, closing and reveal is audited."""

from __future__ import annotations

import pytest
from safeguarding_kit import PERSON, Texter
from sqlalchemy import select

from bot.messages import Channel
from storage.models import Answer, Feedback
from storage.safeguarding.store import NotAllowed
from storage.safeguarding.tables import CallbackNumber, SafeguardingAlert
from storage.staff.store import StaffStore


async def _rows(database, *columns):
    async with database.engine.connect() as conn:
        return (await conn.execute(select(*columns))).all()


async def test_a_risky_message_outside_a_pack_makes_an_alert_with_the_scrubbed_words(
    database, texter, safeguarding, team
) -> None:
    reply = await texter.send("I want to kill myself. Call me on 07700 900456")
    assert reply.messages[0].text.startswith("Thank you for telling us.")
    [alert] = await _rows(database, SafeguardingAlert)
    [feedback] = await _rows(database, Feedback.id, Feedback.text)
    assert (alert.kind, alert.level, alert.rules, alert.place) == ("risk", "urgent", ["en.suicide_intent"], "feedback")
    assert alert.text == "I want to kill myself. Call me on [phone number]" == feedback.text
    assert alert.feedback_id == feedback.id and alert.submission_id is None
    assert alert.notice_due_at is not None, "the duty team's notices are due at once"
    listed, total = await safeguarding.alerts()
    assert total == 1 and listed[0].rules == ("en.suicide_intent",) and not hasattr(listed[0], "text")


async def test_an_alert_from_a_text_answer_links_to_the_answer(database, texter) -> None:
    await texter.send("WAITING")
    await texter.send(choice="yes")
    await texter.send(choice="good")
    reply = await texter.send("i have been self harming again")
    assert reply.messages[0].text.startswith("Thank you for telling us. That sounds hard.")
    [alert] = await _rows(database, SafeguardingAlert)
    [answer] = [a for a in await _rows(database, Answer.submission_id, Answer.question_id, Answer.text) if a.text]
    assert (alert.submission_id, alert.question_id) == (answer.submission_id, answer.question_id)
    assert alert.level == "concern" and alert.feedback_id is None and answer.text == "i have been self harming again"


async def test_only_a_safeguarding_lead_can_read_an_alert_and_every_reading_is_audited(
    database, texter, safeguarding, team, clock
) -> None:
    await texter.send("my dad hits me")
    [(alert_id,)] = await _rows(database, SafeguardingAlert.id)
    for member in (team.staff, team.admin):
        with pytest.raises(NotAllowed):
            await safeguarding.open_alert(alert_id, team.actor(member))
    alert = await safeguarding.open_alert(alert_id, team.actor(team.lead))
    assert alert is not None and alert.text == "my dad hits me" and alert.reachable
    log, _ = await StaffStore(database, clock=clock).audit_entries(limit=20, action="safeguarding")
    assert [(e.action, e.actor) for e in reversed(log)] == [
        ("safeguarding.lead_added", "test"),  # the team's lead, when the test made the account
        ("safeguarding.read_refused", "staff@example.org"),
        ("safeguarding.read_refused", "admin@example.org"),
        ("safeguarding.read", "safeguarding_lead@example.org"),
    ]


async def test_break_glass_reveals_the_number_only_to_a_lead_with_a_reason_and_records_why(
    database, texter, safeguarding, team, clock
) -> None:
    await texter.send("I am not safe at home")
    [(alert_id,)] = await _rows(database, SafeguardingAlert.id)
    with pytest.raises(NotAllowed, match="Only a safeguarding lead"):
        await safeguarding.reveal(alert_id, team.actor(team.admin), "I am the admin, I want to see it")
    with pytest.raises(NotAllowed, match="Please write why"):
        await safeguarding.reveal(alert_id, team.actor(team.lead), "checking")
    contact = await safeguarding.reveal(alert_id, team.actor(team.lead), "Risk to a child tonight; calling 999")
    assert (contact.channel, contact.address, contact.how) == ("sms", PERSON, "the number they wrote from")
    assert PERSON not in repr(contact)
    reveals, total = await safeguarding.reveals()
    assert total == 3
    assert [(e.action, e.actor, e.detail) for e in reveals] == [
        ("safeguarding.reveal", "safeguarding_lead@example.org", "Risk to a child tonight; calling 999"),
        ("safeguarding.reveal_refused", "safeguarding_lead@example.org",
         "Please write why you need the contact details (at least 10 letters)."),
        ("safeguarding.reveal_refused", "admin@example.org", "Only a safeguarding lead can see contact details."),
    ]
    assert all(PERSON not in (e.detail or "") for e in reveals)


async def test_acknowledge_and_close_with_an_outcome(database, texter, safeguarding, team) -> None:
    await texter.send("I want to die")
    [(alert_id,)] = await _rows(database, SafeguardingAlert.id)
    lead = team.actor(team.lead)
    with pytest.raises(NotAllowed):
        await safeguarding.acknowledge(alert_id, team.actor(team.staff))
    assert await safeguarding.acknowledge(alert_id, lead)
    assert not await safeguarding.acknowledge(alert_id, lead), "already acknowledged"
    with pytest.raises(NotAllowed, match="outcome"):
        await safeguarding.close(alert_id, lead, "   ")
    assert await safeguarding.close(alert_id, lead, "Called the family; GP and crisis team informed")
    alert = await safeguarding.open_alert(alert_id, lead)
    assert alert.status == "closed" and alert.outcome == "Called the family; GP and crisis team informed"
    assert (alert.acknowledged_by, alert.closed_by) == (team.lead.id, team.lead.id)
    history = [e.action for e in await safeguarding.history(alert_id)]
    assert history == ["safeguarding.acknowledge_refused", "safeguarding.acknowledge", "safeguarding.close",
                       "safeguarding.read"]
    assert (await safeguarding.open_count()) == {"urgent": 0, "concern": 0}


async def test_alerts_list_open_urgent_ones_first(texter, parts, clock, safeguarding) -> None:
    await texter.send("i hate my life")
    clock.advance(minutes=1)
    await Texter(parts, clock, address="+447700900222").send("I want to kill myself")
    clock.advance(minutes=1)
    await Texter(parts, clock, address="+447700900333").send("I feel worthless")
    listed, _ = await safeguarding.alerts()
    assert [a.level for a in listed] == ["urgent", "concern", "concern"]
    assert listed[1].created_at > listed[2].created_at


async def test_a_typed_call_back_number_is_sealed_and_only_revealed_by_break_glass(
    database, parts, clock, safeguarding, team
) -> None:
    web = Texter(parts, clock, Channel.WEB, address="web-session-token-123")
    await web.send("CALL ME")
    reply = await web.send("07700 900987")
    assert "will phone you" in " ".join(m.text for m in reply.messages)
    [alert] = await _rows(database, SafeguardingAlert)
    [number] = await _rows(database, CallbackNumber)
    assert (alert.kind, alert.rules, alert.text) == ("callback", ["callback_request"], None)
    assert b"900987" not in number.sealed
    contact = await safeguarding.reveal(alert.id, team.actor(team.lead), "They asked us to call them back")
    assert (contact.address, contact.how) == ("+447700900987", "a number they gave for a call back")


async def test_a_web_chat_token_is_never_revealed(database, parts, clock, safeguarding, team) -> None:
    await Texter(parts, clock, Channel.WEB, address="web-session-token-456").send("I want to die")
    [(alert_id,)] = await _rows(database, SafeguardingAlert.id)
    assert not (await safeguarding.open_alert(alert_id, team.actor(team.lead))).reachable
    with pytest.raises(NotAllowed, match="no contact details"):
        await safeguarding.reveal(alert_id, team.actor(team.lead), "Risk to life, need to find them")


async def test_forget_me_removes_every_way_back_and_the_alert_stays_anonymous(
    database, texter, parts, clock, safeguarding, team
) -> None:
    await texter.send("CALL ME")
    await texter.send("yes")
    await texter.send("I want to die")
    await texter.send("FORGET ME")
    await texter.send("YES")
    alerts = await _rows(database, SafeguardingAlert.participant_id, SafeguardingAlert.text)
    assert len(alerts) == 2 and all(a.participant_id is None for a in alerts)
    for alert_id in (1, 2):
        with pytest.raises(NotAllowed, match="no contact details"):
            await safeguarding.reveal(alert_id, team.actor(team.lead), "Following up the call back request")
