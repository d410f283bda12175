"""Who the duty safeguarding team is, and how to reach them (settings; names fixed for operators).

| setting | default | meaning |
| --- | --- | --- |
| `SAID_DUTY_EMAILS` | empty | comma-separated addresses that get an email for every alert |
| `SAID_DUTY_PHONES` | empty | comma-separated phone numbers that get an SMS for every alert |
| `SAID_DUTY_TELEGRAM` | empty | comma-separated Telegram chat ids that get a message for every alert |
| `SAID_SMTP_HOST`, `SAID_SMTP_PORT` | unset, 587 | the mail server; no host means no email |
| `SAID_SMTP_USER`, `SAID_SMTP_PASSWORD` | unset | sign-in to the mail server, when it needs one |
| `SAID_SMTP_FROM` | `said-and-done@localhost` | the sender address |
| `SAID_SMTP_SECURITY` | `starttls` | `starttls`, `ssl` (port 465) or `none` (a relay on the same machine) |

A notice says only that something needs looking at, and links to the alert in the console.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from storage.privacy.vault import AddressError, normalise_address


class DutySettings(BaseSettings):
    """The duty settings, read from the environment and `.env` like `bot.app.settings.Settings`."""

    model_config = SettingsConfigDict(env_prefix="SAID_", env_file=".env", extra="ignore")

    public_url: str = "http://127.0.0.1:8000"
    duty_emails: str = ""
    duty_phones: str = ""
    duty_telegram: str = ""
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "said-and-done@localhost"
    smtp_security: Literal["starttls", "ssl", "none"] = "starttls"


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    sender: str
    security: str = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 20.0


@dataclass(frozen=True)
class DutyConfig:
    public_url: str
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()  # E.164
    telegram: tuple[str, ...] = ()  # chat ids
    smtp: SmtpConfig | None = None

    @classmethod
    def from_settings(cls, settings: DutySettings) -> DutyConfig:
        """The duty contacts, checked. Raises ValueError naming the setting (never the address) when wrong."""
        emails = _items(settings.duty_emails)
        for n, email in enumerate(emails, start=1):
            if "@" not in email or " " in email:
                raise ValueError(f"SAID_DUTY_EMAILS: entry {n} is not an email address")
        phones = tuple(_address("sms", item, "SAID_DUTY_PHONES", n) for n, item in enumerate(
            _items(settings.duty_phones), start=1))
        telegram = tuple(_address("telegram", item, "SAID_DUTY_TELEGRAM", n) for n, item in enumerate(
            _items(settings.duty_telegram), start=1))
        smtp = None
        if settings.smtp_host:
            smtp = SmtpConfig(
                host=settings.smtp_host, port=settings.smtp_port, sender=settings.smtp_from,
                security=settings.smtp_security, user=settings.smtp_user,
                password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
            )
        if emails and smtp is None:
            raise ValueError("SAID_DUTY_EMAILS is set but SAID_SMTP_HOST is not: there is no way to send the emails")
        return cls(settings.public_url.rstrip("/"), emails, phones, telegram, smtp)

    def alert_link(self, alert_id: int) -> str:
        return f"{self.public_url}/staff/safeguarding/alerts/{alert_id}"

    @property
    def messages(self) -> list[tuple[str, str]]:
        """(channel, address) for every SMS and Telegram duty contact."""
        return [("sms", p) for p in self.phones] + [("telegram", t) for t in self.telegram]


def _items(text: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split(",") if item.strip())


def _address(channel: str, item: str, setting: str, n: int) -> str:
    try:
        return normalise_address(channel, item)
    except AddressError:
        raise ValueError(f"{setting}: entry {n} cannot be read") from None
