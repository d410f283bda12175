"""Fixtures for the safeguarding tests that need a database: the whole service on it, the safeguarding
store, and staff accounts with each role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import Parts, build_parts
from bot.messages import Channel, Inbound, Reply
from bot.settings import load_settings
from storage.privacy import Keys
from storage.safeguarding_store import SafeguardingStore
from storage.staff_records import Actor, StaffMember
from storage.staff_store import StaffStore

SECRET = "safeguarding-test-secret"
PERSON = "+447700900123"


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))  # a Tuesday at noon in London


@pytest.fixture
async def parts(database, tmp_path: Path, clock: Clock) -> Parts:
    settings = load_settings(secret_key=SECRET, var_dir=tmp_path, scheduler=False)
    return build_parts(settings, database=database, clock=clock)


@pytest.fixture
def safeguarding(database, clock: Clock) -> SafeguardingStore:
    return SafeguardingStore(database, Keys.from_secret(SECRET), clock=clock)


@dataclass
class Team:
    lead: StaffMember
    staff: StaffMember
    admin: StaffMember

    def actor(self, member: StaffMember) -> Actor:
        return Actor(member.email, member.id)


@pytest.fixture
async def team(database, clock: Clock) -> Team:
    staff = StaffStore(database, clock=clock)
    made = [
        await staff.create_account(f"{role}@example.org", "not-a-real-hash", role, must_change=False,
                                   actor=Actor("test"))
        for role in ("safeguarding_lead", "staff", "admin")
    ]
    return Team(*made)


class Texter:
    """One person writing to the real service on a channel."""

    def __init__(self, parts: Parts, clock: Clock, channel: Channel = Channel.SMS, address: str = PERSON) -> None:
        self.parts, self.clock, self.channel, self.address = parts, clock, channel, address
        self.count = 0

    async def send(self, text: str = "", choice: str | None = None) -> Reply:
        self.count += 1
        message = Inbound(text=text, channel=self.channel, received_at=self.clock.now, choice=choice,
                          provider_id=f"{self.channel}-{self.address[-4:]}-{self.count}")
        return await self.parts.service.handle(self.channel, self.address, message)


@pytest.fixture
def texter(parts: Parts, clock: Clock) -> Texter:
    return Texter(parts, clock)
