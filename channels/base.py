"""What every channel adapter offers the outbox dispatcher.

An adapter sends neutral messages to one address through its provider's real client library and
reports the outcome in these terms, so the dispatcher can retry, back off or stop contact without
knowing any provider's error codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.messages import Outbound


@dataclass(frozen=True, slots=True)
class Sent:
    provider_id: str | None = None
    segments: int | None = None
    encoding: str | None = None


class SendFailed(Exception):
    """A send did not happen. The message must never contain the address.

    retryable: try again later (after `retry_after` seconds when the provider said so).
    stop_contact: the person has opted out or blocked us at the provider; mark them as stopped.
    """

    def __init__(
        self, reason: str, *, retryable: bool, stop_contact: bool = False, retry_after: float | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.stop_contact = stop_contact
        self.retry_after = retry_after


class Sender(Protocol):
    channel: str

    async def send(self, address: str, messages: list[Outbound], *, outbox_id: int) -> Sent:
        """Deliver the messages or raise SendFailed."""
        ...
