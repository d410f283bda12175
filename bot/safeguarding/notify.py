"""Telling the duty team that an alert is waiting, without ever holding up the person's reply.

An alert is written with its notices due, in the conversation's transaction. `AlertNotifier.tick()` (kicked
as soon as the transaction commits, and run by the scheduler as a backstop) claims due alerts with a lease,
emails the duty addresses and puts an "alert" message for each duty phone and Telegram chat in the outbox,
which the dispatcher sends at once, quiet hours or not. Whatever fails is retried with back-off; an
alert whose notices fail for good shows the reason in the console.

A notice says only that something needs looking at and links to the alert, never the words or the
person: "Said & Done: a message needs looking at. https://…/staff/safeguarding/alerts/7"
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from bot.delivery.dispatcher import backoff
from bot.messages import Say
from bot.messages_json import message_to_dict
from bot.safeguarding.duty import DutyConfig
from bot.safeguarding.mail import Mailer, MailFailed
from storage.conversations.store import StorageUnavailable, Store
from storage.privacy.vault import AddressError
from storage.safeguarding.records import NoticeItem
from storage.safeguarding.store import SafeguardingStore

log = logging.getLogger("said.safeguarding.notify")

MAX_ATTEMPTS = 10  # about a day of back-off, after which the console shows the notice failed
SUBJECTS = {"risk": "A message needs looking at", "callback": "A call back request needs looking at"}


def notice_text(kind: str, link: str) -> str:
    return f"Said & Done: {SUBJECTS.get(kind, SUBJECTS['risk']).lower()}. {link}"


def email_body(kind: str, link: str) -> str:
    return (
        f"{SUBJECTS.get(kind, SUBJECTS['risk'])} in Said & Done.\n\n"
        f"Open it in the staff console (you will need to sign in):\n{link}\n\n"
        "This email does not contain the message or anything about who sent it.\n"
    )


@dataclass
class NoticeStats:
    claimed: int = 0
    emailed: int = 0
    queued: int = 0  # outbox messages to duty phones and chats
    failed: int = 0  # alerts whose notices were given up on
    retrying: int = 0  # alerts whose notices failed this time and will be tried again


class AlertNotifier:
    def __init__(
        self,
        safeguarding: SafeguardingStore,
        store: Store,
        duty: DutyConfig,
        mailer: Mailer | None,
        *,
        lease: timedelta = timedelta(seconds=90),
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self.safeguarding = safeguarding
        self.store = store
        self.duty = duty
        self.mailer = mailer
        self.lease = lease
        self.max_attempts = max_attempts
        self.on_messages_queued: Callable[[], None] | None = None  # the dispatcher's kick
        self.on_tick: Callable[[NoticeStats], None] | None = None  # the metrics
        self._wake = asyncio.Event()

    def kick(self) -> None:
        self._wake.set()

    async def run_on_kick(self) -> None:
        """Background loop: tick whenever kicked. Claims are leased, so overlap with other ticks is safe."""
        while True:
            await self._wake.wait()
            self._wake.clear()
            try:
                await self.tick()
            except Exception:
                log.exception("kicked alert notice tick failed; the interval tick will retry")

    async def tick(self) -> NoticeStats:
        stats = NoticeStats()
        try:
            items = await self.safeguarding.claim_notices(lease=self.lease)
        except StorageUnavailable:
            log.warning("alert notices skipped: database unavailable")
            return stats
        stats.claimed = len(items)
        for item in items:
            await self._notify(item, stats)
        if stats.queued and self.on_messages_queued is not None:
            self.on_messages_queued()
        if self.on_tick is not None:
            self.on_tick(stats)
        return stats

    async def _notify(self, item: NoticeItem, stats: NoticeStats) -> None:
        link = self.duty.alert_link(item.alert_id)
        emailed = item.emailed or not self.duty.emails or self.mailer is None
        messaged = item.messaged or not self.duty.messages
        problems: list[str] = []
        if not emailed:
            assert self.mailer is not None
            try:
                refused = await self.mailer.send(self.duty.emails, SUBJECTS.get(item.kind, SUBJECTS["risk"]),
                                                 email_body(item.kind, link))
                emailed = True
                stats.emailed += 1
                if refused:
                    problems.append(f"the mail server refused {refused} of {len(self.duty.emails)} duty addresses")
            except MailFailed as failure:
                problems.append(failure.reason)
        if not messaged:
            try:
                stats.queued += await self._queue_messages(item.kind, link)
                messaged = True
            except (StorageUnavailable, AddressError) as failure:
                problems.append(f"could not queue the duty messages: {type(failure).__name__}")
        done = emailed and messaged
        retry_at = None
        if not done and item.attempts < self.max_attempts:
            retry_at = self.safeguarding.now() + backoff(item.attempts)
        if not done and retry_at is None:
            problems.append("gave up after repeated failures")
            stats.failed += 1
            log.error("alert %d: the duty team could not be told: %s", item.alert_id, "; ".join(problems))
        elif problems:
            if not done:
                stats.retrying += 1
            log.warning("alert %d notices: %s", item.alert_id, "; ".join(problems))
        try:
            await self.safeguarding.notices_sent(
                item.alert_id, emailed=emailed, messaged=messaged,
                error="; ".join(problems) or None, retry_at=retry_at,
            )
        except StorageUnavailable:
            # The lease runs out and the alert is claimed again; what went out is at worst sent twice.
            log.warning("alert %d: could not record its notices; they will be retried", item.alert_id)

    async def _queue_messages(self, kind: str, link: str) -> int:
        payload = {"messages": [message_to_dict(Say(notice_text(kind, link)))], "ended": False}
        async with self.store.unit() as uow:
            for channel, address in self.duty.messages:
                contact = await uow.participant(channel, address)
                assert contact is not None  # created when missing
                # A direct reply in the outbox's terms: sent at once, quiet hours or not.
                await uow.enqueue(contact.id, channel, "alert", payload, direct_reply=True, max_attempts=8)
        return len(self.duty.messages)
