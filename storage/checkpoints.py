"""SQLite's WAL copied back into the database file by a thread of its own, never by a write on the event loop.

With WAL, SQLite moves the log back into the database file (a checkpoint) when a commit finds the log past
1,000 pages, and that commit pays for it: the pages copied and, with synchronous=NORMAL, the file synced.
Statements on the message path run inline on the event loop (storage/inline.py), so one message in a few
hundred held every other person for the checkpoint, 4 to 20 ms on the bench machine: a share of the p99 at a
steady 200 texts a second. The inline connections therefore never checkpoint (wal_autocheckpoint=0), and this
thread runs a PASSIVE checkpoint once a second on its own connection: it copies what no reader still needs
and waits for nobody, so writers and readers carry on meanwhile.

If the thread is not running (a short command-line process), SQLite still checkpoints when the last
connection to the file closes, and the async engine's connections (worker threads, off the loop) keep
SQLite's own automatic checkpoints.
"""

from __future__ import annotations

import logging
import sqlite3
import threading

log = logging.getLogger("said.storage")

INTERVAL_SECONDS = 1.0


class Checkpointer:
    """A daemon thread checkpointing one SQLite file every `interval` seconds until `stop()`."""

    def __init__(self, path: str, *, interval: float = INTERVAL_SECONDS, busy_timeout_ms: int = 5000) -> None:
        self.path = path
        self.interval = interval
        self.busy_timeout_ms = busy_timeout_ms
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._stopping.clear()
            self._thread = threading.Thread(target=self._run, name="said-sqlite-checkpoint", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def checkpoint(self) -> tuple[int, int, int]:
        """One PASSIVE checkpoint now: (busy, pages in the log, pages copied), as SQLite reports them."""
        connection = sqlite3.connect(self.path, timeout=self.busy_timeout_ms / 1000, isolation_level=None)
        try:
            return _checkpoint(connection)
        finally:
            connection.close()

    def _run(self) -> None:
        connection = sqlite3.connect(self.path, timeout=self.busy_timeout_ms / 1000, isolation_level=None)
        try:
            while not self._stopping.wait(self.interval):
                try:
                    _checkpoint(connection)
                except sqlite3.Error as error:  # a locked file or a full disk: try again next time
                    log.warning("SQLite checkpoint failed (%s); trying again in %.0f s", error, self.interval)
        finally:
            connection.close()


def _checkpoint(connection: sqlite3.Connection) -> tuple[int, int, int]:
    row = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return (int(row[0]), int(row[1]), int(row[2]))
