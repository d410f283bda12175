"""The first schema: participants, vault, consents, submissions, answers, feedback, inbound ids,
outbox and web sessions.

Written by hand to match storage/models.py; tests/storage/test_migrations.py checks there is no drift.

Revision ID: 0001
Revises:
Create Date: 2025-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _json(name: str, nullable: bool) -> sa.Column:
    return sa.Column(name, sa.JSON(none_as_null=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pseudonym", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("language", sa.String(16), nullable=True),
        sa.Column("stopped", sa.Boolean(), nullable=False),
        _ts("stopped_at", nullable=True),
        _json("conversation", nullable=True),
        _ts("created_at"),
        _ts("last_seen_at"),
        sa.PrimaryKeyConstraint("id", name="pk_participants"),
        sa.UniqueConstraint("pseudonym", name="uq_participants_pseudonym"),
        sqlite_autoincrement=True,
    )

    op.create_table(
        "vault_entries",
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        _ts("created_at"),
        _ts("expires_at", nullable=True),
        sa.PrimaryKeyConstraint("participant_id", name="pk_vault_entries"),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            ondelete="CASCADE",
            name="fk_vault_entries_participant_id_participants",
        ),
    )
    op.create_index("ix_vault_entries_expires_at", "vault_entries", ["expires_at"])

    op.create_table(
        "consents",
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(32), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        _ts("changed_at"),
        sa.PrimaryKeyConstraint("participant_id", "purpose", name="pk_consents"),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            ondelete="CASCADE",
            name="fk_consents_participant_id_participants",
        ),
        sa.CheckConstraint(
            "purpose IN ('hear_back', 'updates', 'involvement', 'checkins')", name="ck_consents_purpose"
        ),
    )

    op.create_table(
        "submissions",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("pack_id", sa.String(40), nullable=False),
        sa.Column("pack_version", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        _ts("started_at"),
        _ts("finished_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_submissions"),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            ondelete="SET NULL",
            name="fk_submissions_participant_id_participants",
        ),
        sa.CheckConstraint("status IN ('open', 'completed', 'abandoned')", name="ck_submissions_status"),
    )
    op.create_index("ix_submissions_participant_id", "submissions", ["participant_id"])
    op.create_index("ix_submissions_pack_id", "submissions", ["pack_id"])

    op.create_table(
        "answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.String(36), nullable=False),
        sa.Column("question_id", sa.String(40), nullable=False),
        sa.Column("value", sa.String(100), nullable=True),
        sa.Column("number", sa.Float(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("skipped", sa.Boolean(), nullable=False),
        _ts("answered_at"),
        sa.PrimaryKeyConstraint("id", name="pk_answers"),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            ondelete="CASCADE",
            name="fk_answers_submission_id_submissions",
        ),
        sa.UniqueConstraint("submission_id", "question_id", name="uq_answers_submission_id_question_id"),
        sqlite_autoincrement=True,
    )

    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("media", sa.String(40), nullable=True),
        sa.Column("pack_id", sa.String(40), nullable=True),
        _ts("received_at"),
        sa.PrimaryKeyConstraint("id", name="pk_feedback"),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            ondelete="SET NULL",
            name="fk_feedback_participant_id_participants",
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_feedback_participant_id", "feedback", ["participant_id"])
    op.create_index("ix_feedback_received_at", "feedback", ["received_at"])

    op.create_table(
        "inbound_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("provider_id", sa.String(128), nullable=False),
        _ts("received_at"),
        _json("reply", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_inbound_messages"),
        sa.UniqueConstraint("channel", "provider_id", name="uq_inbound_messages_channel_provider_id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_inbound_messages_received_at", "inbound_messages", ["received_at"])

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        _json("payload", nullable=False),
        sa.Column("direct_reply", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        _ts("next_attempt_at"),
        sa.Column("claimed_by", sa.String(128), nullable=True),
        _ts("lease_until", nullable=True),
        sa.Column("provider_id", sa.String(128), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("segments", sa.Integer(), nullable=True),
        sa.Column("encoding", sa.String(16), nullable=True),
        _ts("created_at"),
        _ts("sent_at", nullable=True),
        _ts("status_changed_at"),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            ondelete="CASCADE",
            name="fk_outbox_participant_id_participants",
        ),
        sa.CheckConstraint(
            "kind IN ('reply', 'broadcast', 'followup', 'reminder', 'alert')", name="ck_outbox_kind"
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'delivered', 'failed', 'cancelled')",
            name="ck_outbox_status",
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_outbox_status_next_attempt_at", "outbox", ["status", "next_attempt_at"])
    op.create_index("ix_outbox_provider_id", "outbox", ["provider_id"])
    op.create_index("ix_outbox_participant_id", "outbox", ["participant_id"])

    op.create_table(
        "web_sessions",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        _ts("created_at"),
        _ts("last_seen_at"),
        _ts("expires_at"),
        _json("transcript", nullable=False),
        sa.PrimaryKeyConstraint("token_hash", name="pk_web_sessions"),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            ondelete="CASCADE",
            name="fk_web_sessions_participant_id_participants",
        ),
    )
    op.create_index("ix_web_sessions_participant_id", "web_sessions", ["participant_id"])
    op.create_index("ix_web_sessions_expires_at", "web_sessions", ["expires_at"])


def downgrade() -> None:
    for table in (
        "web_sessions",
        "outbox",
        "inbound_messages",
        "feedback",
        "answers",
        "submissions",
        "consents",
        "vault_entries",
        "participants",
    ):
        op.drop_table(table)
