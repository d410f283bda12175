"""Statements built once and reused, for the queries on every message's path.

Building a SQLAlchemy statement (`select(...).where(...)`, `update(...).values(...)`) and working out its
cache key cost about ten times what executing it costs on SQLite: measured at 400 µs against 46 µs for
the same SELECT on a busy 2-core machine. A statement built once, with `bindparam()` for every value that
changes, keeps its cache key, so SQLAlchemy finds the compiled SQL in its cache and goes straight to the
driver. The inbound path runs about ten statements a message, so this is most of its database time.

    _TOUCH = Prepared(lambda dialect: update(Participant).where(...).values(last_seen_at=bindparam("now")))
    await conn.execute(_TOUCH(conn), {"pseudonym": key, "now": now})

Statements that differ by database (INSERT … ON CONFLICT) are built once per dialect name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite


class Prepared:
    """A statement made by `build(dialect_name)` the first time a connection of that dialect asks."""

    __slots__ = ("_build", "_by_dialect")

    def __init__(self, build: Callable[[str], Any]) -> None:
        self._build = build
        self._by_dialect: dict[str, Any] = {}

    def __call__(self, conn: Any) -> Any:
        name: str = conn.dialect.name
        statement = self._by_dialect.get(name)
        if statement is None:
            statement = self._by_dialect[name] = self._build(name)
        return statement


def upsert_for(dialect: str, table: Any) -> Any:
    """`storage.sql.upsert_insert` by dialect name, for statements built before any connection exists."""
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"no upsert for the {dialect} database")
