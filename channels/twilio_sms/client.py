"""The real `twilio` REST client, pointed at Twilio or at any Twilio-compatible API.

twilio-python builds every URL on `https://api.twilio.com`. Twilio's own advice for reaching another
host is a custom HTTP client that rewrites the URL (see twilio/twilio-python#521), so that is what
`RebasedHttpClient` does: the generated resource classes, the request encoding and the error parsing
all stay the library's own. `TWILIO_API_BASE_URL` (a test fake, Somleng) is the only thing that changes.

The async HTTP client opens an aiohttp session, which belongs to the event loop it was made on, so
`TwilioApi` makes its client lazily inside the running loop and again if the loop changes.
"""

from __future__ import annotations

import asyncio
import base64
import contextvars
from typing import Any

from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

TWILIO_API = "https://api.twilio.com"
DEFAULT_TIMEOUT = 15.0

# The library turns an error response into an exception and drops its headers; Retry-After lives in
# them. A context variable set while the request runs is visible to the awaiting sender afterwards and
# to nobody else, so concurrent sends cannot see each other's value.
last_retry_after: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "last_retry_after", default=None
)


class RebasedHttpClient(AsyncTwilioHttpClient):
    """twilio-python's aiohttp client, sending api.twilio.com requests to `base_url` instead."""

    def __init__(self, base_url: str = TWILIO_API, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        super().__init__(timeout=timeout)
        self.base_url = base_url.rstrip("/")

    async def request(
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        if url.startswith(TWILIO_API):
            url = self.base_url + url[len(TWILIO_API) :]
        if auth is not None:
            # aiohttp deprecates its BasicAuth object, which the library would build from `auth`.
            credentials = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
            headers = {**(headers or {}), "Authorization": f"Basic {credentials}"}
            auth = None
        # The library's async client ignores its own timeout unless one is passed per request.
        response = await super().request(
            method, url, params=params, data=data, headers=headers, auth=auth,
            timeout=timeout if timeout is not None else self.timeout, allow_redirects=allow_redirects,
        )
        last_retry_after.set(_retry_after(response))
        return response


def _retry_after(response: Response) -> float | None:
    if response.status_code != 429 or not response.headers:
        return None
    value = response.headers.get("Retry-After")
    try:
        seconds = float(value) if value is not None else None
    except ValueError:
        return None  # an HTTP date; the dispatcher's own back-off is good enough then
    return seconds if seconds is not None and seconds >= 0 else None


class TwilioApi:
    """One account's REST client, made on first use inside the running event loop."""

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        *,
        base_url: str = TWILIO_API,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.account_sid = account_sid
        self._auth_token = auth_token
        self.base_url = base_url
        self.timeout = timeout
        self._client: Client | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def __repr__(self) -> str:
        return f"TwilioApi(base_url={self.base_url!r})"  # never the token

    def client(self) -> Client:
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            http = RebasedHttpClient(self.base_url, timeout=self.timeout)
            self._client = Client(self.account_sid, self._auth_token, http_client=http)
            self._loop = loop
        return self._client

    async def aclose(self) -> None:
        if self._client is not None and self._loop is asyncio.get_running_loop():
            http: Any = self._client.http_client
            await http.close()
        self._client = None
        self._loop = None
