"""The last line of defence in logging: phone-number-shaped text is masked, nothing else is."""

from __future__ import annotations

import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.app.logs import RedactAddresses


def _filtered(message: str, *args: object) -> str:
    record = logging.LogRecord("t", logging.INFO, __file__, 1, message, args or None, None)
    RedactAddresses().filter(record)
    return record.getMessage()


@pytest.mark.parametrize(
    "text",
    ["+447700900461", "07700 900461", "07700-900-461", "0044 7700 900461", "+44 7700 900 461"],
)
def test_phone_numbers_are_masked(text: str) -> None:
    assert _filtered("sending to %s now", text) == "sending to [number] now"


@pytest.mark.parametrize(
    "text",
    ["2026-11-25 09:19:07 UTC", "127.0.0.1:36892", "outbox 123456789 sent", "took 12.5 ms", "v1.2.3"],
)
def test_dates_addresses_and_counts_stay_readable(text: str) -> None:
    assert _filtered("%s", text) == text


@given(st.from_regex(r"07[0-9]{9}", fullmatch=True), st.text(alphabet="abc ,.", max_size=20))
def test_any_uk_mobile_inside_text_is_masked(number: str, around: str) -> None:
    assert number not in _filtered(f"{around} {number} {around}")
