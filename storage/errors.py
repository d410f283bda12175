"""Errors the storage layer lets callers see, and the one place database failures are translated.

Callers answer a person kindly when the database is briefly unavailable, so they need one exception type
for "try again soon" that never carries SQL, parameters or addresses in its message.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

from sqlalchemy import exc as sa_exc

P = ParamSpec("P")
R = TypeVar("R")


class StorageError(Exception):
    """Base class for errors raised by `storage`."""


class StorageUnavailable(StorageError):
    """The database could not be reached or was busy; the same call may work a moment later."""


class DuplicateInbound(StorageError):
    """Another request already recorded this provider message id (a retried or concurrent webhook)."""


def _asyncpg_connection_errors() -> tuple[type[BaseException], ...]:
    try:
        import asyncpg  # only installed alongside PostgreSQL support
    except ImportError:  # pragma: no cover - asyncpg is a declared dependency
        return ()
    return (
        asyncpg.exceptions.PostgresConnectionError,
        asyncpg.exceptions.CannotConnectNowError,
        asyncpg.exceptions.TooManyConnectionsError,
        asyncpg.exceptions.InterfaceError,
    )


_TRANSIENT: tuple[type[BaseException], ...] = (
    sa_exc.OperationalError,  # SQLite "database is locked", PostgreSQL deadlock, lost connection …
    sa_exc.InterfaceError,
    sa_exc.TimeoutError,  # the connection pool had nothing free in time
    OSError,  # connection refused or reset before SQLAlchemy could wrap it
    TimeoutError,
    *_asyncpg_connection_errors(),
)


def is_transient(error: BaseException) -> bool:
    if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, _TRANSIENT)


@contextmanager
def translated() -> Iterator[None]:
    """Turn a transient database failure into `StorageUnavailable`.

    The original exception is dropped (`from None`) because its text can include SQL and bound values; the
    class name is enough to tell a lock timeout from a refused connection in a log line.
    """
    try:
        yield
    except Exception as error:
        if is_transient(error):
            raise StorageUnavailable(
                f"the database is unavailable just now ({type(error).__name__})"
            ) from None
        raise


def translating(function: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """Decorate an async database call so transient failures surface as `StorageUnavailable`."""

    @functools.wraps(function)
    async def call(*args: P.args, **kwargs: P.kwargs) -> R:
        with translated():
            return await function(*args, **kwargs)

    return call
