"""A person writes, a person from the team answers through the bot: on SMS, Telegram and the web chat."""

from __future__ import annotations

from inbox_kit import PERSON, InboxWorld


async def test_a_general_text_becomes_a_case_and_a_staff_reply_reaches_the_person(world: InboxWorld) -> None:
    said = await world.sms("My son has been waiting 9 months and nobody has called us back")
    assert any("A person will read it" in line for line in said)
    [case] = await world.cases()
    assert case.status == "new" and case.channel == "sms" and "waiting 9 months" in case.preview
    listing = await world.staff.get("/staff/inbox")
    assert listing.status_code == 200 and "Case 1" in listing.text and PERSON not in listing.text
    sent = await world.reply(case.id, "We are sorry about the wait. We will phone you this week.")
    assert sent.status_code == 303, sent.text
    await world.tick()
    [text] = [m for m in world.twilio.messages if "phone you this week" in m.body]
    assert text.to == PERSON and "You can reply to this message" in text.body
    page = await world.page(case.id)
    assert "phone you this week" in page.text and PERSON not in page.text
    assert (await world.case(case.id)).summary.status == "waiting_them"
