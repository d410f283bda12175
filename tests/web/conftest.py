from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

try:  # tests/ is not a package: pytest imports this folder as `web`, beside `browser`
    from browser.fakes import FakeChatService, FakeTranscripts
except ImportError:  # tests/ became a package
    from tests.browser.fakes import FakeChatService, FakeTranscripts

from channels.webchat.routes import webchat_routes
from channels.webchat.session import COOKIE_NAME

SECRET = b"test-csrf-secret"
HIDDEN = re.compile(r'<input type="hidden" name="(csrf|turn)" value="([^"]*)">')


@dataclass
class Chat:
    """A person's browser on the web chat, without JavaScript unless a test asks for JSON."""

    client: TestClient
    service: FakeChatService
    transcripts: FakeTranscripts

    @property
    def token(self) -> str:
        return self.client.cookies[COOKIE_NAME]

    def open(self) -> str:
        response = self.client.get("/chat")
        assert response.status_code == 200
        return response.text

    def fields(self, html: str | None = None) -> dict[str, str]:
        """The hidden fields of the page's forms as the browser would send them."""
        return dict(HIDDEN.findall(html if html is not None else self.open()))

    def post(self, json: bool = False, fields: dict[str, str] | None = None, **data: str):
        body = {**(fields if fields is not None else self.fields()), **data}
        headers = {"Accept": "application/json"} if json else {}
        return self.client.post("/chat", data=body, headers=headers, follow_redirects=False)

    def turns(self) -> list[dict]:
        return self.transcripts.chats[self.token]


def make_app(service: FakeChatService, transcripts: FakeTranscripts, **kwargs) -> Starlette:
    options = {"secure_cookies": False, "csrf_secret": SECRET, **kwargs}
    return Starlette(routes=webchat_routes(service, transcripts, **options))


@pytest.fixture
def chat() -> Chat:
    service, transcripts = FakeChatService(), FakeTranscripts()
    return Chat(TestClient(make_app(service, transcripts)), service, transcripts)
