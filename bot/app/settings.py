"""Settings from the environment and a `.env` file.

Their names are public (deployments and scripts set them): see the README's Settings table.
"""

from __future__ import annotations

import os
import secrets
from functools import cached_property
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

import prompts

SHIPPED_PROMPTS = Path(prompts.__file__).resolve().parent


class SettingsError(Exception):
    """A setting is missing or wrong; the message says which and how to fix it."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SAID_", env_file=".env", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./var/said.db"
    secret_key: SecretStr | None = None
    public_url: str = "http://127.0.0.1:8000"
    timezone: str = "Europe/London"
    quiet_hours: str = "21:00-08:00"
    office_hours: str = "Mon-Fri 09:00-17:00"
    prompts_dir: Path = SHIPPED_PROMPTS
    # Demo mode makes a secret key and a staff account so `make run` works with no set-up.
    demo: bool = False
    var_dir: Path = Path("./var")
    service_name: str = "the team"
    # The service's name in Welsh, for HELP in Welsh; unset, the default name becomes "y tîm".
    service_name_cy: str | None = None
    conversation_expiry_days: int = Field(default=14, ge=1, le=365)
    vault_retention_days: int = Field(default=30, ge=1, le=3650)
    # Rate limits on the public doors (see bot/web/ratelimit.py and the README's security section).
    chat_requests_per_minute: int = Field(default=60, ge=5, le=100_000)
    chat_posts_per_minute: int = Field(default=20, ge=5, le=100_000)
    webhook_refusals_per_hour: int = Field(default=60, ge=5, le=100_000)
    # Handled provider message ids are kept this long, so a replayed signed webhook is not processed twice.
    handled_ids_days: int = Field(default=90, ge=7, le=3650)
    small_number_threshold: int = Field(default=5, ge=3)
    dispatch_interval_seconds: float = Field(default=2.0, gt=0)
    # Off (`said serve --no-scheduler`) when a separate `said worker` runs the ticks.
    scheduler: bool = True
    # Operations: logs as plain text or JSON lines, and the bearer token /metrics asks for (off without it).
    log_format: Literal["text", "json"] = "text"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    metrics_token: SecretStr | None = None
    # Worker processes that read long messages for risk, away from the event loop (0: a thread instead).
    detection_processes: int = Field(default=1, ge=0, le=16)
    # A UK long code sends about 1 message a second; a short code or toll-free number manages more.
    sms_rate_per_second: float = Field(default=1.0, gt=0, le=1000)
    # SMS is plain GSM-7 (no emoji, straight quotes) unless symbols are turned on: one emoji makes a
    # text UCS-2, 70 characters a segment instead of 160, and basic phones may show boxes.
    sms_symbols: bool = False
    # The older switch, still honoured: SAID_SMS_PLAIN=1 keeps texts plain, SAID_SMS_PLAIN=0 asks for symbols.
    sms_plain: bool | None = None

    # Broadcasts: at most this many proactive messages a person a day, and the price of one SMS segment
    # for the cost estimate staff see while composing.
    daily_message_cap: int = Field(default=2, ge=1, le=50)
    sms_segment_price: float = Field(default=0.04, ge=0)
    # The inbox: tell the duty contacts (SAID_DUTY_*) that new messages wait, without their words.
    inbox_duty_notices: bool = False
    # A symbol card picture before each Telegram question; each card is one more message per question.
    telegram_symbol_cards: bool = True
    # The phone line (Twilio Voice): neural voices per language, a slower speaking rate, and when to
    # read back what the caller said before storing it.
    voice_name: str = "Google.en-GB-Neural2-C"
    voice_name_cy: str = "Polly.Gwyneth"
    voice_rate: str = Field(default="90%", pattern=r"^\d{2,3}%$")
    voice_speech_confidence: float = Field(default=0.5, ge=0, le=1)
    voice_timeout_seconds: int = Field(default=6, ge=2, le=30)
    voice_pack: str = "phone"

    twilio_account_sid: str | None = Field(default=None, validation_alias=AliasChoices("TWILIO_ACCOUNT_SID"))
    twilio_auth_token: SecretStr | None = Field(default=None, validation_alias=AliasChoices("TWILIO_AUTH_TOKEN"))
    twilio_phone_number: str | None = Field(default=None, validation_alias=AliasChoices("TWILIO_PHONE_NUMBER"))
    twilio_messaging_service_sid: str | None = Field(
        default=None, validation_alias=AliasChoices("TWILIO_MESSAGING_SERVICE_SID")
    )
    twilio_whatsapp_number: str | None = Field(
        default=None, validation_alias=AliasChoices("TWILIO_WHATSAPP_NUMBER")
    )
    twilio_api_base_url: str = Field(
        default="https://api.twilio.com", validation_alias=AliasChoices("TWILIO_API_BASE_URL")
    )
    telegram_bot_token: SecretStr | None = Field(default=None, validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN"))
    telegram_webhook_secret: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("TELEGRAM_WEBHOOK_SECRET")
    )
    telegram_api_base_url: str = Field(
        default="https://api.telegram.org/bot", validation_alias=AliasChoices("TELEGRAM_API_BASE_URL")
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"SAID_TIMEZONE '{value}' is not a time zone name like Europe/London") from exc
        return value

    @field_validator("public_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("SAID_PUBLIC_URL must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("metrics_token")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        if len(value.get_secret_value().strip()) < 16:
            raise ValueError(
                "SAID_METRICS_TOKEN is too short to keep /metrics private: use at least 16 random characters, "
                "for example the output of `python -c 'import secrets; print(secrets.token_urlsafe(32))'`"
            )
        return SecretStr(value.get_secret_value().strip())
    @model_validator(mode="after")
    def _sms_switches_agree(self) -> Settings:
        if self.sms_plain is True and self.sms_symbols:
            raise ValueError(
                "SAID_SMS_PLAIN=1 and SAID_SMS_SYMBOLS=1 ask for opposite things; keep SAID_SMS_SYMBOLS only"
            )
        return self

    @property
    def service_names(self) -> dict[str, str]:
        """The service's name by language, beside `service_name` (English and any language not given)."""
        welsh = self.service_name_cy or ("y tîm" if self.service_name == "the team" else None)
        return {"cy": welsh} if welsh else {}

    @property
    def sms_plain_text(self) -> bool:
        """Whether texts go out as plain GSM-7: yes unless SAID_SMS_SYMBOLS=1 (or the older SAID_SMS_PLAIN=0)."""
        if self.sms_plain is not None:
            return self.sms_plain
        return not self.sms_symbols

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")

    def secret(self) -> str:
        """The secret every key derives from. Demo mode keeps a generated one in var/secret.key."""
        if self.secret_key is not None and self.secret_key.get_secret_value().strip():
            return self.secret_key.get_secret_value()
        if not self.demo:
            raise SettingsError(
                "SAID_SECRET_KEY is not set. Set it to a long random value (for example the output of "
                "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`) and keep it safe: "
                "it protects the contact vault. For a local try-out, set SAID_DEMO=1 instead."
            )
        return _demo_key(self.var_dir / "secret.key")

    def check_secret(self) -> None:
        """Refuse to serve with a guessable SAID_SECRET_KEY: it keys the vault, pseudonyms and sessions."""
        if self.secret_key is None or not self.secret_key.get_secret_value().strip():
            self.secret()  # no key: demo mode makes a strong one, otherwise this says how to set it
            return
        problem = secret_weakness(self.secret_key.get_secret_value().strip())
        if problem:
            raise SettingsError(
                f"SAID_SECRET_KEY is too weak: {problem}. It must hold at least 32 random bytes, for example "
                "64 hex digits or the output of `python -c 'import secrets; print(secrets.token_urlsafe(48))'`. "
                "Changing it makes stored contact details unreadable, so choose it once, before real use."
            )


