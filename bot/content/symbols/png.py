"""SVG to PNG, for the Telegram symbol cards (Telegram shows photos, not SVG).

resvg (the `resvg-py` wheel) renders OpenMoji faithfully and needs no system library, so it is the
default; cairosvg is used when only it is installed and its libcairo loads. With neither, cards are
simply not made and Telegram questions go out without them.

    render = default_renderer()
    render(svg_bytes, 384, None)  ->  PNG bytes, at most 384 × 384, on white
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("said.symbols")

# (svg, the largest side in pixels, the folder relative pictures inside the SVG are read from) -> PNG
PngRenderer = Callable[[bytes, int, Path | None], bytes]
# Telegram turns photos into JPEG, which has no transparency: a clear background would come out black.
BACKGROUND = "white"


class RenderFailed(Exception):
    """The SVG could not be turned into a PNG (it is broken, or the renderer refused it)."""


def resvg_renderer() -> PngRenderer | None:
    try:
        import resvg_py
    except ImportError:
        return None

    def render(svg: bytes, size: int, resources: Path | None) -> bytes:
        try:
            return bytes(
                resvg_py.svg_to_bytes(
                    svg_string=svg.decode("utf-8"),
                    width=size,
                    height=size,  # resvg keeps the aspect ratio inside this square
                    background=BACKGROUND,
                    resources_dir=str(resources) if resources else None,
                )
            )
        except (ValueError, UnicodeDecodeError) as error:
            raise RenderFailed(str(error)) from None

    return render


def cairosvg_renderer() -> PngRenderer | None:
    try:
        import cairosvg  # type: ignore[import-not-found, unused-ignore]
    except (ImportError, OSError):  # OSError: installed, but the system's libcairo is missing
        return None

    def render(svg: bytes, size: int, resources: Path | None) -> bytes:
        try:
            png = cairosvg.svg2png(
                bytestring=svg, output_width=size, output_height=size, background_color=BACKGROUND,
                url=str(resources) + "/" if resources else None,
            )
        except Exception as error:  # cairosvg raises many kinds for bad input; all mean "no card"
            raise RenderFailed(str(error)) from None
        return bytes(png)

    return render


def default_renderer() -> PngRenderer | None:
    renderer = resvg_renderer() or cairosvg_renderer()
    if renderer is None:
        log.warning("no SVG renderer (resvg-py or cairosvg) is installed: Telegram questions go without cards")
    return renderer
