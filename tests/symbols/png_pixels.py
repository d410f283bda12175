"""Read a PNG's pixels without an imaging library, so tests can look at a card the way a person would:
is the corner white, is there colour in the middle. Handles 8-bit RGB and RGBA, not interlaced (what
resvg and cairosvg write)."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {2: 3, 6: 4}  # PNG colour type -> bytes a pixel


@dataclass(frozen=True)
class Image:
    width: int
    height: int
    rows: list[list[tuple[int, int, int, int]]]

    def pixel(self, x: int, y: int) -> tuple[int, int, int, int]:
        return self.rows[y][x]

    def pixels(self) -> list[tuple[int, int, int, int]]:
        return [p for row in self.rows for p in row]


def size(png: bytes) -> tuple[int, int]:
    assert png.startswith(SIGNATURE), "not a PNG"
    return struct.unpack(">II", png[16:24])


def decode(png: bytes) -> Image:
    assert png.startswith(SIGNATURE), "not a PNG"
    pos, data, header = len(SIGNATURE), b"", None
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, body = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            data += body
        pos += 12 + length
    assert header is not None, "no IHDR chunk"
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in _CHANNELS and interlace == 0, f"unsupported PNG {header}"
    step = _CHANNELS[colour]
    raw = zlib.decompress(data)
    stride = width * step
    rows: list[list[tuple[int, int, int, int]]] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        line = _unfilter(raw[start], bytearray(raw[start + 1 : start + 1 + stride]), previous, step)
        pixels = [tuple(line[x : x + step]) for x in range(0, stride, step)]
        rows.append([(p[0], p[1], p[2], p[3] if step == 4 else 255) for p in pixels])
        previous = line
    return Image(width, height, rows)


def _unfilter(kind: int, line: bytearray, above: bytearray, step: int) -> bytearray:
    for i in range(len(line)):
        left = line[i - step] if i >= step else 0
        up = above[i]
        corner = above[i - step] if i >= step else 0
        if kind == 1:
            line[i] = (line[i] + left) & 0xFF
        elif kind == 2:
            line[i] = (line[i] + up) & 0xFF
        elif kind == 3:
            line[i] = (line[i] + (left + up) // 2) & 0xFF
        elif kind == 4:
            line[i] = (line[i] + _paeth(left, up, corner)) & 0xFF
    return line


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c
