"""Security headers for every response: no framing, no sniffing, no referrer, only our own assets, and
(when the service is public over https) Strict-Transport-Security.

A route may set its own Content-Security-Policy (the web chat does); whatever it sets, every page keeps
`frame-ancestors 'none'`, so no other site can frame a page and trick a click.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = b"content-security-policy"
HEADERS = {
    CSP: (
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"no-referrer",
    b"x-frame-options": b"DENY",
}
# Two years, as browsers' preload lists ask; subdomains are the service's own business, so not included.
HSTS = (b"strict-transport-security", b"max-age=63072000")


def _no_framing(policy: bytes) -> bytes:
    if b"frame-ancestors" in policy.lower():
        return policy
    return policy.rstrip(b"; ") + b"; frame-ancestors 'none'"


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, https: bool = False) -> None:
        self.app = app
        self.defaults = dict(HEADERS)
        if https:
            self.defaults[HSTS[0]] = HSTS[1]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, _no_framing(v)) if k.lower() == CSP else (k, v) for k, v in message.get("headers", [])
                ]
                present = {k.lower() for k, _ in headers}
                extra = [(k, v) for k, v in self.defaults.items() if k not in present]
                message["headers"] = [*headers, *extra]
            await send(message)

        await self.app(scope, receive, with_headers)
