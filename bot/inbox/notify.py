"""Telling the people on duty that new messages wait in the inbox, through the duty notices that exist
(SAID_DUTY_EMAILS, SAID_DUTY_PHONES, SAID_DUTY_TELEGRAM), when SAID_INBOX_DUTY_NOTICES is on.

A notice says how many new cases there are and links to the inbox: never the words, never the person.
One notice a tick for however many cases opened since the last, so a busy evening is one nudge, not
twenty. It is a nudge, not an alert: sent at most once, and quiet hours apply to its texts like any
message we start (a safeguarding alert is the one that goes at once).

    "Said & Done: 3 new messages are waiting in the inbox. https://…/staff/inbox"
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.messages import Say
from bot.messages_json import message_to_dict
from bot.safeguarding.duty import DutyConfig
from bot.safeguarding.mail import Mailer, MailFailed
from storage.cases.store import CaseStore
from storage.conversations.store import StorageUnavailable, Store
from storage.privacy.vault import AddressError

log = logging.getLogger("said.inbox.notify")

SUBJECT = "New messages are waiting in the inbox"


def notice_text(count: int, link: str) -> str:
    what = "a new message is" if count == 1 else f"{count} new messages are"
    return f"Said & Done: {what} waiting in the inbox. {link}"


def email_body(count: int, link: str) -> str:
    return (
        f"{notice_text(count, link)}\n\nOpen the inbox in the staff console (you will need to sign in).\n\n"
        "This email does not contain any message or anything about who sent it.\n"
    )


@dataclass
class CaseNoticeStats:
    cases: int = 0
    emailed: bool = False
    queued: int = 0


class CaseNotifier:
    def __init__(self, cases: CaseStore, store: Store, duty: DutyConfig, mailer: Mailer | None) -> None:
        self.cases = cases
        self.store = store
        self.duty = duty
        self.mailer = mailer
        self.on_messages_queued: Callable[[], None] | None = None  # the dispatcher's kick

    @property
    def link(self) -> str:
        return f"{self.duty.public_url}/staff/inbox"

    async def tick(self) -> CaseNoticeStats:
        stats = CaseNoticeStats()
        try:
            new = await self.cases.claim_notices()
        except StorageUnavailable:
            log.warning("inbox notices skipped: database unavailable")
            return stats
        stats.cases = len(new)
        if not new:
            return stats
        if self.duty.emails and self.mailer is not None:
            try:
                await self.mailer.send(self.duty.emails, SUBJECT, email_body(len(new), self.link))
                stats.emailed = True
            except MailFailed as failure:
                log.warning("inbox notice email not sent: %s", failure.reason)
        if self.duty.messages:
            payload = {"messages": [message_to_dict(Say(notice_text(len(new), self.link)))], "ended": False}
            try:
                async with self.store.unit() as uow:
                    for channel, address in self.duty.messages:
                        contact = await uow.participant(channel, address)
                        assert contact is not None  # created when missing
                        # A duty message like the safeguarding alerts (never held by the daily cap), but not
                        # a direct reply: quiet hours hold a nudge about messages that can wait.
                        await uow.enqueue(contact.id, channel, "alert", payload, max_attempts=5)
                        stats.queued += 1
            except (StorageUnavailable, AddressError) as failure:
                log.warning("inbox notice messages not queued: %s", type(failure).__name__)
        if stats.queued and self.on_messages_queued is not None:
            self.on_messages_queued()
        log.info("inbox notices: %d new cases; emailed %s, %d messages queued", stats.cases, stats.emailed,
                 stats.queued)
        return stats
