"""SAID_SECRET_KEY must hold at least 32 random bytes before the app will serve, and demo mode's key file
is never readable by another user, not even for a moment."""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.app.settings import SettingsError, load_settings, secret_weakness
from bot.app.wiring import create_app

from .conftest import app_settings


@pytest.mark.parametrize("weak", ["s", "changeme", "x" * 100, "0123456789" * 3, secrets.token_urlsafe(16),
                                  secrets.token_hex(16), "correct horse battery staple"])
def test_the_app_refuses_a_weak_secret_key_and_says_how_to_make_one(tmp_path, weak) -> None:
    with pytest.raises(SettingsError) as refused:
        create_app(app_settings(tmp_path, secret_key=weak))
    message = str(refused.value)
    assert "SAID_SECRET_KEY is too weak" in message and "secrets.token_urlsafe(48)" in message
    assert len(weak) < 8 or weak not in message  # a key is never echoed back, even a bad one


@pytest.mark.parametrize("strong", [secrets.token_urlsafe(32), secrets.token_urlsafe(48), secrets.token_hex(32)])
def test_a_key_of_32_random_bytes_is_accepted(tmp_path, strong) -> None:
    app = create_app(app_settings(tmp_path, secret_key=strong))
    assert app.state.parts is not None


@given(st.binary(min_size=32, max_size=64))
def test_any_32_random_bytes_written_as_hex_or_base64_pass(raw: bytes) -> None:
    import base64

    # Random bytes can repeat characters by chance, but never down to a handful of them.
    if len(set(raw)) < 24:
        return
    assert secret_weakness(raw.hex()) is None
    assert secret_weakness(base64.urlsafe_b64encode(raw).decode().rstrip("=")) is None


def test_demo_key_file_is_private_from_the_moment_it_exists(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("SAID_SECRET_KEY", raising=False)  # a key in the environment is used, no file made
    old = os.umask(0)  # the loosest umask: whatever mode the file is created with is the mode it has
    # If the process stopped between writing the key and tightening its mode, the key must already be private.
    monkeypatch.setattr(Path, "chmod", lambda self, mode, **kw: None)
    try:
        key = load_settings(demo=True, var_dir=tmp_path).secret()
    finally:
        os.umask(old)
    path = tmp_path / "secret.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secret_weakness(key) is None
    assert load_settings(demo=True, var_dir=tmp_path).secret() == key  # made once, then reused


def test_serving_beyond_this_machine_over_https_without_trusted_proxy_headers_is_refused(tmp_path, monkeypatch):
    from bot.app.cli import main

    monkeypatch.setenv("SAID_SECRET_KEY", secrets.token_urlsafe(48))
    monkeypatch.setenv("SAID_PUBLIC_URL", "https://said.example.org")
    monkeypatch.setenv("SAID_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'said.db'}")
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    served = []
    monkeypatch.setattr("uvicorn.run", lambda app, **options: served.append(options))
    assert main(["serve", "--host", "0.0.0.0"]) != 0
    assert not served
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.5")
    assert main(["serve", "--host", "0.0.0.0"]) == 0
    assert len(served) == 1
