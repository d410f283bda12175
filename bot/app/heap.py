"""The heap after start-up: what the garbage collector need not look at again.

By the time the app serves, it holds everything read at start-up (packs, texts, safeguarding lists and
models, word lists, compiled templates and statements): hundreds of thousands of objects that live as long
as the process. Python's full collections walk every one of them, and under load a full collection held
the event loop for 90 to 125 ms, which was most of the web chat's p99. `gc.freeze()` moves what exists
now to a permanent generation the collector skips; objects made later are collected as before, so a
leak in a request is still found. (Frozen objects are never freed: right for what lives all along.)
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Call once, when start-up has loaded everything that lives as long as the process."""
    gc.collect()  # what start-up made and dropped goes now, not into the permanent generation
    gc.freeze()
    # The thresholds stay as they are: a young collection came about once in 20 messages and took under
    # 2 ms; a first threshold of 10,000 ran them less often but made each take up to 5 ms.


def release() -> None:
    """Call when the app stops: what was frozen can be collected again (an app started and stopped many times
    in one process, as the tests do, would otherwise keep every copy's cycles)."""
    gc.unfreeze()
