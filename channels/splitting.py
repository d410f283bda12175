"""Long texts cut into messages a provider accepts, at the most natural break that fits."""

from __future__ import annotations


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, broken between paragraphs, then lines, then words."""
    text = text.strip()
    if not text:
        return []
    if len(text) <= limit:
        return [text]
    for separator in ("\n\n", "\n", " "):
        pieces = _pack(text.split(separator), separator, limit)
        if pieces is not None:
            return pieces
    return [text[i : i + limit] for i in range(0, len(text), limit)]  # one word longer than a message


def _pack(chunks: list[str], separator: str, limit: int) -> list[str] | None:
    if any(len(chunk) > limit for chunk in chunks):
        return None
    pieces: list[str] = []
    current = ""
    for chunk in chunks:
        candidate = f"{current}{separator}{chunk}" if current else chunk
        if len(candidate) <= limit:
            current = candidate
        else:
            pieces.append(current)
            current = chunk
    if current:
        pieces.append(current)
    return [p.strip() for p in pieces if p.strip()]
