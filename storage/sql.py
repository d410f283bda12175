"""Small SQL helpers shared by the query modules."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

MAX_PROVIDER_ID = 128


def upsert_insert(conn: AsyncConnection, table: Any) -> Any:
    """An INSERT that accepts `on_conflict_do_nothing` / `on_conflict_do_update` on either database."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    if conn.dialect.name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"no upsert for the {conn.dialect.name} database")


def is_postgres(conn: AsyncConnection) -> bool:
    return conn.dialect.name == "postgresql"


def fit_provider_id(provider_id: str) -> str:
    """Provider ids longer than the column are replaced by a hash: stable, unique and short enough."""
    if len(provider_id) <= MAX_PROVIDER_ID:
        return provider_id
    return "sha256:" + hashlib.sha256(provider_id.encode("utf-8")).hexdigest()
