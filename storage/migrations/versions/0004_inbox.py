"""The inbox: cases (a person and the team talking through the bot), their messages and themes.

Written by hand to match storage/cases/tables.py; tests/storage/test_storage_migrations.py checks there is
no drift. Builds on 0003_staff (owners and replies name staff accounts); the safeguarding alert a case
shares words with is kept as a plain id, so this does not depend on 0003_safeguarding.

Revision ID: 0004_inbox
Revises: 0003_staff
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_inbox"
down_revision = "0003_staff"
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("language", sa.String(16), nullable=True),
        sa.Column("pack_id", sa.String(40), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("handover", sa.Boolean(), nullable=False),
        sa.Column("callback_wanted", sa.Boolean(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("alert_id", sa.Integer(), nullable=True),
        _ts("opened_at"),
        _ts("waiting_since", nullable=True),
        _ts("last_inbound_at", nullable=True),
        _ts("last_reply_at", nullable=True),
        _ts("closed_at", nullable=True),
        sa.Column("closed_by", sa.Integer(), nullable=True),
        _ts("notice_due_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_cases"),
        sa.CheckConstraint(
            "status IN ('new', 'waiting_us', 'waiting_them', 'closed')", name="ck_cases_status"
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participants.id"], ondelete="SET NULL", name="fk_cases_participant_id_participants"
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["staff_users.id"], ondelete="SET NULL", name="fk_cases_owner_id_staff_users"
        ),
        sa.ForeignKeyConstraint(
            ["closed_by"], ["staff_users.id"], ondelete="SET NULL", name="fk_cases_closed_by_staff_users"
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_cases_participant_id", "cases", ["participant_id"])
    op.create_index("ix_cases_status_waiting_since", "cases", ["status", "waiting_since"])
    op.create_index("ix_cases_notice_due_at", "cases", ["notice_due_at"])

    op.create_table(
        "case_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("media", sa.String(40), nullable=True),
        sa.Column("feedback_id", sa.Integer(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("author", sa.String(254), nullable=True),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        _ts("at"),
        sa.PrimaryKeyConstraint("id", name="pk_case_messages"),
        sa.CheckConstraint("direction IN ('in', 'out')", name="ck_case_messages_direction"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], ondelete="CASCADE", name="fk_case_messages_case_id_cases"
        ),
        sa.ForeignKeyConstraint(
            ["feedback_id"], ["feedback.id"], ondelete="SET NULL", name="fk_case_messages_feedback_id_feedback"
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff_users.id"], ondelete="SET NULL", name="fk_case_messages_staff_id_staff_users"
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_case_messages_case_id", "case_messages", ["case_id"])

    op.create_table(
        "case_themes",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("theme", sa.String(60), nullable=False),
        sa.PrimaryKeyConstraint("case_id", "theme", name="pk_case_themes"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], ondelete="CASCADE", name="fk_case_themes_case_id_cases"
        ),
    )
    op.create_index("ix_case_themes_theme", "case_themes", ["theme"])


def downgrade() -> None:
    op.drop_table("case_themes")
    op.drop_table("case_messages")
    op.drop_table("cases")
