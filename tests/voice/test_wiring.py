"""Wiring the phone line: off without Twilio, on with it, and in step with the engine it talks to."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app.settings import SettingsError, load_settings
from bot.app.voice import voice_wiring
from bot.app.wiring import build_parts
from bot.engine import asks
from channels.twilio_voice.call import ANSWER_PATH, SILENCE_PATH, VOICE_PATH
from channels.twilio_voice.render import SIDE_QUESTIONS

from .conftest import world_settings

TEST_KEY = "k7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js-p2Wq8Ze5Ur7T"  # the app refuses to serve on a weaker key


def test_without_twilio_there_is_no_phone_line(tmp_path: Path) -> None:
    settings = load_settings(secret_key=TEST_KEY, var_dir=tmp_path, scheduler=False,
                             database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    parts = build_parts(settings)
    assert voice_wiring(settings, parts.service) == []


def test_half_configured_twilio_says_what_is_missing(tmp_path: Path) -> None:
    settings = load_settings(secret_key=TEST_KEY, var_dir=tmp_path, scheduler=False, twilio_account_sid="AC1",
                             database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    parts_settings = load_settings(secret_key=TEST_KEY, var_dir=tmp_path, scheduler=False,
                                   database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    service = build_parts(parts_settings).service
    with pytest.raises(SettingsError, match="TWILIO_AUTH_TOKEN"):
        voice_wiring(settings, service)


def test_with_twilio_the_three_webhooks_are_mounted_under_the_voice_path(tmp_path: Path) -> None:
    settings = world_settings(tmp_path, database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    routes = voice_wiring(settings, build_parts(settings).service)
    paths = {route.path for route in routes}  # type: ignore[attr-defined]
    assert paths == {VOICE_PATH, ANSWER_PATH, SILENCE_PATH}
    assert all(path.startswith("/webhooks/twilio/voice") for path in paths)
    assert all(route.methods == {"POST"} for route in routes)  # type: ignore[attr-defined]


def test_the_side_questions_the_line_never_skips_are_the_engine_s() -> None:
    assert {asks.CONSENT, asks.MENU, asks.LANGUAGE, asks.FORGET, asks.CONFIRM} == SIDE_QUESTIONS


def test_the_shipped_phone_pack_fits_the_phone(tmp_path: Path) -> None:
    settings = world_settings(tmp_path, database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    pack = build_parts(settings).service.library.get("phone")
    assert pack is not None and len(pack.questions) <= 4
    for question in pack.questions:
        assert len(question.choices) <= 3, f"{question.id} has more than 3 choices"
