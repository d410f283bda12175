"""A person writes, a person from the team answers through the bot: on SMS, Telegram and the web chat."""

from __future__ import annotations

from datetime import UTC, datetime

from inbox_kit import CHAT_ID, PERSON, WEB_TOKEN, Clock, InboxWorld


async def test_a_general_text_becomes_a_case_and_a_staff_reply_reaches_the_person(world: InboxWorld) -> None:
    said = await world.sms("My son has been waiting 9 months and nobody has called us back")
    assert any("A person will read it" in line for line in said)
    [case] = await world.cases()
    assert case.status == "new" and case.channel == "sms" and "waiting 9 months" in case.preview
    listing = await world.get("/staff/inbox")
    assert listing.status_code == 200 and "Case 1" in listing.text and PERSON not in listing.text
    sent = await world.reply(case.id, "We are sorry about the wait. We will phone you this week.")
    assert sent.status_code == 303, sent.text
    await world.tick()
    [text] = [m for m in world.twilio.messages if "phone you this week" in m.body]
    assert text.to == PERSON and "You can reply to this message" in text.body
    page = await world.page(case.id)
    assert "phone you this week" in page.text and PERSON not in page.text
    assert (await world.case(case.id)).summary.status == "waiting_them"


async def test_a_message_out_of_hours_is_a_case_that_has_waited_only_office_hours(make_world) -> None:
    friday_11pm = Clock(datetime(2026, 11, 27, 23, 0, tzinfo=UTC))
    async with make_world(friday_11pm) as world:
        said = await world.sms("My son has been waiting 9 months and nobody has called us back")
        assert any("A person will read it on Monday" in line for line in said)
        [case] = await world.cases("new")
        world.clock.now = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)  # Monday 9:30am in London
        listing = await world.get("/staff/inbox")
        assert "30 minutes in office hours" in listing.text, "58 hours by the clock, half an hour of the team's"
        sent = await world.reply(case.id, "Thank you for your message. We will phone you today.")
        assert sent.status_code == 303 and sent.headers["location"].endswith("done=sent")
        await world.tick()
        assert any("phone you today" in m.body and m.to == PERSON for m in world.twilio.messages)


async def test_the_persons_answer_lands_in_the_case_and_menu_takes_them_back(world: InboxWorld) -> None:
    await world.sms("Nobody has called us back")
    [case] = await world.cases()
    await world.reply(case.id, "Sorry. Can we phone you tomorrow?")
    await world.tick()
    said = await world.sms("YES")
    assert said == [said[0]] and "A person from our team will read this" in said[0], "one line, YES not START"
    more = await world.sms("after 3pm is best please")
    assert more == [], "told once; more words go to the case quietly"
    record = await world.case(case.id)
    assert [line.text for line in record.lines if line.direction == "in"][-2:] == ["YES", "after 3pm is best please"]
    assert record.summary.status == "waiting_us" and record.summary.handover
    menu = await world.sms("MENU")
    assert any("Which questions" in line for line in menu), "MENU is the bot's menu again"
    assert not (await world.case(case.id)).summary.handover
    start = await world.sms("DEMO")
    assert start and "We want to hear about your last visit" in start[0], "a pack keyword starts the pack"
    assert len((await world.case(case.id)).lines) == 4, "nothing after MENU went to the case"


async def test_a_keyword_during_a_handover_starts_the_pack(world: InboxWorld) -> None:
    await world.sms("When is my appointment")
    [case] = await world.cases()
    await world.reply(case.id, "We will check and tell you.")
    said = await world.sms("DEMO")
    assert said and not any("A person from our team" in line for line in said)
    assert not (await world.case(case.id)).summary.handover


async def test_a_reply_reaches_telegram_and_the_console_never_shows_the_chat_id(world: InboxWorld) -> None:
    said = await world.telegram("The waiting room was too noisy for my daughter")
    assert any("A person will read it" in line for line in said)
    [case] = await world.cases()
    assert case.channel == "telegram"
    sent = await world.reply(case.id, "Thank you for telling us. We will find a quiet room for next time.")
    assert sent.status_code == 303
    await world.tick()
    assert any("quiet room" in text for text in world.telegram_api.texts(CHAT_ID))
    for page in (await world.get("/staff/inbox"), await world.page(case.id)):
        assert str(CHAT_ID) not in page.text
    answer = await world.telegram("thank you that would help")
    assert any("A person from our team will read this" in line for line in answer)
    assert (await world.case(case.id)).lines[-1].text == "thank you that would help"


