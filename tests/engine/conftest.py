"""Fixtures for engine tests: the shipped prompts, the test packs, a context and a `Chat`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from engine_kit import FIXTURE_PROMPTS, TUESDAY_10AM, Chat, make_context

from bot.content.packs.library import SHIPPED_PROMPTS, PackLibrary, Symbols, SystemTexts
from bot.engine.context import Context


@pytest.fixture(scope="session")
def library() -> PackLibrary:
    return PackLibrary.load(SHIPPED_PROMPTS)


@pytest.fixture(scope="session")
def test_library() -> PackLibrary:
    """Test packs with every question kind, and one in English only."""
    return PackLibrary.load(FIXTURE_PROMPTS)


@pytest.fixture(scope="session")
def texts() -> SystemTexts:
    return SystemTexts.load(SHIPPED_PROMPTS)


@pytest.fixture(scope="session")
def symbols() -> Symbols:
    return Symbols.load(SHIPPED_PROMPTS)


@pytest.fixture(scope="session")
def ctx(library: PackLibrary, texts: SystemTexts, symbols: Symbols) -> Context:
    """The shipped prompts on a Tuesday morning in London."""
    return make_context(library, texts, symbols, TUESDAY_10AM)


@pytest.fixture(scope="session")
def context_at(texts: SystemTexts, symbols: Symbols) -> Callable[..., Context]:
    def make(library: PackLibrary, now: datetime = TUESDAY_10AM, new_id: str = "sub-1") -> Context:
        return make_context(library, texts, symbols, now, new_id)

    return make


@pytest.fixture
def chat(library: PackLibrary, texts: SystemTexts, symbols: Symbols) -> Chat:
    return Chat(library, texts, symbols)


@pytest.fixture
def test_chat(test_library: PackLibrary, texts: SystemTexts, symbols: Symbols) -> Chat:
    return Chat(test_library, texts, symbols)
