"""SQLite's WAL checkpoints, done by a thread of their own instead of inside a commit on the event loop.

In WAL mode a commit appends to the `-wal` file, and by default the commit that takes the file past 1,000
pages also copies them all into the database file and syncs it to disk: a checkpoint. Our statements run
inline on the event loop (storage/inline.py), so that one commit held every request for as long as the
disk took: 15 to 90 ms on the shared 2-core machine, against 0.2 ms for an ordinary commit, and it was
most of the web chat's p99 on SQLite (`python -m bench.profile_webchat` and the loop-lag probe showed it).
So the inline connections never checkpoint (`wal_autocheckpoint=0`) and this thread does it instead, a
few times a second: a PASSIVE checkpoint takes no lock that a reader or writer waits for, and the disk
sync it does happens off the loop. Durability is unchanged (`synchronous=NORMAL` with WAL, as before).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

log = logging.getLogger("said.storage")

INTERVAL_SECONDS = 0.25
# A PASSIVE checkpoint never waits, so under a steady stream of writes it never finds the WAL all copied at
# the moment a writer starts, which is when SQLite starts the file over: the WAL would grow for ever. Past
# this many pages (16 MB at 4 KiB) a RESTART checkpoint holds new writers back (they wait in a thread:
# storage/inline.py) while it copies what the last pass left, little by then, and starts the file over.
RESTART_AT_FRAMES = 4000
# The RESTART does not wait: with a busy timeout SQLite's busy handler held every writer back while it
# waited, in steps of up to 100 ms, for the readers of the moment to finish (200-400 ms stalls at a steady
# 200 texts a second). Without one it takes the write lock only when it is free, copies what is left, and
# gives up at once if a reader still reads the log; the next pass, a quarter of a second later, tries again.
RESTART_BUSY_TIMEOUT_MS = 0
BUSY_TIMEOUT_MS = 2000  # how long the connection's other statements may wait for a lock


class Checkpointer:
    """A daemon thread that checkpoints the WAL of the SQLite file at `path` until `stop()`."""

    def __init__(self, path: Path, *, interval: float = INTERVAL_SECONDS) -> None:
        self.path = path
        self.interval = interval
        self.checkpoints = 0  # completed passes, for tests and curiosity
        self.restarts = 0
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="said-sqlite-checkpoint", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        connection: sqlite3.Connection | None = None
        while not self._stopping.wait(self.interval):
            try:
                if connection is None:
                    if not self.path.exists():
                        continue  # not made yet (the first migration makes it)
                    connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
                    connection.execute("PRAGMA journal_mode=WAL")
                _, frames, _ = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                if frames >= RESTART_AT_FRAMES and self._restart(connection):
                    self.restarts += 1
                self.checkpoints += 1
            except sqlite3.Error as error:  # a busy moment or a file being replaced: try again next time
                log.debug("WAL checkpoint skipped: %s", type(error).__name__)
                if connection is not None:
                    connection.close()
                    connection = None
        if connection is not None:
            connection.close()

    @staticmethod
    def _restart(connection: sqlite3.Connection) -> bool:
        """A RESTART checkpoint that waits for nobody: True when the log was started over."""
        connection.execute(f"PRAGMA busy_timeout={RESTART_BUSY_TIMEOUT_MS}")
        try:
            busy, _, _ = connection.execute("PRAGMA wal_checkpoint(RESTART)").fetchone()
        finally:
            connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        return int(busy) == 0
