"""`GET /symbols/{name}.svg`: the picture for a known name, cached well, and nothing else."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from symbol_kit import OWN_SVG

from bot.content.packs.symbols import Symbols
from bot.content.packs.yamlfile import SHIPPED_PROMPTS
from bot.content.symbols import SymbolPictures, symbol_routes
from bot.content.symbols.openmoji import openmoji_svg

PICTURES = SymbolPictures(Symbols.load(SHIPPED_PROMPTS), SHIPPED_PROMPTS)
NAMES = PICTURES.names()


class Client:
    """Requests to an app holding only the symbol routes, straight through ASGI."""

    def __init__(self, pictures: SymbolPictures) -> None:
        self.app = Starlette(routes=symbol_routes(pictures))

    def get(self, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
        return self.request("GET", path, headers)

    def head(self, path: str) -> httpx.Response:
        return self.request("HEAD", path)

    def request(self, method: str, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
                return await http.request(method, path, headers=headers)

        return asyncio.run(go())


@pytest.fixture(scope="module")
def client() -> Client:
    return Client(PICTURES)


def test_a_symbol_is_served_as_svg(client: Client) -> None:
    response = client.get("/symbols/happy.svg")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.content == openmoji_svg("1F600")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in response.headers["content-security-policy"]
    assert "script-src" not in response.headers["content-security-policy"]


def test_the_versioned_address_is_cached_for_a_year_and_the_bare_one_for_an_hour(client: Client) -> None:
    url = PICTURES.url("happy")
    assert url is not None
    assert client.get(url).headers["cache-control"] == "public, max-age=31536000, immutable"
    assert client.get("/symbols/happy.svg").headers["cache-control"] == "public, max-age=3600"
    assert client.get("/symbols/happy.svg?v=old").headers["cache-control"] == "public, max-age=3600"


def test_a_browser_that_has_the_picture_gets_not_modified(client: Client) -> None:
    etag = client.get("/symbols/happy.svg").headers["etag"]
    again = client.get("/symbols/happy.svg", headers={"If-None-Match": f'W/"zzz", {etag}'})
    assert again.status_code == 304 and again.content == b""
    changed = client.get("/symbols/happy.svg", headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200 and changed.content


def test_head_answers_without_the_picture(client: Client) -> None:
    response = client.head("/symbols/unsure.svg")
    assert response.status_code == 200 and response.content == b""


@pytest.mark.parametrize(
    "path",
    [
        "/symbols/nothing_like_this.svg",
        "/symbols/happy.png",  # OpenMoji pictures are SVG only
        "/symbols/happy",
        "/symbols/HAPPY.svg",
        "/symbols/happy.svg.svg",
        "/symbols/1F600.svg",  # hexcodes are not names: only the mapping decides what is served
        "/symbols/..%2F..%2Fpyproject.toml",
        "/symbols/%2e%2e/%2e%2e/pyproject.toml",
        "/symbols/..%5C..%5Cpyproject.toml",
        "/symbols/symbols.yaml",
        "/symbols/",
        "/symbols",
        "/symbols//",
        # A name ending in a slash matched no route, and Starlette redirected (307) to the name without it.
        "/symbols/0%2F",
        "/symbols/happy.svg%2F",
        "/symbols/happy.svg/",
        "/symbols/happy.svg//",
        "/symbols/nothing_like_this.svg/",
        "/symbols/happy%2Fhappy.svg",
    ],
)
def test_anything_but_a_known_name_is_not_found(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "location" not in response.headers
    assert response.content == client.get("/symbols/nothing_like_this.svg").content  # the same plain 404
    assert b"[project]" not in response.content and b"openmoji" not in response.content.lower()


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(min_size=1, max_size=50), st.sampled_from(NAMES).map(lambda name: f"{name}.svg")))
@example("0/")  # found by hypothesis: /symbols/0%2F was a 307 to /symbols/0
@example("happy.svg/")
@example("/")
def test_only_known_names_answer(file: str) -> None:
    response = Client(PICTURES).get("/symbols/" + quote(file, safe=""))
    known = file.endswith(".svg") and file[: -len(".svg")] in NAMES
    assert response.status_code == (200 if known else 404), file
    if known:
        assert response.content == PICTURES.file(file[: -len(".svg")])[0]  # type: ignore[index]


def test_an_own_png_is_served_as_png(own_prompts: Callable[..., Path]) -> None:
    png = b"\x89PNG\r\n\x1a\nown"
    prompts = own_prompts(
        'happy: {emoji: "😀", openmoji: 1F600, image: aac/happy.png}\n'
        'unsure: {emoji: "😐", openmoji: 1F610, image: unsure.svg}\n',
        {"aac/happy.png": png, "unsure.svg": OWN_SVG},
    )
    own = SymbolPictures(Symbols.load(prompts), prompts)
    client = Client(own)
    response = client.get("/symbols/happy.png")
    assert response.status_code == 200 and response.content == png
    assert response.headers["content-type"] == "image/png"
    assert "content-security-policy" not in response.headers
    assert client.get("/symbols/happy.svg").status_code == 404
    assert client.get("/symbols/unsure.svg").content == OWN_SVG
    assert client.get("/symbols/aac/happy.png").status_code == 404
