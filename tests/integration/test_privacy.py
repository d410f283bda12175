"""The promise that makes people speak: no address anywhere but the encrypted vault."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

from bot.messages import Channel, Inbound

PHONE = "+447700900461"
FORMS = ["+447700900461", "447700900461", "07700900461", "07700 900461", "7700900461", "900461"]


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


async def _say(parts, text: str, n: int) -> str:
    message = Inbound(text=text, channel=Channel.SMS, received_at=datetime.now(UTC), provider_id=f"SMpriv{n}")
    reply = await parts.service.handle(Channel.SMS, PHONE, message)
    return " ".join(getattr(m, "text", "") for m in reply.messages)


async def test_a_phone_number_appears_nowhere_but_the_vault(parts, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    script = [
        "DEMO", "yes", "1", "yes", "2",
        "Please ring me on 07700 900461 or email sam@example.org, we live at SW1A 1AA",
        "Hello again, my number is +44 7700 900461",
    ]
    replies = [await _say(parts, text, n) for n, text in enumerate(script)]
    await _say(parts, "this is general feedback from 07700900461", 99)

    dump = await parts.store.dump_all_text()
    assert dump, "the dump should contain the stored answers"
    haystacks = {"database": dump, "logs": caplog.text, "replies": " ".join(replies)}
    for where, text in haystacks.items():
        for form in FORMS:
            assert form not in text, f"{form!r} found in {where}"
        assert "7700900461" not in _digits(text), f"the number's digits were found in {where}"
    assert "sam@example.org" not in dump
    assert "SW1A 1AA" not in dump


async def test_forget_me_removes_the_link_but_keeps_anonymous_answers(parts) -> None:
    for n, text in enumerate(["DEMO", "yes", "1"]):
        await _say(parts, text, n)
    before = await parts.store.dump_all_text()
    assert "demo" in before
    await _say(parts, "FORGET ME", 10)
    await _say(parts, "YES", 11)
    async with parts.store.unit() as uow:
        assert await uow.participant("sms", PHONE, create=False) is None
    after = await parts.store.dump_all_text()
    assert "demo" in after, "anonymous answers stay after FORGET ME"
