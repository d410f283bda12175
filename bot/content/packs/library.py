"""All question packs in a prompts folder, found by id or start keyword.

`SystemTexts` and `Symbols` live in their own modules and are re-exported here, so the host can load
the whole prompts folder from one import.
"""

from __future__ import annotations

from pathlib import Path

from bot.content.packs.folding import fold
from bot.content.packs.loader import LoadedPack, PackError, PackProblem, load_pack
from bot.content.packs.model import Pack
from bot.content.packs.symbols import Symbol, Symbols
from bot.content.packs.texts import SystemTexts
from bot.content.packs.yamlfile import SHIPPED_PROMPTS

__all__ = ["SHIPPED_PROMPTS", "PackLibrary", "Symbol", "Symbols", "SystemTexts"]


class PackLibrary:
    def __init__(self, packs: list[Pack], loaded: list[LoadedPack] | None = None) -> None:
        self._packs = {pack.id: pack for pack in packs}
        self._keywords = {fold(keyword): pack for pack in packs for keyword in pack.keywords}
        self.loaded = loaded or []

    @classmethod
    def load(cls, directory: Path) -> PackLibrary:
        """Every `*.yaml` under `directory/packs/`. All problems in all files are reported together."""
        folder = Path(directory) / "packs"
        if not folder.is_dir():
            raise FileNotFoundError(f"no packs folder at {folder}; question packs go in prompts/packs/")
        loaded: list[LoadedPack] = []
        problems: list[PackProblem] = []
        for path in sorted(folder.rglob("*.yaml")):
            try:
                loaded.append(load_pack(path))
            except PackError as error:
                problems.extend(error.problems)
        problems.extend(_clashes(loaded))
        if problems:
            raise PackError(problems)
        return cls([item.pack for item in loaded], loaded)

    def get(self, pack_id: str | None) -> Pack | None:
        return self._packs.get(pack_id) if pack_id else None

    def by_keyword(self, text: str) -> Pack | None:
        """The pack whose start keyword is the whole message, ignoring case, spaces and punctuation."""
        return self._keywords.get(fold(text))

    def all(self, channel: str | None = None) -> list[Pack]:
        """Every pack, or with `channel` only the packs offered there, in file order."""
        return [pack for pack in self._packs.values() if pack.offered_on(channel)]

    def languages(self) -> list[str]:
        """Every language some pack speaks, in the order packs list them."""
        return list(dict.fromkeys(lang for pack in self._packs.values() for lang in pack.languages))


def _clashes(loaded: list[LoadedPack]) -> list[PackProblem]:
    """Two packs with one id, or one keyword starting two packs, cannot both work."""
    problems: list[PackProblem] = []
    ids: dict[str, LoadedPack] = {}
    keywords: dict[str, LoadedPack] = {}
    for item in loaded:
        first = ids.setdefault(item.pack.id, item)
        if first is not item:
            problems.append(PackProblem(item.path, item.line(("id",)), "id",
                                        f"'{item.pack.id}' is also the id of {first.path.name}",
                                        "give each pack its own id"))
        for index, keyword in enumerate(item.pack.keywords):
            owner = keywords.setdefault(fold(keyword), item)
            if owner is not item:
                problems.append(PackProblem(item.path, item.line(("keywords", index)), "keywords",
                                            f"{keyword} already starts {owner.path.name}",
                                            "choose a keyword no other pack uses"))
    return problems
