"""Web chat turns as rows: an answer adds a row or two instead of rewriting the whole transcript.

Every turn of every stored transcript moves to `web_turns`, in its order, whole (the row keeps the turn's
JSON as it was); then `web_sessions.transcript` goes. Downgrading puts each chat's last 50 turns back into
the column, which is all the old code kept.

Revision ID: 0005_web_turns
Revises: 0004_perf
Create Date: 2026-12-06
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005_web_turns"
down_revision = "0004_perf"
branch_labels = None
depends_on = None

KEPT_BEFORE = 50  # turns the transcript column held
_BATCH = 500

_sessions = sa.table(
    "web_sessions",
    sa.column("token_hash", sa.String()),
    sa.column("last_seen_at", sa.DateTime(timezone=True)),
    sa.column("transcript", sa.JSON(none_as_null=True)),
)
_turns = sa.table(
    "web_turns",
    sa.column("id", sa.Integer()),
    sa.column("token_hash", sa.String()),
    sa.column("who", sa.String()),
    sa.column("n", sa.Integer()),
    sa.column("turn", sa.JSON(none_as_null=True)),
    sa.column("added_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    op.create_table(
        "web_turns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("who", sa.String(length=8), nullable=False),
        sa.Column("n", sa.Integer(), nullable=True),
        sa.Column("turn", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("who IN ('bot', 'person')", name="ck_web_turns_who"),
        sa.ForeignKeyConstraint(
            ["token_hash"],
            ["web_sessions.token_hash"],
            ondelete="CASCADE",
            name="fk_web_turns_token_hash_web_sessions",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_web_turns"),
        sa.UniqueConstraint("token_hash", "who", "n", name="uq_web_turns_token_hash_who_n"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_web_turns_token_hash_id", "web_turns", ["token_hash", "id"])
    _move_transcripts_to_rows(op.get_bind())
    with op.batch_alter_table("web_sessions") as batch:
        batch.drop_column("transcript")


def downgrade() -> None:
    with op.batch_alter_table("web_sessions") as batch:
        batch.add_column(sa.Column("transcript", sa.JSON(none_as_null=True), nullable=True))
    _move_rows_to_transcripts(op.get_bind())
    with op.batch_alter_table("web_sessions") as batch:
        batch.alter_column("transcript", existing_type=sa.JSON(none_as_null=True), nullable=False)
    op.drop_index("ix_web_turns_token_hash_id", table_name="web_turns")
    op.drop_table("web_turns")


def _move_transcripts_to_rows(bind: sa.Connection) -> None:
    rows: list[dict[str, Any]] = []
    sessions = bind.execute(sa.select(_sessions.c.token_hash, _sessions.c.last_seen_at, _sessions.c.transcript))
    for token_hash, last_seen_at, transcript in sessions.all():
        numbered: set[tuple[str, int]] = set()
        for turn in transcript or ():
            if not isinstance(turn, dict) or turn.get("who") not in ("bot", "person"):
                raise RuntimeError("a stored web chat turn has no speaker; the migration stops rather than lose it")
            n = _number(turn.get("n"))
            if n is not None and (turn["who"], n) in numbered:
                n = None  # a repeat from before turns were de-duplicated: kept whole, its number stays in its JSON
            if n is not None:
                numbered.add((turn["who"], n))
            # When each turn was said was never stored: the chat's last activity is the closest we know.
            rows.append({"token_hash": token_hash, "who": turn["who"], "n": n, "turn": turn, "added_at": last_seen_at})
            if len(rows) >= _BATCH:
                bind.execute(sa.insert(_turns), rows)
                rows = []
    if rows:
        bind.execute(sa.insert(_turns), rows)


def _move_rows_to_transcripts(bind: sa.Connection) -> None:
    transcripts: dict[str, list[dict[str, Any]]] = {}
    turns = bind.execute(sa.select(_turns.c.token_hash, _turns.c.turn).order_by(_turns.c.token_hash, _turns.c.id))
    for token_hash, turn in turns:
        transcripts.setdefault(token_hash, []).append(turn)
    for token_hash in bind.execute(sa.select(_sessions.c.token_hash)).scalars().all():
        kept = transcripts.get(token_hash, [])[-KEPT_BEFORE:]
        bind.execute(sa.update(_sessions).where(_sessions.c.token_hash == token_hash).values(transcript=kept))


def _number(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None
