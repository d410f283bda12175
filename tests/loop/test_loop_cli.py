"""`said theme …`, `said action …`, `said checkin …`, `said involvement …`, run as the command line runs them."""

from __future__ import annotations

import argparse
import asyncio
import io
import re
import uuid

import pytest
from sqlalchemy import select

from bot.app.commands.loop import by_language, register
from bot.app.settings import load_settings
from bot.app.wiring import build_parts
from storage.models import Answer, OutboxMessage


@pytest.fixture
def said(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no .env from the developer's checkout
    monkeypatch.setenv("SAID_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'said.db'}")
    monkeypatch.setenv("SAID_SECRET_KEY", "k7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js-p2Wq8Ze5Ur7T")
    # SMS configured (nothing is sent here: sending is the dispatcher's job in `said serve`).
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", "AC" + "1" * 32)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "not-a-real-token")
    monkeypatch.setenv("TWILIO_PHONE_NUMBER", "+447700900999")
    parser = argparse.ArgumentParser(prog="said")
    register(parser.add_subparsers(dest="command", required=True))

    def run(*argv: str) -> tuple[int, str, str]:
        args = parser.parse_args(argv)
        out, err = io.StringIO(), io.StringIO()
        monkeypatch.setattr("sys.stdout", out)
        monkeypatch.setattr("sys.stderr", err)
        return args.handler(args), out.getvalue(), err.getvalue()

    return run


def _seed(words_by_number: dict[str, str], *, consents: tuple[str, ...] = ("hear_back",)) -> None:
    """People who answered the demo pack by SMS, straight into the configured database."""

    async def seed() -> None:
        parts = build_parts(load_settings())
        try:
            await parts.database.migrate()
            for number, words in words_by_number.items():
                submission = str(uuid.uuid4())
                async with parts.store.unit() as uow:
                    person = await uow.participant("sms", number)
                    await uow.start_submission(submission, person.id, "parent_carer", 1, "en", "sms")
                    await uow.record_answer(submission, "better", value=None, number=None, text=words, skipped=False)
                    for purpose in consents:
                        await uow.set_consent(person.id, purpose, True)
        finally:
            await parts.database.dispose()

    asyncio.run(seed())


def _rows(*columns):
    async def read():
        parts = build_parts(load_settings())
        try:
            async with parts.database.engine.connect() as conn:
                return list((await conn.execute(select(*columns))).all())
        finally:
            await parts.database.dispose()

    return asyncio.run(read())


def test_texts_in_other_languages_take_a_prefix():
    assert by_language(["The wait.", "cy:Yr aros.", "en: Again."]) == {"en": "Again.", "cy": "Yr aros."}


def test_from_people_told_us_x_to_everyone_heard_what_we_did(said):
    _seed({"+447700900401": "The wait was too long", "+447700900402": "Waiting for months"})
    assert said("theme", "add", "waiting times", "--keyword", "wait", "--keyword", "waiting")[0] == 0

    code, out, _ = said("theme", "suggest")
    assert code == 0
    suggested = re.findall(r"^answer (\d+)\twaiting times\t", out, re.MULTILINE)
    assert len(suggested) == 2
    for answer_id in suggested:
        assert said("theme", "tag", "waiting times", "answer", answer_id)[1] == "Tagged.\n"

    code, out, _ = said(
        "action", "add", "--theme", "waiting times", "--status", "done", "--symbol", "clock", "--date", "2026-11-02",
        "--you-said", "The wait was too long.", "--we-did", "We added visits on Saturdays.",
    )
    assert code == 0, out
    action_id = re.search(r"Action (\d+) added", out).group(1)

    code, out, _ = said("action", "publish", action_id)
    assert code == 0
    assert out == f"Action {action_id} is published. Queued 2 (2 by sms).\n"
    assert len(_rows(OutboxMessage.id)) == 2

    code, out, _ = said("action", "publish", action_id)
    assert "Queued 0 (nobody new)." in out
    code, out, _ = said("action", "show", action_id)
    assert "You said: The wait was too long." in out
    assert "Messages: {'pending': 2}" in out
    code, out, _ = said("theme", "list")
    assert "waiting times\t2 comments" in out


def test_hard_words_are_refused_with_the_reasons(said):
    _seed({"+447700900411": "The wait"})
    said("theme", "add", "waiting times")
    code, _, err = said(
        "action", "add", "--theme", "waiting times", "--status", "done", "--symbol", "clock", "--date", "2026-11-02",
        "--you-said", "The wait was too long.",
        "--we-did", "We've commenced a comprehensive multidisciplinary reconfiguration of the pathway.",
    )
    assert code == 1
    assert "easier to read" in err
    assert "We did (en)" in err


def test_an_unknown_theme_is_named(said):
    code, _, err = said("theme", "tag", "nothing like it", "answer", "1")
    assert code == 1
    assert "there is no theme 'nothing like it'" in err


def test_checkin_schedules_can_be_set_changed_and_turned_off(said):
    code, out, _ = said(
        "checkin", "set", "every two weeks", "--pack", "waiting_list", "--cron", "week=*/2 day_of_week=mon hour=10",
        "--text", "Hello. How are you feeling this week?",
    )
    assert code == 0, out
    assert re.search(r"Next reminders: \d{4}-\d\d-\d\d 10:00 UTC", out)
    code, out, _ = said("checkin", "set", "every two weeks", "--pack", "waiting_list", "--cron", "0 9 * * fri",
                        "--text", "Hello. How are you feeling this week?", "--off")
    assert "never (it is off)" in out
    code, out, _ = said("checkin", "list")
    assert "every two weeks\twaiting_list\t0 9 * * fri\toff\tevery week on Friday at 9 am" in out
    code, _, err = said("checkin", "set", "bad", "--pack", "waiting_list", "--cron", "every tuesday", "--text", "Hi.")
    assert code == 1 and "cannot be read" in err


def test_involvement_lists_pseudonyms_only_and_invites_through_the_bot(said):
    _seed({"+447700900421": "I would like to help"}, consents=("involvement",))
    code, out, _ = said("involvement", "list")
    assert code == 0
    assert "+4477" not in out and "7700900421" not in out
    pseudonym = out.split("\t")[0]
    assert re.fullmatch(r"[0-9a-f]{10}", pseudonym)
    assert "1 people would like to help." in out
    code, out, err = said("involvement", "invite", "--to", pseudonym, "--text", "We are planning a new clinic.",
                          "--next-step", "Please come to the meeting on Monday at 10 in the morning.")
    assert code == 0, err
    assert "Queued 1 (1 by sms)." in out
    [row] = _rows(OutboxMessage.payload)
    assert row.payload["messages"][-1]["question_id"] == "invitation"
    assert _rows(Answer.text) == [("I would like to help",)]
