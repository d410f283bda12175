"""Email to the duty team over SMTP (the standard library's smtplib, in a worker thread).

    mailer = SmtpMailer(SmtpConfig("smtp.example.org", 587, "said@example.org", user="said", password="…"))
    await mailer.send(["duty@example.org"], "A message needs looking at", "…")

Failures raise `MailFailed` with a reason that names no address (a refused recipient's error would).
`send` returns how many addresses the server refused while accepting others: the message went, so it is
not sent again (the others would get it twice), and the count is shown on the alert.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Protocol

from bot.safeguarding.duty import SmtpConfig


class MailFailed(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Mailer(Protocol):
    async def send(self, to: Sequence[str], subject: str, body: str) -> int: ...


class SmtpMailer:
    def __init__(self, config: SmtpConfig) -> None:
        self.config = config

    def __repr__(self) -> str:
        return f"SmtpMailer({self.config.host}:{self.config.port})"

    async def send(self, to: Sequence[str], subject: str, body: str) -> int:
        if not to:
            return 0
        return await asyncio.to_thread(self._send, list(to), subject, body)

    def _send(self, to: list[str], subject: str, body: str) -> int:
        config = self.config
        message = EmailMessage()
        message["From"] = config.sender
        message["To"] = config.sender  # recipients go in the envelope only: duty staff need not see each other
        message["Subject"] = subject
        message["Message-ID"] = make_msgid(domain=config.sender.rpartition("@")[2] or None)
        message.set_content(body)
        try:
            if config.security == "ssl":
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    config.host, config.port, timeout=config.timeout, context=ssl.create_default_context()
                )
            else:
                client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
            with client:
                if config.security == "starttls":
                    client.starttls(context=ssl.create_default_context())
                if config.user:
                    client.login(config.user, config.password or "")
                refused = client.send_message(message, from_addr=config.sender, to_addrs=to)
        except smtplib.SMTPAuthenticationError:
            raise MailFailed("the mail server did not accept the SMTP user and password") from None
        except smtplib.SMTPRecipientsRefused:
            raise MailFailed("the mail server refused every duty address") from None
        except (smtplib.SMTPException, OSError) as error:
            raise MailFailed(f"could not send through the mail server: {type(error).__name__}") from None
        return len(refused)
