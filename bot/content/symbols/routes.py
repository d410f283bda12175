"""`GET /symbols/{name}.svg` (and `.png` for a deployment's own PNG pictures): symbol pictures for the
web chat and the staff pages.

Only names in symbols.yaml answer, looked up in memory: nothing from the address reaches the file
system, so no path can lead outside the pictures. A request with the current `?v=` fingerprint (what
`SymbolPictures.url` gives) may be cached for a year; without it, for an hour, then revalidated by ETag.
An SVG could carry a script, so it is served with a policy that lets it run nothing.

Everything under `/symbols/` reaches the one route, slashes and all (`{file:path}`), and anything that is
not a known name is a plain 404. With `{file}` alone a name ending in a slash (`happy.svg/`, `0%2F`) matched
no route, and Starlette answered with a 307 to the name without it instead.
"""

from __future__ import annotations

import re

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.content.symbols.pictures import SymbolPictures

_FILE = re.compile(r"^(?P<name>[a-z][a-z0-9_]{0,39})\.(?P<suffix>svg|png)$")
LONG_CACHE = "public, max-age=31536000, immutable"
SHORT_CACHE = "public, max-age=3600"
# Opened on its own (not through <img>), an SVG is a document: it may style itself and nothing else.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def symbol_routes(pictures: SymbolPictures, path: str = "/symbols") -> list[BaseRoute]:
    async def symbol(request: Request) -> Response:
        match = _FILE.match(request.path_params["file"])
        picture = pictures.picture(match["name"]) if match else None
        if match is None or picture is None or picture.suffix != match["suffix"]:
            raise HTTPException(404)
        found = pictures.file(picture.name)
        version = pictures.version(picture.name)
        if found is None or version is None:
            raise HTTPException(404)
        data, media_type = found
        etag = f'"{version}"'
        headers = {
            "ETag": etag,
            "Cache-Control": LONG_CACHE if request.query_params.get("v") == version else SHORT_CACHE,
            "X-Content-Type-Options": "nosniff",
        }
        if media_type == "image/svg+xml":
            headers["Content-Security-Policy"] = SVG_POLICY
        if etag in _etags(request.headers.get("if-none-match", "")):
            return Response(status_code=304, headers=headers)
        return Response(data, media_type=media_type, headers=headers)

    async def nothing(request: Request) -> Response:
        raise HTTPException(404)

    base = path.rstrip("/")
    return [
        Route(f"{base}/{{file:path}}", symbol, methods=["GET", "HEAD"], name="symbol"),
        # `/symbols` itself: without this, Starlette would redirect it to `/symbols/`, which matches the route above.
        Route(base, nothing, name="symbols"),
    ]


def _etags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}
