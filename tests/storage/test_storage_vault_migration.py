"""Finding 5: sealed addresses are bound to their participant. 0004_security re-seals every entry an
older version sealed (vault entries and call-back numbers), so moving one onto another participant's
row no longer makes it open; without the key it stops and changes nothing; on SQLite and PostgreSQL."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import text

from storage.db import MIGRATIONS, Database
from storage.privacy.vault import Keys, Vault, VaultError

SECRET = "vault-migration-test-secret-k7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js-p2Wq8Ze5Ur7Ty1Io3Pa6Sd9Fg4Hj0Kl"
KEYS = Keys.from_secret(SECRET)
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
PEOPLE = {1: "+447700900111", 2: "+447700900222"}


def _seal_v1(address: str) -> bytes:
    """As the vault sealed before entries were bound to a participant."""
    nonce = os.urandom(12)
    return b"\x01" + nonce + AESGCM(KEYS.vault_key).encrypt(nonce, address.encode(), b"said-and-done/vault/v1")


def _alembic(connection, *args: str, vault_key: bytes | None = None) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    config.attributes["vault_key"] = vault_key
    getattr(command, args[0])(config, *args[1:])


async def _database_before_0004(url: str) -> Database:
    database = Database(url)
    if database.is_sqlite:
        Path(database.url.database).parent.mkdir(parents=True, exist_ok=True)
    async with database.engine.begin() as conn:
        for head in ("0003_loop", "0003_safeguarding", "0003_staff"):
            await conn.run_sync(_alembic, "upgrade", head)
        for pid, number in PEOPLE.items():
            await conn.execute(text(
                "INSERT INTO participants (id, pseudonym, channel, stopped, created_at, last_seen_at) "
                "VALUES (:id, :p, 'sms', false, :now, :now)"), {"id": pid, "p": f"p{pid}", "now": NOW})
            await conn.execute(text(
                "INSERT INTO vault_entries (participant_id, sealed, created_at) VALUES (:id, :s, :now)"),
                {"id": pid, "s": _seal_v1(number), "now": NOW})
        await conn.execute(text(
            "INSERT INTO safeguarding_alerts (id, level, kind, rules, channel, participant_id, created_at, status, "
            "notice_due_at, notice_attempts) VALUES (1, 'urgent', 'callback', '[]', 'sms', 1, :now, 'open', :now, 0)"),
            {"now": NOW})
        await conn.execute(text(
            "INSERT INTO safeguarding_callback_numbers (alert_id, participant_id, sealed) VALUES (1, 1, :s)"),
            {"s": _seal_v1("+447700900333")})
    return database


async def _sealed(database: Database) -> tuple[dict[int, bytes], bytes]:
    async with database.engine.connect() as conn:
        vault = {r.participant_id: bytes(r.sealed) for r in await conn.execute(
            text("SELECT participant_id, sealed FROM vault_entries"))}
        callback = bytes((await conn.execute(text("SELECT sealed FROM safeguarding_callback_numbers"))).scalar_one())
    return vault, callback


async def test_the_upgrade_reseals_every_entry_bound_to_its_participant(empty_database_url) -> None:
    database = await _database_before_0004(empty_database_url)
    try:
        await database.migrate(vault_key=KEYS.vault_key)
        entries, callback = await _sealed(database)
        vault = Vault(KEYS)
        for pid, number in PEOPLE.items():
            assert vault.open(entries[pid], participant_id=pid) == number
        assert vault.open(callback, participant_id=1, purpose="callback") == "+447700900333"
        # Someone with write access copies person 2's sealed address onto person 1: it no longer opens.
        with pytest.raises(VaultError):
            vault.open(entries[2], participant_id=1)
        with pytest.raises(VaultError):
            vault.open(callback, participant_id=1)  # a call-back number is not an address, either
    finally:
        await database.dispose()


async def test_without_the_key_the_upgrade_stops_and_changes_nothing(empty_database_url, monkeypatch) -> None:
    monkeypatch.delenv("SAID_SECRET_KEY", raising=False)
    database = await _database_before_0004(empty_database_url)
    try:
        before = await _sealed(database)
        with pytest.raises(RuntimeError, match="SAID_SECRET_KEY"):
            await database.migrate()
        assert await _sealed(database) == before
        await database.migrate(vault_key=KEYS.vault_key)  # and with it, it goes through
    finally:
        await database.dispose()


async def test_downgrade_unbinds_them_again(empty_database_url) -> None:
    database = await _database_before_0004(empty_database_url)
    try:
        await database.migrate(vault_key=KEYS.vault_key)
        async with database.engine.begin() as conn:
            await conn.run_sync(_alembic, "downgrade", "0003_staff", vault_key=KEYS.vault_key)
        entries, _ = await _sealed(database)
        assert all(sealed[:1] == b"\x01" for sealed in entries.values())
        assert Vault(KEYS).open_unbound(entries[1]) == PEOPLE[1]
    finally:
        await database.dispose()
