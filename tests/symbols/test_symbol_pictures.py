"""Which picture a person sees for each symbol, and the PNG card Telegram shows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from png_pixels import decode, size
from symbol_kit import OWN_SVG

from bot.content.packs.symbols import Symbols
from bot.content.packs.yamlfile import SHIPPED_PROMPTS
from bot.content.symbols import OPENMOJI_CREDIT, SymbolPictures
from bot.content.symbols.openmoji import openmoji_svg
from bot.content.symbols.pictures import CARD_SIZE
from bot.content.symbols.png import PngRenderer, RenderFailed, default_renderer

OWN_YAML = (
    'happy: {emoji: "😀", openmoji: 1F600, image: aac/happy.svg}\n'
    'unhappy: {emoji: "🙁", openmoji: 1F641, image: aac/unhappy.png}\n'
    "_credit: {name: Our AAC symbols, url: 'https://example.org/symbols', licence: CC BY 4.0,"
    " licence_url: 'https://creativecommons.org/licenses/by/4.0/'}\n"
)
TINY_PNG_HEADER = b"\x89PNG\r\n\x1a\n"


def counting(renderer: PngRenderer) -> tuple[Callable[[], PngRenderer], list[str]]:
    """A renderer factory that records each drawing, to see what is drawn again and what is kept."""
    drawn: list[str] = []

    def render(svg: bytes, pixels: int, folder: Path | None) -> bytes:
        drawn.append(svg.decode()[:40])
        return renderer(svg, pixels, folder)

    return (lambda: render), drawn


def no_renderer() -> PngRenderer | None:
    return None


def test_every_shipped_symbol_has_an_openmoji_picture(pictures: SymbolPictures, shipped: Symbols) -> None:
    assert pictures.problems() == []
    assert sorted(pictures.names()) == sorted(shipped.names())
    for name in shipped.names():
        symbol = shipped.get(name)
        assert symbol is not None
        found = pictures.file(name)
        assert found is not None and found == (openmoji_svg(symbol.openmoji), "image/svg+xml")
        assert found[0].lstrip().startswith(b"<svg")


def test_a_picture_url_names_the_symbol_and_its_version(pictures: SymbolPictures) -> None:
    url = pictures.url("happy")
    assert url is not None and url.startswith("/symbols/happy.svg?v=")
    assert url.endswith(pictures.version("happy") or "missing")
    assert pictures.url("unhappy") != url


@pytest.mark.parametrize("name", ["no_such_symbol", "", None, "../happy", "HAPPY"])
def test_an_unknown_name_has_no_picture_and_never_fails(pictures: SymbolPictures, name: str | None) -> None:
    assert pictures.picture(name) is None
    assert pictures.url(name) is None
    assert pictures.file(name) is None
    assert pictures.card(name) is None


def test_the_openmoji_credit_is_shown_with_its_pictures(pictures: SymbolPictures) -> None:
    assert pictures.credits() == (OPENMOJI_CREDIT,)
    assert OPENMOJI_CREDIT.text == "Symbols: OpenMoji, CC BY-SA 4.0"
    assert OPENMOJI_CREDIT.licence_url == "https://creativecommons.org/licenses/by-sa/4.0/"


def test_without_openmoji_symbols_are_emoji_only(shipped: Symbols) -> None:
    bare = SymbolPictures(shipped, SHIPPED_PROMPTS, openmoji=lambda code: None)
    assert bare.url("happy") is None and bare.card("happy") is None
    assert bare.credits() == ()
    assert shipped.emoji("happy") == "😀"
    assert any(problem.startswith("happy: OpenMoji has no picture 1F600") for problem in bare.problems())


def test_a_deployment_uses_its_own_pictures(own_prompts: Callable[..., Path]) -> None:
    png = TINY_PNG_HEADER + b"own picture"
    prompts = own_prompts(OWN_YAML, {"aac/happy.svg": OWN_SVG, "aac/unhappy.png": png})
    factory, drawn = counting(_real_renderer())
    own = SymbolPictures(Symbols.load(prompts), prompts, renderer=factory)
    assert own.file("happy") == (OWN_SVG, "image/svg+xml")
    assert own.file("unhappy") == (png, "image/png")
    assert (own.url("unhappy") or "").startswith("/symbols/unhappy.png?v=")
    assert own.card("unhappy") == png and drawn == [], "an own PNG goes to Telegram as it is"
    assert own.file("unsure") == (openmoji_svg("1F610"), "image/svg+xml"), "other names keep OpenMoji"
    assert [credit.name for credit in own.credits()] == ["OpenMoji", "Our AAC symbols"]
    assert own.problems() == []


def test_an_own_picture_that_is_missing_falls_back_to_openmoji(own_prompts: Callable[..., Path]) -> None:
    prompts = own_prompts(OWN_YAML, {"aac/happy.svg": OWN_SVG})
    own = SymbolPictures(Symbols.load(prompts), prompts)
    assert own.file("unhappy") == (openmoji_svg("1F641"), "image/svg+xml")
    assert own.problems() == [
        f"unhappy: the picture 'aac/unhappy.png' is not in {prompts / 'symbols'}; showing the OpenMoji one instead"
    ]


def test_a_happy_card_shows_the_yellow_face_on_white(pictures: SymbolPictures) -> None:
    card = pictures.card("happy")
    assert card is not None and size(card) == (CARD_SIZE, CARD_SIZE)
    image = decode(card)
    assert image.pixel(0, 0) == (255, 255, 255, 255), "Telegram makes clear corners black: they must be white"
    middle = image.pixel(CARD_SIZE // 3, CARD_SIZE // 2)  # the cheek, left of the mouth
    assert _near(middle, (0xFC, 0xEA, 0x2B)), f"the face should be OpenMoji yellow, not {middle}"
    dark = sum(1 for p in image.pixels() if max(p[:3]) < 60)
    assert dark > CARD_SIZE * CARD_SIZE // 50, "the outline and eyes are drawn"


def test_an_own_svg_card_is_drawn_from_the_own_picture(own_prompts: Callable[..., Path]) -> None:
    prompts = own_prompts(OWN_YAML, {"aac/happy.svg": OWN_SVG, "aac/unhappy.png": TINY_PNG_HEADER})
    card = SymbolPictures(Symbols.load(prompts), prompts, card_size=100).card("happy")
    assert card is not None
    image = decode(card)
    assert (image.width, image.height) == (100, 100)
    assert image.pixel(50, 50)[:3] == (0, 0, 255) and image.pixel(5, 5)[:3] == (255, 255, 255)


def test_cards_are_drawn_once_and_the_least_used_is_let_go(shipped: Symbols) -> None:
    factory, drawn = counting(_real_renderer())
    cards = SymbolPictures(shipped, SHIPPED_PROMPTS, renderer=factory, card_size=32, cached_cards=2)
    first = cards.card("happy")
    assert cards.card("happy") == first and len(drawn) == 1
    cards.card("unsure")
    cards.card("happy")  # used again, so "unsure" is now the least recently used
    cards.card("unhappy")
    assert len(drawn) == 3
    cards.card("happy")
    assert len(drawn) == 3, "happy was kept"
    cards.card("unsure")
    assert len(drawn) == 4, "unsure was let go and is drawn again"


def test_without_a_renderer_questions_go_without_cards(shipped: Symbols) -> None:
    plain = SymbolPictures(shipped, SHIPPED_PROMPTS, renderer=no_renderer)
    assert plain.card("happy") is None
    assert plain.url("happy") is not None, "pages still show the SVG"


def test_a_broken_svg_gives_no_card_and_no_error(own_prompts: Callable[..., Path]) -> None:
    prompts = own_prompts(OWN_YAML, {"aac/happy.svg": b"<svg this is not finished", "aac/unhappy.png": b""})
    broken = SymbolPictures(Symbols.load(prompts), prompts)
    assert broken.card("happy") is None
    assert broken.file("happy") == (b"<svg this is not finished", "image/svg+xml")


def test_a_renderer_that_refuses_gives_no_card(shipped: Symbols) -> None:
    def refuse(svg: bytes, pixels: int, folder: Path | None) -> bytes:
        raise RenderFailed("no")

    assert SymbolPictures(shipped, SHIPPED_PROMPTS, renderer=lambda: refuse).card("happy") is None


def test_warming_draws_every_card_ahead(shipped: Symbols) -> None:
    factory, drawn = counting(_real_renderer())
    cards = SymbolPictures(shipped, SHIPPED_PROMPTS, renderer=factory, card_size=16)
    assert cards.warm(["happy", "unsure", "no_such_symbol"]) == 2
    cards.card("happy")
    assert len(drawn) == 2


def _real_renderer() -> PngRenderer:
    renderer = default_renderer()
    assert renderer is not None, "resvg-py should be installed"
    return renderer


def _near(pixel: tuple[int, ...], colour: tuple[int, int, int], slack: int = 12) -> bool:
    return all(abs(a - b) <= slack for a, b in zip(pixel[:3], colour, strict=True))
