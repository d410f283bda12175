"""Garbage-collector pauses while the real app answers signed inbound SMS, with and without bot/app/heap.py.

    python -m bench.gc_pauses [MESSAGES]

Each way runs in a fresh interpreter (the heap is the point), driving the app in-process as
bench/profile_inbound.py does, and times every collection through `gc.callbacks`. A full collection
(generation 2) walks every live object; what it costs once the prompts and models are loaded is what
`heap.settle()` takes away.
"""

from __future__ import annotations

import json
import subprocess
import sys

_ONE = """
import asyncio, cProfile, gc, json, time
import bot.app.heap as heap
if not {settle}:
    heap.settle = lambda: None
from bench.profile_inbound import _drive

pauses = {{0: [], 1: [], 2: []}}
started = [0.0]

def timed(phase, info):
    if phase == "start":
        started[0] = time.perf_counter()
    else:
        pauses[info["generation"]].append(time.perf_counter() - started[0])

class NoProfile(cProfile.Profile):
    def enable(self, *a, **k):
        gc.callbacks.append(timed)
    def disable(self, *a, **k):
        gc.callbacks.remove(timed)

elapsed = asyncio.run(_drive("sqlite+aiosqlite:///{folder}/gc.db", {messages}, NoProfile()))
print(json.dumps({{
    "ms_a_message": round(elapsed / {messages} * 1000, 2),
    **{{f"gen{{g}}_collections": len(p) for g, p in pauses.items()}},
    **{{f"gen{{g}}_longest_ms": round(max(p, default=0) * 1000, 1) for g, p in pauses.items()}},
    "total_pause_ms": round(sum(sum(p) for p in pauses.values()) * 1000, 1),
}}))
"""


def once(settle: bool, messages: int) -> dict[str, float]:
    import tempfile

    code = _ONE.format(settle=settle, messages=messages, folder=tempfile.mkdtemp())
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    messages = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    for settle in (False, True):
        print(json.dumps({"heap_settled": settle, **once(settle, messages)}), flush=True)


if __name__ == "__main__":
    main()
