"""Training the second opinion (model.py) on every reviewed message: `said safeguarding train`.

    said safeguarding train                 # prompts/safeguarding/messages/*.yaml -> prompts/safeguarding/model.json

Each file in messages/ lists messages under `urgent`, `concern` and `none`, with the level a safeguarding
lead gave them; the examples in the phrase lists are learnt from too. Add the messages your service sees
(made anonymous: no names, places or numbers) and train again; a test fails when the shipped model was
trained on other messages than the shipped files hold.

Thresholds: a message reads as urgent from P(urgent) 0.5, and as concern at least from P(urgent or concern)
0.6. Chosen by training without one file at a time and reading that file with the model alone: review5
flagged 75 of 80 urgent (69 as urgent), 57 of 60 concern, 6 of 60 harmless; held_out_7 46 of 50 (45),
34 of 40, 1 of 60. Stricter thresholds (0.6 and 0.7) lost urgent messages for few fewer false alarms.
Left out, everyday_families.yaml showed the model's weak side: 65 of its 240 harmless messages flagged
when it had not learnt from them, so add the ordinary messages your service sees, as well as risky ones.
everyday_answers.yaml (short survey answers: "not now", "dont want to", "took forever") showed it again:
67 of its first 399 flagged before the model learnt from them. Learning from them moved the model alone,
each file left out: urgent flagged 79 -> 77 of 80 (review5), 48 -> 49 and 47 -> 47 of 50 (held_out_7, 9),
concern 127 -> 129 of 140, harmless 7 -> 10 of 180; with the lists every file still reads at 100%.

Needs scikit-learn, which a running service does not: `pip install -e '.[train]'`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.content.packs.yamlfile import load_fast
from bot.safeguarding.finding import Level
from bot.safeguarding.lists import LanguageList, load_list
from bot.safeguarding.model import FORMAT, features

URGENT_AT = 0.5
RISK_AT = 0.6
SMALLEST_COUNT = 2  # a feature in fewer messages than this is left out: it says more about one writer than risk
STRENGTH = 10.0  # scikit-learn's C: how closely the model may fit the messages it is shown
LEVELS = tuple(level.value for level in Level)

Labelled = tuple[str, str]  # (message, level)


def read_messages(folder: Path, lists: Sequence[LanguageList] = ()) -> list[Labelled]:
    """Every message in `folder/*.yaml`, and every example in the lists, with its level.

    A clear error names a bad file. The lists' examples count too: a rule's examples show its level, and
    a harmless idiom's examples show the look-alikes that are no risk ("I want to dye my hair")."""
    found: list[Labelled] = []
    for each in lists:
        for entry in each.rules:
            found.extend((example, (entry.level or Level.NONE).value) for example in entry.examples)
        for entry in each.harmless:
            found.extend((example, Level.NONE.value) for example in entry.examples)
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise ValueError(f"no messages to learn from in {folder}")
    for path in files:
        data = load_fast(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not set(data) <= set(LEVELS):
            raise ValueError(f"{path}: should list messages under {', '.join(LEVELS)}")
        for level, messages in data.items():
            if not isinstance(messages, list):
                raise ValueError(f"{path}: '{level}' should be a list of messages")
            found.extend((str(m), level) for m in messages if str(m).strip())
    return found


def digest(messages: Sequence[Labelled]) -> str:
    """What the model was trained on, in a few characters: the same messages and levels give the same digest."""
    canonical = json.dumps(sorted(messages), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def pipeline() -> Any:
    """The scikit-learn pipeline; the model file holds its numbers, and model.py reads them the same way."""
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
    except ImportError:
        raise RuntimeError("training needs scikit-learn: pip install -e '.[train]'") from None
    return make_pipeline(
        TfidfVectorizer(analyzer=features, sublinear_tf=True, min_df=SMALLEST_COUNT),
        LogisticRegression(C=STRENGTH, class_weight="balanced", max_iter=5000),
    )


def train(messages: Sequence[Labelled], *, urgent_at: float = URGENT_AT, risk_at: float = RISK_AT) -> dict[str, Any]:
    levels = {level for _, level in messages}
    if levels != set(LEVELS):
        raise ValueError(f"the messages need some of every level ({', '.join(LEVELS)}); they have {sorted(levels)}")
    fitted = pipeline()
    fitted.fit([m for m, _ in messages], [level for _, level in messages])
    vectorizer, regression = fitted.steps[0][1], fitted.steps[1][1]
    classes = [str(c) for c in regression.classes_]
    table = {
        feature: [_round(vectorizer.idf_[column]), *(_round(w) for w in regression.coef_[:, column])]
        for feature, column in sorted(vectorizer.vocabulary_.items())
    }
    return {
        "format": FORMAT,
        "trained_on": digest(messages),
        "messages": len(messages),
        "classes": classes,
        "intercept": [_round(b) for b in regression.intercept_],
        "thresholds": {"urgent": urgent_at, "risk": risk_at},
        "features": table,
    }


def shipped_messages(prompts: Path) -> list[Labelled]:
    """What the model in `prompts/safeguarding/` learns from: its messages/ and its lists' examples."""
    folder = prompts / "safeguarding"
    return read_messages(folder / "messages", [load_list(path) for path in sorted(folder.glob("*.yaml"))])


def write_model(prompts: Path) -> tuple[Path, int, int]:
    """Train on `prompts/safeguarding/` (messages/ and the lists' examples) and write its model.json."""
    messages = shipped_messages(prompts)
    model = train(messages)
    path = prompts / "safeguarding" / "model.json"
    path.write_text(json.dumps(model, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return path, len(messages), len(model["features"])


def _round(value: float) -> float:
    # Seven significant figures keep the file small; the probabilities move by less than a millionth.
    return float(f"{float(value):.7g}")
