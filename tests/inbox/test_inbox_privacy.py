"""No address anywhere: not in the database's words, not in a page, not in a log line."""

from __future__ import annotations

import logging

import pytest
from inbox_kit import CHAT_ID, PERSON, WEB_TOKEN, InboxWorld


async def test_a_whole_inbox_conversation_leaves_no_address_behind(
    world: InboxWorld, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="said")  # our own logs; library debug output is off in service
    await world.sms("Please ring me on 07700 900123, nobody has called us back")
    await world.telegram("My daughter hates the waiting room")
    await world.web("CALL ME")
    await world.web("07700 900456")
    for case in await world.cases():
        await world.reply(case.id, "Thank you. We will be in touch this week.")
    await world.tick()
    await world.sms("thanks, after 3pm")
    await world.sign_in("lead@example.org")
    pages = [await world.get("/staff/inbox")] + [await world.page(c.id) for c in await world.cases()]
    lines = [line for c in await world.cases() for line in (await world.case(c.id)).lines]
    words = "\n".join(line.text or "" for line in lines)
    assert "Please ring me on" in words and "900123" not in words, "scrubbed before it was kept"
    async with world.parts.database.engine.connect() as conn:
        from storage.conversations.retention import dump_all_text

        everything = await dump_all_text(conn)
    for secret in (PERSON, "07700 900123", str(CHAT_ID), WEB_TOKEN, "+447700900456", "07700 900456"):
        assert secret not in everything
        assert all(secret not in page.text for page in pages)
        assert secret not in caplog.text
