"""Scheduler ticks: each scheduled job runs once a tick across every process on the database.

Written by hand to match storage/scheduling/tables.py; tests/storage/test_storage_migrations.py checks there
is no drift.

Revision ID: 0004_perf
Revises: 0003_loop
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_perf"
down_revision = "0003_loop"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scheduler_ticks",
        sa.Column("job", sa.String(length=64), nullable=False),
        sa.Column("tick", sa.BigInteger(), nullable=False),
        sa.Column("first_tick", sa.BigInteger(), nullable=False),
        sa.Column("runs", sa.BigInteger(), nullable=False),
        sa.Column("claimed_by", sa.String(length=128), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("job", name="pk_scheduler_ticks"),
    )


def downgrade() -> None:
    op.drop_table("scheduler_ticks")
