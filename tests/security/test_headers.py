"""Every page of the whole app forbids framing (the web chat's own policy too), and browsers are told to
keep to https when the service is public over https."""

from __future__ import annotations

import httpx
import pytest

from bot.app.wiring import create_app

from .conftest import app_settings

PAGES = ["/chat", "/staff/login", "/you-said-we-did", "/healthz", "/no-such-page", "/chat/static/chat.css"]


async def _headers(app, path: str) -> httpx.Headers:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://internal:8000") as http:
        return (await http.get(path)).headers


@pytest.fixture
async def https_app(tmp_path):
    app = create_app(app_settings(tmp_path))
    await app.state.parts.database.migrate()
    yield app
    await app.state.parts.database.dispose()


@pytest.mark.parametrize("path", PAGES)
async def test_no_page_can_be_framed_by_another_site(https_app, path) -> None:
    headers = await _headers(https_app, path)
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


@pytest.mark.parametrize("path", PAGES)
async def test_https_service_sends_strict_transport_security(https_app, path) -> None:
    headers = await _headers(https_app, path)
    assert headers["strict-transport-security"].startswith("max-age=")
    assert int(headers["strict-transport-security"].split("=")[1].split(";")[0]) >= 31536000


async def test_plain_http_service_sends_no_strict_transport_security(tmp_path) -> None:
    app = create_app(app_settings(tmp_path, public_url="http://127.0.0.1:8000"))
    await app.state.parts.database.migrate()
    try:
        headers = await _headers(app, "/staff/login")
    finally:
        await app.state.parts.database.dispose()
    assert "strict-transport-security" not in headers