MIN_SECRET_BITS = 256  # 32 random bytes
_HEX = frozenset("0123456789abcdefABCDEF")
_BASE64 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=")


def secret_weakness(key: str) -> str | None:
    """Why `key` cannot hold 32 random bytes, or None. An estimate from its length and alphabet (a hex
    digit carries 4 bits, a base64 character 6, any other printable character at most 6.5), plus a
    check that it is not a few characters repeated, which random keys never are."""
    chars = set(key)
    if chars <= _HEX:
        bits_each = 4.0
    elif chars <= _BASE64:
        bits_each = 6.0
    else:
        bits_each = 6.5
    if len(key) * bits_each < MIN_SECRET_BITS:
        needed = int(-(-MIN_SECRET_BITS // bits_each))
        return f"it is {len(key)} characters long; a random key in this alphabet needs at least {needed}"
    if len(chars) < min(12, len(key) // 3):
        return f"it uses only {len(chars)} different characters, so it is not random"
    return None


def _demo_key(path: Path) -> str:
    """The demo key, made on first use readable by this user only: created 0600 in one step, so there is
    no moment when another user could read it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning pydantic's errors into one plain message."""
    from pydantic import ValidationError

    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = [f"- {'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()]
        raise SettingsError("Some settings are not right:\n" + "\n".join(lines)) from None
