"""The chat id, username and names Telegram sends with every update go to the vault and nowhere else:
not the database, the logs, the bot's replies or the button data."""

from __future__ import annotations

import logging

from sqlalchemy import select

from storage.models import VaultEntry
from storage.privacy.vault import Keys, Vault

CHAT_ID = 7261548390
GROUP_ID = -1009182736455
FIRST, LAST, USERNAME = "Zebedee", "Quartermaine", "zq_secret_handle"


async def test_chat_id_username_and_names_appear_nowhere_but_the_vault(world, caplog) -> None:
    from fakes.telegram_api import group_message

    caplog.set_level(logging.DEBUG)
    person = world.person(CHAT_ID, first_name=FIRST, last_name=LAST, username=USERNAME)
    await world.send(person.says("/start waiting_list"))
    await world.send(person.taps("Yes"))
    await world.send(person.taps("Not good"))
    await world.send(person.says("Someone to talk to"))
    await world.send(person.taps("Yes"))
    await world.send(person.says("no"))
    await world.send(person.says("SKIP"))
    await world.send(person.sends_voice())
    await world.send(person.says("Thank you for listening"))
    await world.send(person.says("/help"))
    await world.post(group_message(world.fake, GROUP_ID, "hi", sender=person))
    world.fake.fail_next("sendMessage", 429, retry_after=3)
    await world.send(person.says("/menu"))  # a reply that has to wait for Telegram's flood limit
    world.clock.advance(minutes=5)
    await world.tick()
    await world.send(person.blocks_bot())

    dump = await world.parts.store.dump_all_text()
    assert "Someone to talk to" in dump and "telegram" in dump, "the dump should hold what we kept"
    sent = world.fake.calls
    replies = "\n".join(str(c.params.get("text", "")) for c in sent)
    buttons = "\n".join(str(c.params.get("reply_markup", "")) for c in sent)
    assert "How are you feeling today?" in replies
    places = {"database": dump, "logs": caplog.text, "replies": replies, "button data": buttons}
    for where, text in places.items():
        for secret in (str(CHAT_ID), str(GROUP_ID), FIRST, LAST, USERNAME, world.fake.token):
            assert secret not in text, f"{secret!r} found in the {where}"

    # Telegram has to be told where to send: the chat id is in the Bot API calls, and only there.
    assert {c.params.get("chat_id") for c in sent if "chat_id" in c.params} == {CHAT_ID, GROUP_ID}
    # The vault holds the chat id, sealed: the deployment's key opens it.
    async with world.parts.database.engine.connect() as conn:
        sealed = (await conn.execute(select(VaultEntry.sealed, VaultEntry.participant_id))).all()
    vault = Vault(Keys.from_secret(world.parts.settings.secret()))
    assert {vault.open(token, participant_id=owner) for token, owner in sealed} == {str(CHAT_ID)}


async def test_forget_me_leaves_no_way_back_to_the_chat(world) -> None:
    person = world.person(CHAT_ID, first_name=FIRST, username=USERNAME)
    await world.send(person.says("/start waiting_list"))
    await world.send(person.taps("Yes"))
    await world.send(person.taps("Good"))
    await world.send(person.says("/forget"))
    await world.send(person.taps("Yes"))
    assert "We have deleted your chat details." in "\n".join(world.fake.texts(CHAT_ID))
    assert await world.participant(CHAT_ID) is None
    assert await world.count(VaultEntry) == 0
    assert (await world.answers())["feeling"] == "good"  # the anonymous answer stays
