"""The caller id is a phone number like any other: kept only sealed in the vault. It appears in no
answer, no log line, no TwiML and no URL; calls and texts from one number are one person."""

from __future__ import annotations

import logging
import re

from sqlalchemy import func, select

from storage.models import Participant, VaultEntry
from storage.privacy.vault import Keys, Vault

from .conftest import PERSON, phone_pack, stored_answers

FORMS = ["+447700900123", "447700900123", "07700900123", "07700 900123", "7700900123"]


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


async def test_the_caller_id_appears_nowhere_but_the_vault(world, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    caller = world.caller()
    heard: list[str] = []
    pages = [await caller.ring(), await caller.press("1"), await caller.press("2")]
    pages.append(await caller.say("You can ring me on 07700 900123", confidence=0.3))  # read back, then no
    pages.append(await caller.press("2"))
    pages.append(await caller.wait())
    pages.append(await caller.say("Please, no more calls", confidence=0.9))
    for page in pages:
        heard.append(page.text)
        heard.extend(element.attrib.get("action", "") for element in page.xml.iter())
        heard.extend((element.text or "") for element in page.xml.iter("Redirect"))

    dump = await world.parts.store.dump_all_text()
    assert phone_pack(world).questions[0].id in dump, "the dump should hold what we kept"
    places = {"database": dump, "logs": caplog.text, "twiml and urls": "\n".join(heard)}
    for where, text in places.items():
        for form in FORMS:
            if where == "twiml and urls" and form == "07700 900123":
                continue  # the caller's own words, read back to them once, are theirs to hear
            assert form not in text, f"{form!r} found in the {where}"
    for where in ("database", "logs"):
        assert "7700900123" not in _digits(places[where].replace(" ", "")), f"the number's digits are in the {where}"

    async with world.parts.database.engine.connect() as conn:
        sealed = (await conn.execute(select(VaultEntry.sealed, VaultEntry.participant_id))).all()
    vault = Vault(Keys.from_secret(world.parts.settings.secret()))
    assert PERSON in {vault.open(token, participant_id=owner) for token, owner in sealed}


async def test_a_call_and_a_text_from_one_number_are_one_person(world) -> None:
    caller = world.caller()
    await caller.ring()
    await caller.press("1")
    async with world.parts.store.unit() as uow:
        by_text = await uow.participant("sms", "07700 900123", create=False)
    assert by_text is not None
    async with world.parts.database.engine.connect() as conn:
        assert (await conn.execute(select(func.count()).select_from(Participant))).scalar_one() == 1


async def test_a_withheld_caller_is_answered_and_their_placeholder_is_kept_nowhere(world) -> None:
    for withheld in ("anonymous", "+266696687", ""):
        page = await world.caller(withheld).ring()
        assert page.says and "talking to a computer" in page.text
    async with world.parts.database.engine.connect() as conn:
        sealed = (await conn.execute(select(VaultEntry.sealed, VaultEntry.participant_id))).all()
    vault = Vault(Keys.from_secret(world.parts.settings.secret()))
    opened = {vault.open(token, participant_id=owner) for token, owner in sealed}
    assert not opened & {"anonymous", "+266696687", ""}


async def test_a_withheld_caller_can_still_answer_for_the_length_of_the_call(world) -> None:
    pack = phone_pack(world)
    caller = world.caller("anonymous")
    await caller.ring()
    page = await caller.press("1")
    assert pack.questions[0].text["en"] in page.question
    await caller.press("1")
    assert pack.questions[0].id in await stored_answers(world)
    # A second withheld call is somebody new: nothing to carry on from.
    page = await world.caller("+266696687").ring()
    assert "last time" not in page.text
