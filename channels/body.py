"""The one way any route reads a request body: capped, and refused before a byte past the cap is read.

    try:
        body = await read_body(request, limit=64 * 1024)
    except BodyTooLarge:
        return PlainTextResponse("Request body too large", status_code=413)

A declared `Content-Length` over the cap is refused without reading anything; a chunked body (no
length) is read chunk by chunk and refused as soon as the total passes the cap, so an unsigned 600 MB
POST costs at most the cap and one chunk of memory. Routes call this before any signature check, so a
refused body never costs an HMAC either.
"""

from __future__ import annotations

from starlette.requests import ClientDisconnect, Request

__all__ = ["BodyTooLarge", "ClientDisconnect", "declared_length", "read_body"]


class BodyTooLarge(Exception):
    """The body is (or says it is) bigger than the route takes. `declared` is the Content-Length, if any."""

    def __init__(self, limit: int, declared: int | None) -> None:
        super().__init__(f"request body over {limit} bytes")
        self.limit = limit
        self.declared = declared


def declared_length(request: Request) -> int | None:
    """The Content-Length the client sent, or None when it sent none (chunked) or nonsense."""
    value = request.headers.get("content-length", "").strip()
    return int(value) if value.isascii() and value.isdigit() else None


async def read_body(request: Request, *, limit: int) -> bytes:
    """The whole body, at most `limit` bytes; raises `BodyTooLarge` without reading past the cap."""
    declared = declared_length(request)
    if declared is not None and declared > limit:
        raise BodyTooLarge(limit, declared)
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise BodyTooLarge(limit, declared)
    data = bytes(body)
    # Starlette keeps a read body here, so a later request.body() or request.form() finds it instead of
    # reading a stream that has already been used up.
    request._body = data
    return data
