"""symbols.yaml: names by meaning, a deployment's own pictures by `image:`, and the credit they need."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.content.packs.symbols import Credit, Symbols

HAPPY = {"emoji": "😀", "openmoji": "1F600"}
CREDIT = {
    "name": "Our AAC symbols",
    "url": "https://example.org/symbols",
    "licence": "CC BY 4.0",
    "licence_url": "https://creativecommons.org/licenses/by/4.0/",
}


def test_the_names_the_issue_asks_for_are_shipped(shipped: Symbols) -> None:
    for name in ("happy", "unsure", "unhappy", "yes", "no", "skip", "phone", "message"):
        assert shipped.emoji(name), f"{name} has no emoji"


def test_shipped_symbols_use_openmoji_and_no_own_pictures(shipped: Symbols) -> None:
    assert all(symbol.image is None for symbol in shipped.symbols.values())
    assert shipped.credit is None


@pytest.mark.parametrize("image", ["clinic.svg", "aac/happy.PNG", "Our Set/smile.png"])
def test_an_own_picture_inside_the_symbols_folder_is_kept(image: str) -> None:
    symbols = Symbols.from_data({"happy": {**HAPPY, "image": image}})
    assert symbols.get("happy") is not None and symbols.get("happy").image == image  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("image", "says"),
    [
        ("../secret.svg", "inside the symbols folder"),
        ("aac/../../etc/passwd.svg", "inside the symbols folder"),
        ("/etc/happy.svg", "inside the symbols folder"),
        ("C:\\pictures\\happy.svg", "inside the symbols folder"),
        ("..\\happy.svg", "inside the symbols folder"),
        ("happy.gif", "an .svg or .png file"),
        ("happy", "an .svg or .png file"),
        ("", "a file name such as"),
        (12, "a file name such as"),
    ],
)
def test_a_picture_outside_the_folder_or_of_another_kind_is_refused(image: object, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        Symbols.from_data({"happy": {**HAPPY, "image": image}})


def test_a_credit_is_read() -> None:
    symbols = Symbols.from_data({"happy": HAPPY, "_credit": CREDIT})
    assert symbols.credit == Credit(**CREDIT)
    assert symbols.credit.text == "Symbols: Our AAC symbols, CC BY 4.0"
    assert symbols.names() == ["happy"], "the credit is not a symbol"


@pytest.mark.parametrize(
    "credit",
    [
        {k: v for k, v in CREDIT.items() if k != "licence"},
        {**CREDIT, "url": "javascript:alert(1)"},
        {**CREDIT, "licence_url": "example.org"},
        {**CREDIT, "name": "  "},
        {**CREDIT, "colour": "red"},
        "OpenMoji",
    ],
)
def test_a_broken_credit_is_reported(credit: object) -> None:
    with pytest.raises(ValueError, match="_credit"):
        Symbols.from_data({"happy": HAPPY, "_credit": credit})


def test_a_deployment_changes_one_symbol_and_keeps_the_rest(
    shipped: Symbols, own_prompts: Callable[..., Path]
) -> None:
    prompts = own_prompts(
        'happy: {emoji: "😀", openmoji: 1F600, image: aac/happy.svg}\n'
        'clinic: {emoji: "🏥", openmoji: 1F3E5}\n'
        "_credit: {name: Our AAC symbols, url: 'https://example.org/symbols', licence: CC BY 4.0,"
        " licence_url: 'https://creativecommons.org/licenses/by/4.0/'}\n"
    )
    symbols = Symbols.load(prompts)
    assert symbols.get("happy").image == "aac/happy.svg"  # type: ignore[union-attr]
    assert symbols.emoji("clinic") == "🏥"
    assert set(shipped.names()) <= set(symbols.names())
    assert symbols.credit is not None and symbols.credit.name == "Our AAC symbols"


@given(st.text(max_size=60))
def test_any_image_text_is_refused_or_stays_in_the_folder(image: str) -> None:
    try:
        symbols = Symbols.from_data({"happy": {**HAPPY, "image": image}})
    except ValueError:
        return
    kept = symbols.get("happy")
    assert kept is not None and kept.image == image
    path = PurePosixPath(image.replace("\\", "/"))
    assert not path.is_absolute() and ".." not in path.parts
    assert path.suffix.lower() in (".svg", ".png")


def test_a_file_name_with_control_characters_is_refused() -> None:
    with pytest.raises(ValueError, match="a file name such as"):
        Symbols.from_data({"happy": {**HAPPY, "image": "happy\x00.svg"}})
