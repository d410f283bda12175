"""What detection says about one message: a level and the ids of the rules that matched, never the text."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

SECOND_OPINION = "model."  # the rule id prefix of a level raised by the second opinion (model.py)


class Level(StrEnum):
    NONE = "none"
    CONCERN = "concern"  # signposting and an alert the duty team reads today
    URGENT = "urgent"  # possible immediate danger: signposting first, the duty team told at once

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Level.NONE: 0, Level.CONCERN: 1, Level.URGENT: 2}


@dataclass(frozen=True, slots=True)
class Hit:
    rule: str  # "en.suicide_intent": language and rule id
    level: Level  # after negation: a negated urgent rule counts as concern
    negated: bool = False

    @property
    def label(self) -> str:
        """The id staff see, marked when a negation softened it."""
        return f"{self.rule} (negated)" if self.negated else self.rule


@dataclass(frozen=True, slots=True)
class Finding:
    level: Level
    hits: tuple[Hit, ...] = ()

    @property
    def rules(self) -> tuple[str, ...]:
        """Rule labels, most serious first, each once."""
        ordered = sorted(self.hits, key=lambda h: (-h.level.rank, h.label))
        return tuple(dict.fromkeys(h.label for h in ordered))

    @property
    def risky(self) -> bool:
        return self.level is not Level.NONE

    @property
    def second_opinion_only(self) -> bool:
        """Risky on the model's word alone: no phrase, pattern or word group of the lists matched.

        The engine weighs such a finding against the question being asked (bot/engine/answer_gate.py);
        a finding with any rule in it is never weighed."""
        return self.risky and all(hit.rule.startswith(SECOND_OPINION) for hit in self.hits)


NOTHING = Finding(Level.NONE)
