"""Security: one-time unlock links for staff sign-in, and vault entries bound to their participant.

Vault entries and call-back numbers were sealed with a constant associated data (format 1), so a sealed
address could be moved onto another participant's row and still open. This re-seals every one of them
(format 2) with associated data naming its participant and purpose, in the same transaction as the
rest, so an interrupted upgrade leaves everything as it was.

Re-sealing needs the vault key: the app passes it in (`Database.migrate(vault_key=...)`); the `alembic`
command line derives it from SAID_SECRET_KEY. With entries to re-seal and no key, the upgrade stops and
says so. The crypto is written out here, not imported, so this migration keeps meaning what it means
whatever the app's code becomes.

Revision ID: 0004_security
Revises: 0003_staff (call-back numbers come from 0003_safeguarding, a parallel head: on a database
where that table is not there yet it has nothing to re-seal, and is skipped)
Create Date: 2026-12-05
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from alembic import context, op
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

revision = "0004_security"
down_revision = "0003_staff"
branch_labels = None
depends_on = None

_HKDF_SALT = b"said-and-done/keys/v1"
_VAULT_INFO = b"vault"
_V1, _V2 = b"\x01", b"\x02"
_V1_AAD = b"said-and-done/vault/v1"
_NONCE = 12
# (table, key column, purpose) of every sealed column.
_SEALED = (
    ("vault_entries", "participant_id", "address"),
    ("safeguarding_callback_numbers", "alert_id", "callback"),
)


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _v2_aad(purpose: str, participant_id: int) -> bytes:
    return f"said-and-done/vault/v2:{purpose}:{int(participant_id)}".encode()


def _vault_key() -> bytes | None:
    given = context.config.attributes.get("vault_key")
    if given:
        return given
    secret = os.environ.get("SAID_SECRET_KEY", "").strip()
    if not secret:
        return None
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=_HKDF_SALT, info=_VAULT_INFO).derive(secret.encode())


def _reseal(upgrade: bool) -> None:
    """Format 1 -> 2 (upgrade) or 2 -> 1 (downgrade) for every sealed column."""
    conn = op.get_bind()
    present = set(sa.inspect(conn).get_table_names())
    key = None
    for table, key_column, purpose in _SEALED:
        if table not in present:
            continue
        rows = conn.execute(
            sa.text(f"SELECT {key_column} AS k, participant_id AS p, sealed AS s FROM {table}")  # noqa: S608
        ).all()
        todo = [row for row in rows if bytes(row.s)[:1] == (_V1 if upgrade else _V2)]
        if not todo:
            continue
        key = key or _vault_key()
        if key is None:
            raise RuntimeError(
                "0004_security re-seals the contact vault and needs the secret key: set SAID_SECRET_KEY (the "
                "same one the service runs with) and run the upgrade again. Nothing was changed."
            )
        aead = AESGCM(key)
        for row in todo:
            sealed = bytes(row.s)
            nonce, body = sealed[1 : 1 + _NONCE], sealed[1 + _NONCE :]
            old_aad, new_aad, form = (
                (_V1_AAD, _v2_aad(purpose, row.p), _V2) if upgrade
                else (_v2_aad(purpose, row.p), _V1_AAD, _V1)
            )
            # A wrong key raises here, and the whole upgrade is rolled back: no entry is lost.
            plain = aead.decrypt(nonce, body, old_aad)
            fresh_nonce = os.urandom(_NONCE)
            resealed = form + fresh_nonce + aead.encrypt(fresh_nonce, plain, new_aad)
            conn.execute(
                sa.text(f"UPDATE {table} SET sealed = :sealed WHERE {key_column} = :key"),  # noqa: S608
                {"sealed": resealed, "key": row.k},
            )


def upgrade() -> None:
    op.create_table(
        "staff_unlock_links",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        _ts("created_at"),
        _ts("expires_at"),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff_users.id"], name="fk_staff_unlock_links_staff_id_staff_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("token_hash", name="pk_staff_unlock_links"),
    )
    op.create_index("ix_staff_unlock_links_staff_id", "staff_unlock_links", ["staff_id"])
    _reseal(upgrade=True)


def downgrade() -> None:
    _reseal(upgrade=False)
    op.drop_index("ix_staff_unlock_links_staff_id", table_name="staff_unlock_links")
    op.drop_table("staff_unlock_links")
