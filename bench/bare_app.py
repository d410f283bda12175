"""The ceiling for the inbound benchmark: a bare Starlette endpoint that parses the same form and answers TwiML.

No signature check, no database, no engine: what this machine and this load generator can do at all.
Run by bench/load.py as `uvicorn bench.bare_app:app`.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route


async def sms(request: Request) -> Response:
    fields = dict(parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True))
    body = fields.get("Body", "")
    return Response(f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>{len(body)}</Message></Response>",
                    media_type="application/xml")


async def healthz(request: Request) -> Response:
    return PlainTextResponse("ok")


app = Starlette(routes=[Route("/webhooks/twilio/sms", sms, methods=["POST"]), Route("/healthz", healthz)])
