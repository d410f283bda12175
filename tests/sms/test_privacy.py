"""The promise that makes parents speak: their phone number is kept nowhere but the encrypted vault —
not in the database, the logs, our answers, or an error the outbox keeps."""

from __future__ import annotations

import logging
import re

from sqlalchemy import select

from bot.messages import Say
from bot.messages_json import message_to_dict
from storage.models import VaultEntry
from storage.privacy.vault import Keys, Vault

from .conftest import OUR_NUMBER, PERSON, replies

FORMS = ["+447700900123", "447700900123", "07700900123", "07700 900123", "7700900123"]


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


async def test_the_phone_number_appears_nowhere_but_the_vault(world, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    answers: list[str] = []
    script = ["DEMO", "yes", "3", "1", "Ring me on 07700 900123 please", "2", "YES"]
    for text in script:
        answers += replies(await world.text(text))
    answers += replies(await world.text("My number is +44 7700 900123, call me back", sid="SM" + "5" * 32))
    answers += replies(await world.text("", media_types=("image/png",)))
    answers += replies(await world.text("hello", from_="whatsapp:" + PERSON, to="whatsapp:" + OUR_NUMBER))
    answers += replies(await world.text("STOP"))
    answers += replies(await world.text("START"))

    # Proactive texts: one delivered and reported, one refused by Twilio with the number in its error text.
    async with world.parts.store.unit() as uow:
        person = await uow.participant("sms", PERSON)
        for text in ("Here is what we did.", "And one more thing."):
            await uow.enqueue(person.id, "sms", "broadcast", {"messages": [message_to_dict(Say(text))]})
    world.fake.fail_next(400, 21211)
    await world.tick()
    sent = world.fake.messages[0]
    assert sent.to == PERSON  # Twilio has to be told; that is the only place it goes
    answers.append((await world.status(sent.sid, "delivered", None)).text)

    dump = await world.parts.store.dump_all_text()
    assert "Ring me on" in dump and "sms" in dump, "the dump should hold what we kept"
    for where, text in {"database": dump, "logs": caplog.text, "answers": "\n".join(answers)}.items():
        for form in FORMS:
            assert form not in text, f"{form!r} found in the {where}"
        assert "7700900123" not in _digits(text.replace(" ", "")), f"the number's digits are in the {where}"

    # The vault does hold it, sealed: opening it with the deployment's key gives the number back.
    async with world.parts.database.engine.connect() as conn:
        sealed = (await conn.execute(select(VaultEntry.sealed, VaultEntry.participant_id))).all()
    vault = Vault(Keys.from_secret(world.parts.settings.secret()))
    assert PERSON in {vault.open(token, participant_id=owner) for token, owner in sealed}
