"""The picture behind each symbol name, for the web chat, the staff pages and Telegram cards.

    pictures = SymbolPictures(prompts.symbols, settings.prompts_dir)
    pictures.url("happy")    ->  "/symbols/happy.svg?v=3f2a…"   (None for a name without a picture)
    pictures.file("happy")   ->  (SVG bytes, "image/svg+xml")
    pictures.card("happy")   ->  PNG bytes for Telegram, rendered once and kept

A name's picture is the deployment's own file when symbols.yaml gives `image:` (looked for in
SAID_PROMPTS_DIR/symbols/, then the shipped prompts/symbols/), otherwise the OpenMoji picture for its
hexcode. A missing own file falls back to OpenMoji; a name with no picture at all shows its emoji.
Nothing here raises for a missing picture at run time: `problems()` lists them for the checker.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

from bot.content.packs.symbols import Credit, Symbol, Symbols
from bot.content.packs.yamlfile import SHIPPED_PROMPTS
from bot.content.symbols.openmoji import OPENMOJI_CREDIT, openmoji_file
from bot.content.symbols.png import PngRenderer, RenderFailed, default_renderer

log = logging.getLogger("said.symbols")

CARD_SIZE = 384  # pixels: sharp in a Telegram chat, and about 80 ms to render on a small server
CACHED_CARDS = 128
MEDIA_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}


@dataclass(frozen=True)
class Picture:
    name: str
    file: Traversable
    media_type: str
    own: bool  # the deployment's own picture rather than OpenMoji

    @property
    def suffix(self) -> str:
        return "svg" if self.media_type == MEDIA_TYPES[".svg"] else "png"

    @property
    def folder(self) -> Path | None:
        """Where pictures the SVG refers to by relative path live (own pictures only)."""
        return Path(str(self.file)).parent if self.own else None


class SymbolPictures:
    def __init__(
        self,
        symbols: Symbols,
        prompts_dir: Path | None = None,
        *,
        renderer: Callable[[], PngRenderer | None] = default_renderer,
        openmoji: Callable[[str], Traversable | None] = openmoji_file,
        card_size: int = CARD_SIZE,
        url_prefix: str = "/symbols",
        cached_cards: int = CACHED_CARDS,
    ) -> None:
        self.symbols = symbols
        self.card_size = card_size
        self.url_prefix = url_prefix.rstrip("/")
        self._renderer_factory = renderer
        self._renderer: PngRenderer | None = None
        self._renderer_ready = False
        self._cached_cards = cached_cards
        self._cards: OrderedDict[str, bytes] = OrderedDict()
        self._bytes: dict[str, bytes] = {}
        self._lock = threading.Lock()  # cards may be warmed in a thread while the event loop sends
        self._problems: list[str] = []
        folders = [Path(prompts_dir) / "symbols"] if prompts_dir is not None else []
        folders.append(SHIPPED_PROMPTS / "symbols")
        self._pictures: dict[str, Picture] = {}
        for symbol in symbols.symbols.values():
            picture = self._own(symbol, folders) or self._openmoji(symbol, openmoji)
            if picture is not None:
                self._pictures[symbol.name] = picture

    @classmethod
    def load(cls, prompts_dir: Path) -> SymbolPictures:
        return cls(Symbols.load(prompts_dir), prompts_dir)

    def _own(self, symbol: Symbol, folders: list[Path]) -> Picture | None:
        if symbol.image is None:
            return None
        relative = PurePosixPath(symbol.image.replace("\\", "/"))
        for folder in folders:
            path = folder.joinpath(*relative.parts)
            if path.is_file():
                return Picture(symbol.name, path, MEDIA_TYPES[path.suffix.lower()], own=True)
        self._problems.append(
            f"{symbol.name}: the picture '{symbol.image}' is not in {folders[0]}; showing the OpenMoji one instead"
        )
        return None

    def _openmoji(self, symbol: Symbol, openmoji: Callable[[str], Traversable | None]) -> Picture | None:
        found = openmoji(symbol.openmoji)
        if found is None:
            self._problems.append(f"{symbol.name}: OpenMoji has no picture {symbol.openmoji}; it shows as its emoji")
            return None
        return Picture(symbol.name, found, MEDIA_TYPES[".svg"], own=False)

    def picture(self, name: str | None) -> Picture | None:
        return self._pictures.get(name) if name else None

    def names(self) -> list[str]:
        """The symbol names that have a picture."""
        return list(self._pictures)

    def file(self, name: str | None) -> tuple[bytes, str] | None:
        """The picture's bytes and media type; None for a name without a readable picture."""
        picture = self.picture(name)
        if picture is None:
            return None
        data = self._bytes.get(picture.name)
        if data is None:
            try:
                data = picture.file.read_bytes()
            except OSError:
                log.warning("the picture for symbol %s could not be read", picture.name)
                return None
            self._bytes[picture.name] = data
        return data, picture.media_type

    def version(self, name: str | None) -> str | None:
        """A short fingerprint of the picture's bytes: it changes when the picture does."""
        found = self.file(name)
        return hashlib.sha256(found[0]).hexdigest()[:12] if found else None

    def url(self, name: str | None) -> str | None:
        """Where a page loads the picture from; the `v` makes a changed picture a new address."""
        picture = self.picture(name)
        version = self.version(name)
        if picture is None or version is None:
            return None
        return f"{self.url_prefix}/{picture.name}.{picture.suffix}?v={version}"

    def card(self, name: str | None) -> bytes | None:
        """A PNG of the symbol for Telegram, or None (no picture, no renderer, a broken SVG). Never raises."""
        if not name:
            return None
        with self._lock:
            if name in self._cards:
                self._cards.move_to_end(name)
                return self._cards[name]
        found = self.file(name)
        picture = self.picture(name)
        if found is None or picture is None:
            return None
        data, media_type = found
        if media_type == MEDIA_TYPES[".png"]:
            png = data  # a deployment's own PNG goes as it is
        else:
            renderer = self._png_renderer()
            if renderer is None:
                return None
            try:
                png = renderer(data, self.card_size, picture.folder)
            except RenderFailed as error:
                log.warning("symbol %s could not be drawn as a card (%s); sending without it", name, error)
                return None
        with self._lock:
            self._cards[name] = png
            while len(self._cards) > self._cached_cards:
                self._cards.popitem(last=False)
        return png

    def warm(self, names: Iterable[str] | None = None) -> int:
        """Draw the cards ahead of time (call it in a thread at start-up); returns how many are ready."""
        return sum(1 for name in (self.names() if names is None else names) if self.card(name) is not None)

    def credits(self) -> tuple[Credit, ...]:
        """The attributions the pictures in use ask for: OpenMoji's, and the deployment's own set's."""
        out: list[Credit] = []
        if any(not p.own for p in self._pictures.values()):
            out.append(OPENMOJI_CREDIT)
        if self.symbols.credit is not None and any(p.own for p in self._pictures.values()):
            out.append(self.symbols.credit)
        return tuple(out)

    def problems(self) -> list[str]:
        """Pictures that were named but not found, in words for `said prompts check`."""
        return list(self._problems)

    def _png_renderer(self) -> PngRenderer | None:
        if not self._renderer_ready:
            self._renderer = self._renderer_factory()
            self._renderer_ready = True
        return self._renderer
