"""Telling the duty team: an email reaches a (fake, local) SMTP server and an SMS reaches a fake channel,
saying only that something needs looking at, with the console link; never the words or the number.
Failures are retried with back-off, and the person's reply never waits for any of it."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Iterator
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from safeguarding_kit import PERSON, Texter
from sqlalchemy import select

from bot.app.safeguarding import build_safeguarding
from bot.delivery.dispatcher import Dispatcher
from bot.hours import QuietHours
from bot.messages import Outbound
from bot.safeguarding.duty import DutyConfig, DutySettings, SmtpConfig
from bot.safeguarding.mail import SmtpMailer
from bot.safeguarding.notify import AlertNotifier
from channels.base import Sent
from storage.safeguarding.tables import SafeguardingAlert

DUTY_EMAIL = "duty@example.org"
DUTY_PHONE = "+447700900999"
WORDS = "I want to kill myself tonight"


class Inbox:
    def __init__(self) -> None:
        self.envelopes: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd calls it by this name
        self.envelopes.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


class FakeSms:
    """A channel adapter that records what it was asked to send."""

    channel = "sms"

    def __init__(self) -> None:
        self.sent: list[tuple[str, list[Outbound]]] = []

    async def send(self, address: str, messages: list[Outbound], *, outbox_id: int) -> Sent:
        self.sent.append((address, messages))
        return Sent(provider_id=f"fake-{outbox_id}")


def _duty(port: int, **more: object) -> DutyConfig:
    return DutyConfig(
        public_url="https://said.example.org", emails=(DUTY_EMAIL,), phones=(DUTY_PHONE,),
        smtp=SmtpConfig("127.0.0.1", port, "said@example.org", security="none"), **more,
    )


def _notifier(parts, safeguarding, duty: DutyConfig) -> AlertNotifier:
    return AlertNotifier(safeguarding, parts.store, duty, SmtpMailer(duty.smtp) if duty.smtp else None)


async def test_the_duty_team_gets_an_email_and_an_sms_without_the_words_or_the_number(
    parts, safeguarding, texter, smtp, clock
) -> None:
    inbox, port = smtp
    notifier = _notifier(parts, safeguarding, _duty(port))
    sms = FakeSms()
    dispatcher = Dispatcher(parts.store, {"sms": sms}, QuietHours.parse("21:00-08:00"), clock=clock)
    reply = await texter.send(WORDS)
    assert reply.messages[0].text.startswith("Thank you for telling us."), "the person is answered first"
    assert inbox.envelopes == [] and sms.sent == [], "nothing was sent while the person waited"

    stats = await notifier.tick()
    assert (stats.claimed, stats.emailed, stats.queued) == (1, 1, 1)
    [(to, raw)] = inbox.envelopes
    mail = message_from_bytes(raw)
    body = mail.get_payload(decode=True).decode()
    assert to == [DUTY_EMAIL] and mail["Subject"] == "A message needs looking at"
    assert "https://said.example.org/staff/safeguarding/alerts/1" in body

    sent = await dispatcher.tick()
    assert sent.sent >= 1
    duty_messages = [(address, messages) for address, messages in sms.sent if address == DUTY_PHONE]
    [(_, [message])] = duty_messages
    link = "https://said.example.org/staff/safeguarding/alerts/1"
    assert message.text == f"Said & Done: a message needs looking at. {link}"
    for text in (body, str(mail), message.text):
        assert "kill" not in text and "tonight" not in text and PERSON not in text and "900123" not in text
    assert (await notifier.tick()).claimed == 0, "sent once"


async def test_the_sms_goes_at_night_too(parts, safeguarding, texter, smtp, clock) -> None:
    clock.advance(hours=11)  # 23:00, inside quiet hours
    inbox, port = smtp
    sms = FakeSms()
    dispatcher = Dispatcher(parts.store, {"sms": sms}, QuietHours.parse("21:00-08:00"), clock=clock)
    await texter.send(WORDS)
    await _notifier(parts, safeguarding, _duty(port)).tick()
    await dispatcher.tick()
    assert [address for address, _ in sms.sent] == [DUTY_PHONE]
    assert len(inbox.envelopes) == 1


async def test_a_mail_server_that_is_down_is_retried_later_and_the_sms_is_not_repeated(
    parts, safeguarding, texter, database, clock
) -> None:
    port = _free_port()  # nothing listens here yet
    notifier = _notifier(parts, safeguarding, _duty(port))
    await texter.send(WORDS)
    first = await notifier.tick()
    assert (first.emailed, first.queued) == (0, 1)
    async with database.engine.connect() as conn:
        alert = (await conn.execute(select(SafeguardingAlert))).one()
    assert alert.messaged_at is not None and alert.emailed_at is None
    assert "could not send through the mail server" in alert.notice_error
    assert alert.notice_due_at > clock.now, "retried later, not straight away"
    assert (await notifier.tick()).claimed == 0

    inbox = _InboxOn(port)
    try:
        clock.advance(minutes=5)
        again = await notifier.tick()
        assert (again.claimed, again.emailed, again.queued) == (1, 1, 0)
        assert len(inbox.inbox.envelopes) == 1
    finally:
        inbox.stop()
    async with database.engine.connect() as conn:
        alert = (await conn.execute(select(SafeguardingAlert))).one()
    assert alert.notice_due_at is None and alert.notice_error is None and alert.emailed_at is not None


class _InboxOn:
    def __init__(self, port: int) -> None:
        self.inbox = Inbox()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=port)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


async def test_after_repeated_failures_the_alert_shows_that_the_team_was_not_told(
    parts, safeguarding, texter, database, clock
) -> None:
    duty = DutyConfig(public_url="https://said.example.org", emails=(DUTY_EMAIL,),
                      smtp=SmtpConfig("127.0.0.1", _free_port(), "said@example.org", security="none"))
    notifier = AlertNotifier(safeguarding, parts.store, duty, SmtpMailer(duty.smtp), max_attempts=2)
    await texter.send(WORDS)
    await notifier.tick()
    clock.advance(hours=1)
    await notifier.tick()
    async with database.engine.connect() as conn:
        alert = (await conn.execute(select(SafeguardingAlert))).one()
    assert alert.notice_due_at is None and "gave up" in alert.notice_error
    listed, _ = await safeguarding.alerts()
    assert not listed[0].notified


async def test_the_service_kicks_the_notifier_once_the_alert_is_committed(parts, texter) -> None:
    kicks: list[int] = []
    parts.service.on_alert_raised = lambda: kicks.append(1)
    await texter.send("The staff were kind")
    assert kicks == []
    await texter.send(WORDS)
    assert kicks == [1]


async def test_a_call_back_request_says_so_and_nothing_more(parts, safeguarding, smtp, clock) -> None:
    inbox, port = smtp
    texter = Texter(parts, clock)
    await texter.send("CALL ME")
    await texter.send("yes")
    await _notifier(parts, safeguarding, _duty(port)).tick()
    [(_, raw)] = inbox.envelopes
    assert message_from_bytes(raw)["Subject"] == "A call back request needs looking at"


def test_duty_settings_are_checked_without_repeating_the_address() -> None:
    config = DutyConfig.from_settings(DutySettings(
        public_url="https://said.example.org/", duty_emails="a@example.org, b@example.org",
        duty_phones="07700 900999", duty_telegram="12345", smtp_host="mail.example.org",
    ))
    assert config.emails == ("a@example.org", "b@example.org")
    assert config.messages == [("sms", "+447700900999"), ("telegram", "12345")]
    assert config.alert_link(3) == "https://said.example.org/staff/safeguarding/alerts/3"
    with pytest.raises(ValueError, match="SAID_DUTY_PHONES: entry 2 cannot be read") as bad:
        DutyConfig.from_settings(DutySettings(duty_phones="07700 900999, 12"))
    assert "12" not in str(bad.value).replace("entry 2", "")
    with pytest.raises(ValueError, match="SAID_SMTP_HOST"):
        DutyConfig.from_settings(DutySettings(duty_emails="a@example.org"))


def test_no_duty_contacts_means_nothing_to_send() -> None:
    config = DutyConfig.from_settings(DutySettings())
    assert (config.emails, config.messages, config.smtp) == ((), [], None)


async def test_wired_up_an_urgent_message_reaches_the_duty_inbox_by_itself(parts, smtp, clock) -> None:
    inbox, port = smtp
    duty = DutySettings(public_url="https://said.example.org", duty_emails=DUTY_EMAIL, smtp_host="127.0.0.1",
                        smtp_port=port, smtp_security="none")
    wired = build_safeguarding(parts.settings, parts, duty=duty, clock=clock)
    loop = asyncio.create_task(wired.notifier.run_on_kick())
    try:
        await Texter(parts, clock).send(WORDS)
        for _ in range(100):
            if inbox.envelopes:
                break
            await asyncio.sleep(0.05)
    finally:
        loop.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await loop  # a tick still holding a connection must finish before the database is closed
    assert len(inbox.envelopes) == 1, "kicked by the service, with no scheduler running"
