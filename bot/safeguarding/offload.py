"""Risk detection for long messages away from the event loop, so one crafted message cannot hold up everyone.

Detection is pure Python and its cost grows with the text: an ordinary message takes a millisecond or two,
but a crafted 4,000-character one took up to 640 ms, and on the event loop every other person waits that
long. Messages up to `INLINE_UP_TO` characters (nearly every text message) are read inline; longer ones go
to a worker process of their own, which loads the same lists once at start-up, and the event loop keeps
answering everyone else meanwhile (a thread would not do: the GIL would still hold the loop up).

    pool = DetectionPool(prompts_dir, processes=1)
    finding = await pool.detect(detector, text)      # inline when short, in the worker when long
    pool.close()

A worker that died or is slow to answer is not a reason to skip safeguarding: the message is then read in a
thread of this process (off the loop between GIL switches), and the pool is started again for the next one.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from bot.safeguarding.detect import Detector
from bot.safeguarding.finding import Finding
from bot.safeguarding.loading import load_safeguarding

log = logging.getLogger("said.safeguarding")

INLINE_UP_TO = 320  # characters: two SMS segments; measured under 10 ms to read whatever they hold
WORKER_WAIT = 5.0  # seconds a long message waits for the worker before a thread here reads it instead

_worker_detector: Detector | None = None


def _load_in_worker(folder: str | None) -> None:
    global _worker_detector
    _worker_detector = load_safeguarding(Path(folder) if folder else None).detector


def _detect_in_worker(text: str) -> Finding:
    assert _worker_detector is not None, "the worker loads its detector when it starts"
    return _worker_detector.detect(text)


class DetectionPool:
    """Worker processes for reading long messages. `processes=0` reads them in a thread instead."""

    def __init__(
        self, prompts_dir: Path | None, *, processes: int = 1, inline_up_to: int = INLINE_UP_TO,
        wait: float = WORKER_WAIT,
    ) -> None:
        if processes < 0:
            raise ValueError("the number of detection processes is 0 or more")
        self.prompts_dir = prompts_dir
        self.processes = processes
        self.inline_up_to = inline_up_to
        self.wait = wait
        self._pool: Executor | None = None

    def start(self) -> None:
        """Start the workers now (they take about a second to load the lists), rather than on first use."""
        if self.processes and self._pool is None:
            # spawn, not fork: this process runs an event loop and threads that a fork would copy half-way.
            self._pool = ProcessPoolExecutor(
                self.processes, mp_context=multiprocessing.get_context("spawn"),
                initializer=_load_in_worker, initargs=(str(self.prompts_dir) if self.prompts_dir else None,),
            )

    async def detect(self, detector: Detector, text: str) -> Finding:
        """What `detector.detect(text)` finds, without holding up the event loop for a long text."""
        if len(text) <= self.inline_up_to:
            return detector.detect(text)
        if not self.processes:
            return await asyncio.to_thread(detector.detect, text)
        self.start()
        pool = self._pool
        assert pool is not None
        try:
            future: Any = asyncio.get_running_loop().run_in_executor(pool, _detect_in_worker, text)
            return await asyncio.wait_for(future, self.wait)
        except (BrokenProcessPool, RuntimeError):  # a worker died, or the pool was shut down under us
            log.warning("the safeguarding worker stopped; reading this message here and starting it again")
            self._restart(pool)
        except TimeoutError:
            log.warning("the safeguarding worker is busy; reading this message in a thread here")
        return await asyncio.to_thread(detector.detect, text)

    def _restart(self, broken: Executor) -> None:
        if self._pool is broken:
            self._pool = None
            broken.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


class Remembered:
    """A detector that already knows its finding for one text (read off the loop before the engine ran)."""

    def __init__(self, detector: Detector, text: str, finding: Finding) -> None:
        self._detector = detector
        self._text = text
        self._finding = finding

    def detect(self, text: str) -> Finding:
        return self._finding if text == self._text else self._detector.detect(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._detector, name)
