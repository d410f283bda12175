"""CALL ME as a case, the audited reveal of a number to call, the link to safeguarding alerts, owners, themes
that lead to "you said, we did", and the audit of every reply and close."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from inbox_kit import PERSON, PUBLIC_URL, InboxWorld, csrf_in

from bot.app.loop import build_loop
from bot.inbox.notify import CaseNotifier
from bot.messages import Channel, Inbound
from bot.safeguarding.duty import DutyConfig
from storage.staff.records import Actor

TYPED_NUMBER = "07700 900456"
TYPED_E164 = "+447700900456"


async def test_call_me_is_a_case_that_wants_a_call_and_a_lead_can_reveal_the_number(world: InboxWorld) -> None:
    asked = await world.sms("CALL ME")
    assert any("phone you" in line for line in asked)
    await world.sms("YES")
    [case] = await world.cases()
    assert case.callback_wanted and case.alert_id is not None
    listing = await world.get("/staff/inbox")
    assert "Wants a call" in listing.text and PERSON not in listing.text
    page = await world.page(case.id)
    assert "They asked for a person to phone them" in page.text
    assert "A safeguarding lead can reveal the number" in page.text and "Reveal the number" not in page.text
    refused = await world.post(f"/staff/inbox/{case.id}/reveal", {"reason": "I want to call them back today"})
    assert refused.status_code == 400 and PERSON not in refused.text and "Your role cannot" in refused.text
    await world.sign_in("lead@example.org")
    short = await world.post(f"/staff/inbox/{case.id}/reveal", {"reason": "call"})
    assert short.status_code == 400 and PERSON not in short.text
    shown = await world.post(f"/staff/inbox/{case.id}/reveal", {"reason": "Calling them back as they asked"})
    assert shown.status_code == 200 and PERSON in shown.text
    assert PERSON not in (await world.page(case.id)).text, "shown once, not kept on the page"
    history = (await world.page(case.id)).text
    assert "nurse@example.org, reveal refused" in history and "lead@example.org, reveal: Calling them back" in history
    assert f'href="/staff/safeguarding/alerts/{case.alert_id}"' in history, "a lead can go to the alert"


async def test_a_number_typed_on_the_web_chat_is_the_one_revealed(world: InboxWorld) -> None:
    await world.web("CALL ME")
    await world.web(TYPED_NUMBER)
    [case] = await world.cases()
    assert case.callback_wanted and case.channel == "web"
    await world.sign_in("lead@example.org")
    shown = await world.post(f"/staff/inbox/{case.id}/reveal", {"reason": "Calling them back as they asked"})
    assert TYPED_E164 in shown.text and "a number they gave for a call back" in shown.text.lower()


async def test_a_risky_message_is_a_case_linked_to_its_alert(world: InboxWorld) -> None:
    await world.sms("I feel like nobody listens and I want to die")
    [case] = await world.cases()
    assert case.alert_id is not None and "want to die" in case.preview
    page = await world.page(case.id)
    assert "A safeguarding lead has an alert about this" in page.text
    assert f"/staff/safeguarding/alerts/{case.alert_id}" not in page.text, "only leads get the link"
    await world.sign_in("lead@example.org")
    alert = await world.get(f"/staff/safeguarding/alerts/{case.alert_id}")
    assert f'href="/staff/inbox/alert/{case.alert_id}"' in alert.text
    to_case = await world.get(f"/staff/inbox/alert/{case.alert_id}")
    assert to_case.status_code == 303 and to_case.headers["location"] == f"/staff/inbox/{case.id}"


async def test_owner_and_every_reply_and_close_are_audited(world: InboxWorld) -> None:
    await world.sms("Can I change my appointment")
    [case] = await world.cases()
    taken = await world.post(f"/staff/inbox/{case.id}/owner", {"owner": "me"})
    assert taken.status_code == 303
    mine = await world.get("/staff/inbox?mine=1")
    assert "Case 1" in mine.text and "nurse@example.org" in mine.text
    await world.reply(case.id, "Yes. What day is good for you?")
    await world.post(f"/staff/inbox/{case.id}/close", {})
    entries, _ = await world.parts_staff_audit()
    actions = [(e.actor, e.action, e.subject) for e in reversed(entries)]
    assert ("nurse@example.org", "case.owner", "case 1") in actions
    assert ("nurse@example.org", "case.reply", "case 1") in actions
    assert ("nurse@example.org", "case.close", "case 1") in actions
    assert all(PERSON not in (e.detail or "") for e in entries)
    assert not any("Thank you for talking to us" in m.body for m in world.twilio.messages), "closed without a line"


async def test_a_case_tied_to_a_theme_hears_back_when_the_action_is_published(world: InboxWorld) -> None:
    await world.sms("DEMO")
    await world.sms("YES")
    for _ in range(8):  # through the demo pack, saying yes to hearing back
        said = await world.sms("1")
        if any("Thank you" in line and "answers" in line for line in said):
            break
    await world.sms("The car park is always full")
    [case] = await world.cases()
    tied = await world.post(f"/staff/inbox/{case.id}/theme", {"theme": "parking", "change": "add"})
    assert tied.status_code == 303
    filtered = await world.get("/staff/inbox?theme=parking")
    assert "Case 1" in filtered.text
    loop = build_loop(world.parts.settings, world.parts, clock=world.clock)
    actor = Actor("nurse@example.org")
    theme_id = await loop.store.create_theme("parking", actor=actor)
    action_id, _ = await loop.create_action(
        you_said={"en": "The car park was full."}, we_did={"en": "We made 20 more spaces."}, status="done",
        symbol="calendar", happened_on=date(2026, 11, 20), theme_ids=[theme_id], actor=actor,
    )
    plan = await loop.publish(action_id, actor=actor)
    assert plan.total == 1, "the person behind the case hears what we did"
    world.clock.advance(minutes=5)  # follow-ups are spread over time at the channel's rate
    await world.tick()
    assert any("20 more spaces" in m.body and m.to == PERSON for m in world.twilio.messages)


async def test_a_staff_reply_with_easy_read_problems_needs_a_second_look(world: InboxWorld) -> None:
    await world.sms("What happens next")
    [case] = await world.cases()
    hard = "Notwithstanding the aforementioned circumstances, your appointment has been rescheduled accordingly."
    checked = await world.post(f"/staff/inbox/{case.id}/reply", {"reply": hard, "action": "check"})
    assert checked.status_code == 200 and "Fix:" in checked.text and "SMS:" in checked.text and "£" in checked.text
    refused = await world.reply(case.id, hard)
    assert refused.status_code == 400 and "tick the box" in refused.text
    assert not (await world.case(case.id)).summary.handover, "nothing was sent"
    sent = await world.reply(case.id, hard, override="yes")
    assert sent.status_code == 303
    canned = await world.get(f"/staff/inbox/{case.id}?canned=call_when")
    assert "What is a good day and time to phone you?" in canned.text
    assert csrf_in(canned.text)


async def test_the_people_on_duty_are_told_of_new_cases_without_their_words(world: InboxWorld) -> None:
    duty_phone = "+447700900777"
    duty = DutyConfig(PUBLIC_URL, phones=(duty_phone,))
    notifier = CaseNotifier(world.inbox.store, world.parts.store, duty, None)
    await world.sms("An old message nobody was told about")
    world.clock.advance(days=2)
    assert (await notifier.tick()).cases == 0, "switching notices on does not announce old cases"
    await world.sms("The waiting room is too loud", from_="+447700900125")
    await world.sms("Where is the new clinic", from_="+447700900124")
    stats = await notifier.tick()
    assert stats.cases == 2 and stats.queued == 1, "one nudge for both"
    await world.tick()
    [nudge] = [m for m in world.twilio.messages if m.to == duty_phone]
    assert nudge.body == f"Said & Done: 2 new messages are waiting in the inbox. {PUBLIC_URL}/staff/inbox"
    assert (await notifier.tick()).cases == 0, "told once"
    await world.sms("and it is too hot", from_="+447700900125")  # joins their open case: not a new one
    assert (await notifier.tick()).cases == 0


async def test_a_welsh_speaker_gets_welsh_saved_replies_and_the_bot_frames_them_in_welsh(world: InboxWorld) -> None:
    await world.sms("CYMRAEG")
    await world.sms("Mae'r aros yn rhy hir")
    [case] = await world.cases()
    assert case.language == "cy"
    page = await world.get(f"/staff/inbox/{case.id}?canned=call_when")
    assert "Pa ddiwrnod ac amser sy&#39;n dda i&#39;ch ffonio?" in page.text
    await world.reply(case.id, "Diolch. Byddwn yn eich ffonio yfory.", override="yes")
    await world.tick()
    [sent] = [m for m in world.twilio.messages if "yfory" in m.body]
    assert "Gallwch ateb y neges hon." in sent.body


async def test_a_caller_on_the_phone_line_cannot_be_sent_a_message(world: InboxWorld) -> None:
    said = Inbound(text="nobody has called me back about my son", channel=Channel.VOICE,
                   received_at=world.clock.now, provider_id="CA1")
    await world.parts.service.handle(Channel.VOICE, PERSON, said)
    [case] = await world.cases()
    assert case.channel == "voice"
    page = await world.page(case.id)
    assert "called the phone line, which cannot take a message" in page.text
    assert 'action="/staff/inbox/1/reply"' not in page.text and PERSON not in page.text
    refused = await world.reply(case.id, "We will call you.")
    assert refused.status_code == 409


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.text(max_size=800), action=st.sampled_from(["check", "send"]))
async def test_any_reply_text_gets_a_clear_answer_and_nothing_half_done(world: InboxWorld, words: str,
                                                                       action: str) -> None:
    if not await world.cases():
        await world.sms("What happens next")
    before = len((await world.case(1)).lines)
    response = await world.post("/staff/inbox/1/reply", {"reply": words, "action": action, "override": "yes"})
    assert response.status_code in (200, 303, 400), response.status_code
    after = len((await world.case(1)).lines)
    if response.status_code == 303:
        assert action == "send" and after == before + 1
    else:
        assert after == before, "a refused or checked reply stores nothing"
        if response.status_code == 400:  # the reply's own problem, or a form the console cannot read at all
            assert "Your reply:" in response.text or "The form could not be read" in response.text
