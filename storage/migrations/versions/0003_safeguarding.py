"""Safeguarding: alerts for the duty team, and numbers people gave for a call back.

Written by hand to match storage/safeguarding/tables.py; tests/storage/test_storage_migrations.py checks
there is no drift. Staff ids are kept without a foreign key so this branch does not depend on 0003_staff;
the audit log keeps who did what by name.

Revision ID: 0003_safeguarding
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_safeguarding"
down_revision = "0002"
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "safeguarding_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("rules", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("place", sa.String(40), nullable=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("language", sa.String(16), nullable=True),
        sa.Column("pack_id", sa.String(40), nullable=True),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("submission_id", sa.String(36), nullable=True),
        sa.Column("question_id", sa.String(40), nullable=True),
        sa.Column("feedback_id", sa.Integer(), nullable=True),
        _ts("created_at"),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("acknowledged_by", sa.Integer(), nullable=True),
        _ts("acknowledged_at", nullable=True),
        sa.Column("closed_by", sa.Integer(), nullable=True),
        _ts("closed_at", nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        _ts("notice_due_at", nullable=True),
        _ts("notice_lease_until", nullable=True),
        sa.Column("notice_attempts", sa.Integer(), nullable=False),
        _ts("emailed_at", nullable=True),
        _ts("messaged_at", nullable=True),
        sa.Column("notice_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_safeguarding_alerts"),
        sa.CheckConstraint("kind IN ('risk', 'callback')", name="ck_safeguarding_alerts_kind"),
        sa.CheckConstraint("level IN ('urgent', 'concern')", name="ck_safeguarding_alerts_level"),
        sa.CheckConstraint(
            "status IN ('open', 'acknowledged', 'closed')", name="ck_safeguarding_alerts_status"
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participants.id"], ondelete="SET NULL",
            name="fk_safeguarding_alerts_participant_id_participants",
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"], ["submissions.id"], ondelete="SET NULL",
            name="fk_safeguarding_alerts_submission_id_submissions",
        ),
        sa.ForeignKeyConstraint(
            ["feedback_id"], ["feedback.id"], ondelete="SET NULL",
            name="fk_safeguarding_alerts_feedback_id_feedback",
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_safeguarding_alerts_status_created_at", "safeguarding_alerts", ["status", "created_at"]
    )
    op.create_index("ix_safeguarding_alerts_participant_id", "safeguarding_alerts", ["participant_id"])
    op.create_index("ix_safeguarding_alerts_notice_due_at", "safeguarding_alerts", ["notice_due_at"])

    op.create_table(
        "safeguarding_callback_numbers",
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("alert_id", name="pk_safeguarding_callback_numbers"),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["safeguarding_alerts.id"], ondelete="CASCADE",
            name="fk_safeguarding_callback_numbers_alert_id_safeguarding_alerts",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participants.id"], ondelete="CASCADE",
            name="fk_safeguarding_callback_numbers_participant_id_participants",
        ),
    )
    op.create_index(
        "ix_safeguarding_callback_numbers_participant_id", "safeguarding_callback_numbers", ["participant_id"]
    )


def downgrade() -> None:
    op.drop_table("safeguarding_callback_numbers")
    op.drop_table("safeguarding_alerts")
