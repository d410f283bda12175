"""`said serve` runs on uvloop's event loop and httptools' HTTP parser (pyproject.toml installs both).

uvicorn chooses them by itself when they can be imported; these tests fail if they are missing, or if the
options `said serve` passes to uvicorn ever pin asyncio's loop or h11 (about 12% more of the server's CPU a
text: `python -m bench.inbound_versus`)."""

from __future__ import annotations

import secrets
import sys

import pytest
import uvicorn


def _served_options(tmp_path, monkeypatch, *args: str) -> dict:
    from bot.app.cli import main

    monkeypatch.setenv("SAID_SECRET_KEY", secrets.token_urlsafe(48))
    monkeypatch.setenv("SAID_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'said.db'}")
    served: list[dict] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **options: served.append(options))
    assert main(["serve", *args]) == 0
    assert len(served) == 1
    return served[0]


@pytest.mark.skipif(sys.platform == "win32", reason="uvloop has no Windows build")
def test_said_serve_uses_uvloop_and_httptools(tmp_path, monkeypatch):
    options = _served_options(tmp_path, monkeypatch)
    config = uvicorn.Config("bench.bare_app:app", **options)
    config.load()
    assert config.http_protocol_class.__module__ == "uvicorn.protocols.http.httptools_impl"
    loop = config.get_loop_factory()()
    try:
        assert type(loop).__module__.startswith("uvloop")
    finally:
        loop.close()
