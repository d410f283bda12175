"""Readings are built once per set of loaded objects (bot/engine/memo.py), and built again when the host
loads new ones: a pack library reloaded with a new pack is read with that pack at once."""

from __future__ import annotations

from engine_kit import TUESDAY_10AM, make_context

from bot.content.packs.library import PackLibrary, Symbols, SystemTexts
from bot.engine.asks import menu_reading
from bot.engine.memo import Memo


def test_a_reading_is_built_once_for_the_same_objects() -> None:
    memo: Memo[str] = Memo()
    built: list[int] = []
    owner = object()
    for _ in range(3):
        assert memo.get((owner,), "menu", lambda: built.append(1) or "reading") == "reading"
    assert len(built) == 1


def test_new_objects_get_a_new_reading() -> None:
    memo: Memo[str] = Memo()
    first, second = object(), object()
    assert memo.get((first,), "menu", lambda: "old packs") == "old packs"
    assert memo.get((second,), "menu", lambda: "new packs") == "new packs"
    assert memo.get((first,), "other channel", lambda: "sms menu") == "sms menu"


def test_a_reloaded_library_is_read_with_its_own_packs(library: PackLibrary, texts: SystemTexts,
                                                       symbols: Symbols) -> None:
    before = make_context(library, texts, symbols, TUESDAY_10AM)
    fewer = PackLibrary([p for p in library.all() if p.id != library.all()[0].id])
    after = make_context(fewer, texts, symbols, TUESDAY_10AM)
    first_before = menu_reading(before).answers[0].value
    assert menu_reading(before) is menu_reading(before)  # kept, not built again
    assert menu_reading(after).answers[0].value != first_before
    assert [a.value for a in menu_reading(after).answers] == [p.id for p in fewer.all()]
