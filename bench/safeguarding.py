"""Safeguarding detection: how well it does, and how fast. `python -m bench.safeguarding`

Quality, on sets of messages with the level a safeguarding lead would expect (each set's header says who
wrote it and when). A held-out set is written by someone who has not read the lists and is measured once,
before anyone tunes on it; after that it is material for the next review, and a fresh one is written.
- tests/safeguarding/cases.yaml: the table the tests hold the lists to (the lists were tuned on it);
- review1/2/3: used for the first three reviews;
- holdout (set 4): held out until measured after the third review, then used in the fourth;
- review4: written for the fourth review (the one that added word groups);
- holdout5: held out during the fourth review and measured after it, then used in the fifth;
- holdout6: held out during the fifth review, measured after it, never used for tuning.
For each: urgent recall (read as urgent), concern recall (read as concern or urgent), urgent messages
flagged at any level, and false positives (harmless messages flagged at any level).

Speed: detections per second on typical short messages, and the time for the longest message kept
(4000 characters), which bounds what detection adds to a reply.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from bot.safeguarding.finding import Level
from bot.safeguarding.loading import shipped_safeguarding

ROOT = Path(__file__).resolve().parents[1]
SETS = {
    "cases": ROOT / "tests" / "safeguarding" / "cases.yaml",
    "review1": ROOT / "bench" / "safeguarding_review1.yaml",
    "review2": ROOT / "bench" / "safeguarding_review2.yaml",
    "review3": ROOT / "bench" / "safeguarding_review3.yaml",
    "holdout": ROOT / "bench" / "safeguarding_holdout.yaml",
    "review4": ROOT / "bench" / "safeguarding_review4.yaml",
    "holdout5": ROOT / "bench" / "safeguarding_holdout5.yaml",
    "holdout6": ROOT / "bench" / "safeguarding_holdout6.yaml",
}


def quality(path: Path) -> dict[str, Any]:
    detector = shipped_safeguarding().detector
    cases = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    levels = {k: [detector.detect(str(m)).level for m in v] for k, v in cases.items()}
    urgent, concern, none = levels.get("urgent", []), levels.get("concern", []), levels.get("none", [])
    misses = [str(m) for m, lv in zip(cases.get("urgent", []), urgent, strict=True) if lv is not Level.URGENT]
    misses += [str(m) for m, lv in zip(cases.get("concern", []), concern, strict=True) if lv is Level.NONE]
    flagged = [str(m) for m, lv in zip(cases.get("none", []), none, strict=True) if lv is not Level.NONE]
    return {
        "messages": sum(len(v) for v in levels.values()),
        "urgent_recall": sum(lv is Level.URGENT for lv in urgent) / max(len(urgent), 1),
        # Urgent messages flagged at any level: these still get signposting and reach the duty team.
        "urgent_flagged": sum(lv is not Level.NONE for lv in urgent) / max(len(urgent), 1),
        "concern_recall": sum(lv is not Level.NONE for lv in concern) / max(len(concern), 1),
        "false_positive_rate": len(flagged) / max(len(none), 1),
        "missed": misses,
        "false_positives": flagged,
    }


def speed() -> dict[str, float]:
    detector = shipped_safeguarding().detector
    short = ["The staff were kind but the wait was too long", "i w@nt 2 d1e", "this wait is killing me",
             "My son is not sleeping and I am worried", "Good"] * 200
    started = time.perf_counter()
    for message in short:
        detector.detect(message)
    per_second = len(short) / (time.perf_counter() - started)
    long_text = ("We waited a long time and the letters were confusing. " * 80)[:4000]
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        detector.detect(long_text)
        timings.append(time.perf_counter() - started)
    return {
        "short_per_second": round(per_second),
        "longest_message_ms_median": round(statistics.median(timings) * 1000, 2),
        "longest_message_ms_max": round(max(timings) * 1000, 2),
    }


def main() -> None:
    started = time.perf_counter()
    shipped_safeguarding()
    print(json.dumps({"load_ms": round((time.perf_counter() - started) * 1000, 1)}))
    for name, path in SETS.items():
        print(json.dumps({"set": name, **quality(path)}, ensure_ascii=False))
    print(json.dumps(speed()))


if __name__ == "__main__":
    main()
