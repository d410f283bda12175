"""You said, we did: themes, actions, follow-ups and invitations (loop_contacts), check-in schedules.

Written by hand to match storage/loop/tables.py; tests/storage/test_storage_migrations.py checks there
is no drift.

Revision ID: 0003_loop
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_loop"
down_revision = "0002"
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _json(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.JSON(none_as_null=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "loop_themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        _json("keywords"),
        sa.Column("created_by", sa.String(254), nullable=False),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_loop_themes"),
        sa.UniqueConstraint("name", name="uq_loop_themes_name"),
        sqlite_autoincrement=True,
    )

    op.create_table(
        "loop_theme_questions",
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("pack_id", sa.String(40), nullable=False),
        sa.Column("question_id", sa.String(40), nullable=False),
        _json("answer_values", nullable=True),
        sa.PrimaryKeyConstraint("theme_id", "pack_id", "question_id", name="pk_loop_theme_questions"),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["loop_themes.id"], ondelete="CASCADE", name="fk_loop_theme_questions_theme_id_loop_themes"
        ),
    )

    op.create_table(
        "loop_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        _json("you_said"),
        _json("we_did"),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("symbol", sa.String(40), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        _ts("published_at", nullable=True),
        sa.Column("created_by", sa.String(254), nullable=False),
        _ts("created_at"),
        _ts("updated_at"),
        sa.Column("raised_by", sa.Integer(), nullable=True),
        sa.Column("told", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_loop_actions"),
        sa.CheckConstraint(
            "status IN ('planned', 'in_progress', 'done', 'not_possible')", name="ck_loop_actions_status"
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_loop_actions_published_at", "loop_actions", ["published_at"])

    op.create_table(
        "loop_action_themes",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("action_id", "theme_id", name="pk_loop_action_themes"),
        sa.ForeignKeyConstraint(
            ["action_id"], ["loop_actions.id"], ondelete="CASCADE", name="fk_loop_action_themes_action_id_loop_actions"
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["loop_themes.id"], ondelete="CASCADE", name="fk_loop_action_themes_theme_id_loop_themes"
        ),
    )
    op.create_index("ix_loop_action_themes_theme_id", "loop_action_themes", ["theme_id"])

    op.create_table(
        "loop_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        _json("texts"),
        _json("next_step"),
        sa.Column("created_by", sa.String(254), nullable=False),
        _ts("created_at"),
        sa.Column("invited", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_loop_invitations"),
        sqlite_autoincrement=True,
    )

    op.create_table(
        "loop_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=True),
        sa.Column("invitation_id", sa.Integer(), nullable=True),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        _ts("planned_at"),
        sa.Column("batch", sa.String(32), nullable=False),
        sa.Column("answer", sa.String(8), nullable=True),
        _ts("answered_at", nullable=True),
        sa.Column("feedback_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_loop_contacts"),
        sa.ForeignKeyConstraint(
            ["action_id"], ["loop_actions.id"], ondelete="CASCADE", name="fk_loop_contacts_action_id_loop_actions"
        ),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["loop_invitations.id"],
            ondelete="CASCADE",
            name="fk_loop_contacts_invitation_id_loop_invitations",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            ondelete="SET NULL",
            name="fk_loop_contacts_participant_id_participants",
        ),
        sa.ForeignKeyConstraint(
            ["feedback_id"], ["feedback.id"], ondelete="SET NULL", name="fk_loop_contacts_feedback_id_feedback"
        ),
        sa.UniqueConstraint("action_id", "participant_id", name="uq_loop_contacts_action_id_participant_id"),
        sa.UniqueConstraint(
            "invitation_id", "participant_id", name="uq_loop_contacts_invitation_id_participant_id"
        ),
        sa.CheckConstraint("kind IN ('followup', 'invitation')", name="ck_loop_contacts_kind"),
        sa.CheckConstraint("answer IN ('up', 'down', 'more', 'yes', 'no')", name="ck_loop_contacts_answer"),
        sa.CheckConstraint("(action_id IS NULL) <> (invitation_id IS NULL)", name="ck_loop_contacts_one_subject"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_loop_contacts_participant_id", "loop_contacts", ["participant_id"])

    op.create_table(
        "loop_checkin_schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("pack_id", sa.String(40), nullable=False),
        sa.Column("cron", sa.String(120), nullable=False),
        _json("texts"),
        sa.Column("active", sa.Boolean(), nullable=False),
        _ts("next_run_at", nullable=True),
        _ts("last_run_at", nullable=True),
        sa.Column("last_count", sa.Integer(), nullable=True),
        sa.Column("updated_by", sa.String(254), nullable=False),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_loop_checkin_schedules"),
        sa.UniqueConstraint("name", name="uq_loop_checkin_schedules_name"),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_loop_checkin_schedules_active_next_run_at", "loop_checkin_schedules", ["active", "next_run_at"]
    )


def downgrade() -> None:
    for table in (
        "loop_checkin_schedules",
        "loop_contacts",
        "loop_invitations",
        "loop_action_themes",
        "loop_actions",
        "loop_theme_questions",
        "loop_themes",
    ):
        op.drop_table(table)
