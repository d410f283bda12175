"""SAID_SMS_SYMBOLS turns emoji back on in text messages; plain GSM-7 is the default; the older
SAID_SMS_PLAIN keeps working, and the two cannot ask for opposite things."""

from __future__ import annotations

import pytest

from bot.app.settings import SettingsError, load_settings


@pytest.mark.parametrize(
    ("given", "plain"),
    [({}, True), ({"sms_symbols": True}, False), ({"sms_plain": True}, True), ({"sms_plain": False}, False)],
    ids=["default", "symbols-on", "old-plain-on", "old-plain-off"],
)
def test_texts_are_plain_unless_symbols_are_asked_for(tmp_path, given: dict, plain: bool) -> None:
    settings = load_settings(secret_key="x" * 20, var_dir=tmp_path, **given)
    assert settings.sms_plain_text is plain


def test_asking_for_plain_and_symbols_at_once_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(secret_key="x" * 20, var_dir=tmp_path, sms_plain=True, sms_symbols=True)
    assert "SAID_SMS_PLAIN=1 and SAID_SMS_SYMBOLS=1" in str(error.value)


def test_help_in_welsh_names_the_service_in_welsh(tmp_path) -> None:
    assert load_settings(secret_key="x" * 20, var_dir=tmp_path).service_names == {"cy": "y tîm"}
    named = load_settings(secret_key="x" * 20, var_dir=tmp_path, service_name="Northshire CAMHS",
                          service_name_cy="CAMHS Gogledd Sir")
    assert named.service_names == {"cy": "CAMHS Gogledd Sir"}
