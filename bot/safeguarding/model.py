"""A second opinion on every message: how much it reads like the messages reviewers marked urgent or concern.

    opinion = SecondOpinion.load(Path("prompts/safeguarding/model.json"))
    opinion.read("i give my xbox to my brother because i dont need it after")  -> Level.URGENT

Why: phrase lists and word groups catch what someone thought to write down. On sets of messages written
by people who had not read the lists, they found about half of the urgent ones; a small statistical model
trained on every reviewed message (prompts/safeguarding/messages/) found most of the rest. It may only
raise a level, never lower one, and staff see which of the two spoke ("model.urgent", "model.concern").

The model is a multinomial logistic regression over TF-IDF weights of word, word-pair and letter
n-gram features, trained with scikit-learn by `said safeguarding train` (bot/safeguarding/training.py)
and stored as plain numbers in model.json. Reading a message here needs no scikit-learn: the features
are counted the same way (`features`) and the arithmetic is a few lines.
"""

from __future__ import annotations

import json
import logging
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.safeguarding.finding import Level
from bot.safeguarding.normalise import split_clauses

log = logging.getLogger("said.safeguarding")

FORMAT = 1
CHARACTERS = (3, 4, 5)  # letter n-gram sizes, inside a word padded with spaces, as " kil", "ill "
LONGEST_TEXT = 8000  # characters read, as the lists do


def features(text: str) -> list[str]:
    """What the model counts: each word, each pair of words in a clause, and letter n-grams of each word."""
    return clause_features(split_clauses(text[:LONGEST_TEXT]))


def clause_features(clauses: Iterable[Sequence[str]]) -> list[str]:
    """`features` of a text the detector has already split into clauses (split_clauses)."""
    found: list[str] = []
    for clause in clauses:
        for i, word in enumerate(clause):
            found.append(f"w:{word}")
            if i + 1 < len(clause):
                found.append(f"b:{word} {clause[i + 1]}")
            padded = f" {word} "
            for size in CHARACTERS:
                found.extend(f"c:{padded[j:j + size]}" for j in range(len(padded) - size + 1))
    return found


@dataclass(frozen=True)
class SecondOpinion:
    classes: tuple[str, ...]  # level names, in the order of each feature's weights
    intercept: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]  # feature -> (idf, weight for each class)
    urgent_at: float  # P(urgent) from which a message reads as urgent
    risk_at: float  # P(urgent) + P(concern) from which it reads as concern at least
    trained_on: str  # digest of the messages it was trained on (training.py)

    @classmethod
    def load(cls, path: Path) -> SecondOpinion:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls.from_dict(data)
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path}: not a safeguarding model from `said safeguarding train` ({error})") from None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SecondOpinion:
        if data.get("format") != FORMAT:
            raise ValueError(f"format {data.get('format')!r}; this version reads format {FORMAT}")
        classes = tuple(str(c) for c in data["classes"])
        if sorted(classes) != sorted(level.value for level in Level):
            raise ValueError(f"classes should be {', '.join(level.value for level in Level)}")
        width = len(classes) + 1
        weights = {str(k): tuple(float(x) for x in v) for k, v in data["features"].items()}
        if any(len(v) != width for v in weights.values()):
            raise ValueError("every feature needs an idf and one weight for each class")
        return cls(
            classes=classes,
            intercept=tuple(float(x) for x in data["intercept"]),
            weights=weights,
            urgent_at=float(data["thresholds"]["urgent"]),
            risk_at=float(data["thresholds"]["risk"]),
            trained_on=str(data["trained_on"]),
        )

    def probabilities(self, text: str, clauses: Iterable[Sequence[str]] | None = None) -> dict[str, float]:
        """P(level) for `text`, as scikit-learn's predict_proba gives for the trained pipeline.

        `clauses`: the text's split_clauses, when the caller has them already (detection does)."""
        scores = [0.0] * len(self.classes)
        norm = 0.0
        counted = features(text) if clauses is None else clause_features(clauses)
        for feature, count in Counter(counted).items():
            known = self.weights.get(feature)
            if known is None:
                continue
            value = (1.0 + math.log(count)) * known[0]  # sublinear tf times idf
            norm += value * value
            for k in range(len(scores)):
                scores[k] += value * known[k + 1]
        scale = 1.0 / math.sqrt(norm) if norm else 0.0  # the vector is l2-normalised before the weights apply
        logits = [s * scale + b for s, b in zip(scores, self.intercept, strict=True)]
        top = max(logits)
        exps = [math.exp(z - top) for z in logits]
        total = sum(exps)
        return {name: e / total for name, e in zip(self.classes, exps, strict=True)}

    def read(self, text: str, clauses: Iterable[Sequence[str]] | None = None) -> Level:
        p = self.probabilities(text, clauses)
        if p[Level.URGENT.value] >= self.urgent_at:
            return Level.URGENT
        if p[Level.URGENT.value] + p[Level.CONCERN.value] >= self.risk_at:
            return Level.CONCERN
        return Level.NONE