async def test_a_reply_reaches_the_web_chat_and_the_console_never_shows_the_session(world: InboxWorld) -> None:
    reply = await world.web("Can I bring my brother to the group")
    assert any("A person will read it" in m.text for m in reply.messages)
    [case] = await world.cases()
    assert case.channel == "web"
    await world.reply(case.id, "Yes, your brother is welcome.")
    await world.tick()
    assert "your brother is welcome" in await world.web_transcript()
    page = await world.page(case.id)
    assert WEB_TOKEN not in page.text and "your brother is welcome" in page.text
    answer = await world.web("great thanks")
    assert answer.messages[0].text.startswith("Thank you. A person from our team")


async def test_quiet_hours_hold_a_reply_unless_the_person_wrote_in_the_last_hour(make_world) -> None:
    evening = Clock(datetime(2026, 11, 24, 19, 0, tzinfo=UTC))  # 7pm in London
    async with make_world(evening) as world:
        await world.sms("Is the clinic open on Saturday")
        [case] = await world.cases()
        world.clock.advance(hours=2, minutes=30)  # 9:30pm: quiet, and the person wrote 2.5 hours ago
        late = await world.reply(case.id, "Yes, from 10am to 2pm.")
        assert late.headers["location"].endswith("done=queued")
        await world.tick()
        assert not [m for m in world.twilio.messages if "10am" in m.body], "held for quiet hours"
        page = await world.page(case.id)
        assert "Waiting to be sent" in page.text and "08:00" in page.text
        world.clock.now = datetime(2026, 11, 25, 8, 1, tzinfo=UTC)
        await world.tick()
        assert [m for m in world.twilio.messages if "10am" in m.body], "sent when quiet hours end"
        world.clock.now = datetime(2026, 11, 25, 21, 30, tzinfo=UTC)
        await world.sms("Thanks. Do I need to book")
        world.clock.advance(minutes=20)
        soon = await world.reply(case.id, "No, you can just come.")
        assert soon.headers["location"].endswith("done=sent")
        await world.tick()
        assert [m for m in world.twilio.messages if "just come" in m.body], "a reply within the hour goes now"


async def test_stop_holds_every_staff_reply(world: InboxWorld) -> None:
    await world.sms("The letter had the wrong date")
    [case] = await world.cases()
    await world.reply(case.id, "Sorry. We will send a new letter.")
    await world.sms("STOP")
    await world.tick()
    assert not [m for m in world.twilio.messages if "new letter" in m.body], "queued before STOP, not sent after"
    refused = await world.reply(case.id, "Here is the new date.")
    assert refused.status_code == 409 and "sent STOP" in refused.text
    await world.tick()
    assert not [m for m in world.twilio.messages if "new date" in m.body]


async def test_forget_me_leaves_no_way_to_reply(world: InboxWorld) -> None:
    await world.sms("Please call me about my appointment letter")
    [case] = await world.cases()
    await world.reply(case.id, "We will call you this afternoon.")
    await world.sms("FORGET ME")
    await world.sms("YES")
    await world.tick()
    assert not [m for m in world.twilio.messages if "this afternoon" in m.body], "the queued reply went with them"
    page = await world.page(case.id)
    assert "asked us to forget them" in page.text and 'action="/staff/inbox/1/reply"' not in page.text
    refused = await world.reply(case.id, "Hello again.")
    assert refused.status_code == 409
    assert (await world.case(case.id)).summary.status != "closed", "the anonymous case stays for staff"


async def test_closing_hands_the_conversation_back_with_a_kind_line(world: InboxWorld) -> None:
    await world.sms("Where do I park")
    [case] = await world.cases()
    await world.reply(case.id, "There is parking behind the clinic.")
    closed = await world.post(f"/staff/inbox/{case.id}/close", {"tell": "yes"})
    assert closed.status_code == 303
    await world.tick()
    assert any("Thank you for talking to us" in m.body for m in world.twilio.messages)
    record = await world.case(case.id)
    assert record.summary.status == "closed" and not record.summary.handover
    said = await world.sms("Thanks, and is there a cafe")
    assert any("A person will read it" in line for line in said), "back to the bot: a general message again"
    assert [c.id for c in await world.cases("new")] == [case.id + 1], "a new case, not the closed one"
    again = await world.post(f"/staff/inbox/{case.id}/reply", {"reply": "More", "action": "send"})
    assert again.status_code == 409 and "closed" in again.text
