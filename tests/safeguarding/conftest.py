"""Fixtures for the safeguarding tests that need a database: the whole service on it, the safeguarding
store, and staff accounts with each role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from safeguarding_kit import SECRET, Clock, Texter

from bot.app.settings import load_settings
from bot.app.wiring import Parts, build_parts
from storage.privacy.vault import Keys
from storage.safeguarding.store import SafeguardingStore
from storage.staff.records import Actor, StaffMember
from storage.staff.store import StaffStore


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


@pytest.fixture
def texter(parts: Parts, clock: Clock) -> Texter:
    return Texter(parts, clock)
