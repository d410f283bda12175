"""Fixtures for symbol tests: the shipped symbols, and a deployment's own prompts folder to fill in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.content.packs.symbols import Symbols
from bot.content.packs.yamlfile import SHIPPED_PROMPTS
from bot.content.symbols import SymbolPictures


@pytest.fixture(scope="session")
def shipped() -> Symbols:
    return Symbols.load(SHIPPED_PROMPTS)


@pytest.fixture(scope="session")
def pictures(shipped: Symbols) -> SymbolPictures:
    """The shipped symbols with OpenMoji pictures and the real renderer, shared so cards render once."""
    return SymbolPictures(shipped, SHIPPED_PROMPTS)


@pytest.fixture
def own_prompts(tmp_path: Path) -> Callable[..., Path]:
    """`own_prompts(yaml_text, {"aac/happy.svg": b"..."})` -> a SAID_PROMPTS_DIR with those symbols."""

    def make(yaml_text: str, files: dict[str, bytes] | None = None) -> Path:
        folder = tmp_path / "prompts" / "symbols"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "symbols.yaml").write_text(yaml_text, encoding="utf-8")
        for name, data in (files or {}).items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
        return tmp_path / "prompts"

    return make
