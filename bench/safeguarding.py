"""Safeguarding detection: how well it does, and how fast. `python -m bench.safeguarding`

Quality, on sets of messages with the level a safeguarding lead would expect (each file's header says who
wrote it and when). A held-out set is written by someone who has not read the lists and is measured once,
before anyone tunes on it; after that it is material for the next review: it moves to
prompts/safeguarding/messages/, where the lists' reviewers and the second opinion learn from it, and a
fresh one is written (docs/reviewing-safeguarding.md). Every file in messages/ is measured (those are
tuned and trained on, so they show the detector holds what it was taught), then the held-out sets in
bench/, with the lists alone as well, to show what the second opinion adds.
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

from bot.content.packs.yamlfile import load_fast
from bot.safeguarding.detect import Detector
from bot.safeguarding.finding import Level
from bot.safeguarding.loading import shipped_safeguarding

ROOT = Path(__file__).resolve().parents[1]
MESSAGES = ROOT / "prompts" / "safeguarding" / "messages"
SETS = {
    **{path.stem: path for path in sorted(MESSAGES.glob("*.yaml"))},
    # Held out: every bench/safeguarding_holdout*.yaml, until its review moves it into messages/.
    **{p.stem.removeprefix("safeguarding_"): p for p in sorted((ROOT / "bench").glob("safeguarding_holdout*.yaml"))},
}


def quality(path: Path, detector: Detector | None = None) -> dict[str, Any]:
    detector = detector or shipped_safeguarding().detector
    cases = load_fast(path.read_text(encoding="utf-8"))
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
    lists_only = Detector(shipped_safeguarding().detector.lists)
    for name, path in SETS.items():
        if path.exists():
            print(json.dumps({"set": name, **quality(path)}, ensure_ascii=False))
            if name.startswith("holdout"):  # what the second opinion adds, on messages neither was shaped by
                print(json.dumps({"set": f"{name} (lists only)", **quality(path, lists_only)}, ensure_ascii=False))
    print(json.dumps(speed()))


if __name__ == "__main__":
    main()
