"""Staff console: accounts, sessions, sign-in failures, audit log, comment tags, broadcasts.

Written by hand to match storage/staff/tables.py; tests/storage/test_storage_migrations.py checks there
is no drift.

Revision ID: 0003_staff
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_staff"
down_revision = "0002"
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "staff_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("must_change_password", sa.Boolean(), nullable=False),
        _ts("created_at"),
        _ts("last_sign_in_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_staff_users"),
        sa.UniqueConstraint("email", name="uq_staff_users_email"),
        sa.CheckConstraint("role IN ('admin', 'staff', 'safeguarding_lead')", name="ck_staff_users_role"),
        sqlite_autoincrement=True,
    )

    op.create_table(
        "staff_sessions",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        _ts("created_at"),
        _ts("last_seen_at"),
        _ts("expires_at"),
        sa.PrimaryKeyConstraint("token_hash", name="pk_staff_sessions"),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff_users.id"], ondelete="CASCADE", name="fk_staff_sessions_staff_id_staff_users"
        ),
    )
    op.create_index("ix_staff_sessions_staff_id", "staff_sessions", ["staff_id"])
    op.create_index("ix_staff_sessions_expires_at", "staff_sessions", ["expires_at"])

    op.create_table(
        "staff_login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email_key", sa.String(64), nullable=False),
        sa.Column("ip_key", sa.String(64), nullable=False),
        _ts("at"),
        sa.PrimaryKeyConstraint("id", name="pk_staff_login_failures"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_staff_login_failures_email_key_at", "staff_login_failures", ["email_key", "at"])
    op.create_index("ix_staff_login_failures_ip_key_at", "staff_login_failures", ["ip_key", "at"])

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        _ts("at"),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(254), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(200), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff_users.id"], ondelete="SET NULL", name="fk_audit_log_staff_id_staff_users"
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_staff_id", "audit_log", ["staff_id"])
    op.create_index("ix_audit_log_action", "audit_log", ["action"])

    op.create_table(
        "comment_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=True),
        sa.Column("feedback_id", sa.Integer(), nullable=True),
        sa.Column("theme", sa.String(60), nullable=False),
        sa.Column("tagged_by", sa.Integer(), nullable=True),
        _ts("tagged_at"),
        sa.PrimaryKeyConstraint("id", name="pk_comment_tags"),
        sa.ForeignKeyConstraint(
            ["answer_id"], ["answers.id"], ondelete="CASCADE", name="fk_comment_tags_answer_id_answers"
        ),
        sa.ForeignKeyConstraint(
            ["feedback_id"], ["feedback.id"], ondelete="CASCADE", name="fk_comment_tags_feedback_id_feedback"
        ),
        sa.ForeignKeyConstraint(
            ["tagged_by"], ["staff_users.id"], ondelete="SET NULL", name="fk_comment_tags_tagged_by_staff_users"
        ),
        sa.UniqueConstraint("answer_id", "theme", name="uq_comment_tags_answer_id_theme"),
        sa.UniqueConstraint("feedback_id", "theme", name="uq_comment_tags_feedback_id_theme"),
        sa.CheckConstraint("(answer_id IS NULL) <> (feedback_id IS NULL)", name="ck_comment_tags_one_target"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_comment_tags_theme", "comment_tags", ["theme"])

    op.create_table(
        "broadcasts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("texts", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("audience", sa.String(16), nullable=False),
        sa.Column("audience_value", sa.String(40), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        _ts("send_at"),
        sa.Column("created_by", sa.Integer(), nullable=True),
        _ts("created_at"),
        _ts("updated_at"),
        _ts("planned_at", nullable=True),
        sa.Column("recipients", sa.Integer(), nullable=True),
        sa.Column("over_cap", sa.Integer(), nullable=True),
        sa.Column("first_outbox_id", sa.Integer(), nullable=True),
        sa.Column("last_outbox_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_broadcasts"),
        sa.ForeignKeyConstraint(
            ["created_by"], ["staff_users.id"], ondelete="SET NULL", name="fk_broadcasts_created_by_staff_users"
        ),
        sa.CheckConstraint("status IN ('scheduled', 'planned', 'cancelled')", name="ck_broadcasts_status"),
        sa.CheckConstraint(
            "audience IN ('updates', 'pack', 'channel', 'checkins')", name="ck_broadcasts_audience"
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_broadcasts_status_send_at", "broadcasts", ["status", "send_at"])


def downgrade() -> None:
    for table in (
        "broadcasts",
        "comment_tags",
        "audit_log",
        "staff_login_failures",
        "staff_sessions",
        "staff_users",
    ):
        op.drop_table(table)
