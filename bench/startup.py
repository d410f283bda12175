"""Start-up: reading the prompts folder (packs, texts, symbols, safeguarding lists), C YAML parser against pure.

Both are measured in this run, side by side, in fresh interpreters (the lists are cached once loaded):

    python -m bench startup
"""

from __future__ import annotations

import json
import subprocess
import sys

_ONE = """
import json, time
import bot.content.packs.yamlfile as y, bot.content.packs.loader as l
if {pure}:
    y.has_c_parser = lambda: False
    l.has_c_parser = lambda: False
from bot.app.prompts import load_prompts
started = time.perf_counter()
load_prompts(y.SHIPPED_PROMPTS)
print(json.dumps(time.perf_counter() - started))
"""


def _once(pure: bool) -> float:
    out = subprocess.run([sys.executable, "-c", _ONE.format(pure=pure)], capture_output=True, text=True, check=True)
    return float(json.loads(out.stdout.strip().splitlines()[-1]))


async def run(_database_url: str, rounds: int = 3) -> dict[str, float]:
    c_parser = [_once(False) for _ in range(rounds)]
    pure = [_once(True) for _ in range(rounds)]
    return {
        "load_prompts_c_parser_s": round(min(c_parser), 3),
        "load_prompts_pure_python_s": round(min(pure), 3),
    }
