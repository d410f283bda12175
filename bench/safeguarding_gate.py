"""Does the answer gate ever let a risky message through? `python -m bench.safeguarding_gate`

The answer gate (bot/engine/answer_gate.py) reads a message the second opinion alone flagged as the answer
to the question being asked, when it plainly is one. This bench is the proof that it does not cost a risky
message its help: it takes every risky message a safeguarding lead has given a level (urgent and concern
in prompts/safeguarding/messages/, the held-out bench/safeguarding_holdout*.yaml, and the lists' examples)
and sends it, through the real engine, at every point where a person is answering something:

- the consent question and every choice, scale, yes/no and number question of every shipped pack, in
  each of the pack's languages, on the pack's channel;
- "Did you mean …?" and "Do you want to carry on?" inside each pack;
- the menu, outside any pack, on every channel, and after the menu was shown.

It prints how many presentations got no help ("let_through", which must be 0: the bench exits 1 if not),
and the messages. Then the same as if no rule of the lists had matched any of them, the second opinion
alone speaking: a stress test of the gate itself, for the day the lists miss a short risky message (its
let_through is reported, and read at each review, not required to be 0: "i feel hopeless" to "How was
your visit?" is both an answer and a risk, and only the lists can say which). Last, the replies of the
understanding held-out sets (and the development set) that still get help instead of being read.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bench.understanding import NOW, Prompts, _context, channel_for, judge, load_prompts, sets
from bot.content.packs.model import Kind, Pack
from bot.content.packs.yamlfile import load_fast
from bot.engine.answer_gate import MOST_WORDS
from bot.engine.engine import handle
from bot.engine.events import RiskDetected
from bot.engine.state import Awaiting, Conversation, Stage
from bot.messages import Channel, Inbound
from bot.safeguarding.detect import Detector
from bot.safeguarding.finding import SECOND_OPINION, Finding, Hit
from bot.safeguarding.loading import Safeguarding, shipped_safeguarding

ROOT = Path(__file__).resolve().parents[1]
MESSAGES = ROOT / "prompts" / "safeguarding" / "messages"
HELD_OUT = sorted((ROOT / "bench").glob("safeguarding_holdout*.yaml"))
RISKY = ("urgent", "concern")


@dataclass(frozen=True)
class Point:
    """Where a message is sent: a conversation state on a channel."""

    name: str
    conversation: Conversation
    channel: Channel


class Remembering:
    """The shipped detector, reading each text once: every message is sent at many points."""

    def __init__(self, detector: Detector) -> None:
        self._detector = detector
        self._seen: dict[str, Finding] = {}

    def detect(self, text: str) -> Finding:
        found = self._seen.get(text)
        if found is None:
            found = self._seen[text] = self._detector.detect(text)
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self._detector, name)


class ModelOnly(Remembering):
    """The worst case: every risky finding as if no rule had matched and the second opinion alone spoke."""

    def detect(self, text: str) -> Finding:
        found = super().detect(text)
        if not found.risky:
            return found
        return Finding(found.level, (Hit(f"{SECOND_OPINION}{found.level.value}", found.level),))


def risky_messages() -> list[str]:
    """Every message reviewers gave a level of risk, each once."""
    found: list[str] = []
    for path in [*sorted(MESSAGES.glob("*.yaml")), *HELD_OUT]:
        data = load_fast(path.read_text(encoding="utf-8")) or {}
        for level in RISKY:
            found.extend(str(m) for m in data.get(level) or [])
    for each in shipped_safeguarding().detector.lists:
        for entry in each.rules:
            found.extend(entry.examples)
    return list(dict.fromkeys(m for m in found if m.strip()))


def points(prompts: Prompts) -> Iterator[Point]:
    """Every state in which a message is read as an answer to something."""
    for pack in prompts.library.all():
        channel = channel_for(pack.id, prompts)
        for language in pack.languages:
            yield from _pack_points(pack, language, channel)
    for channel in Channel:
        yield Point(f"menu/{channel.value}", Conversation(language="en"), channel)
        yield Point(f"menu shown/{channel.value}", Conversation(language="en", awaiting=Awaiting.MENU), channel)


def _pack_points(pack: Pack, language: str, channel: Channel) -> Iterator[Point]:
    base = Conversation(language=language, pack_id=pack.id, pack_version=pack.version)
    yield Point(f"{pack.id}/consent [{language}]", replace(base, stage=Stage.CONSENT), channel)
    answerable = [q for q in pack.questions if q.kind is not Kind.TEXT]
    for question in answerable:
        at = replace(base, stage=Stage.QUESTION, submission_id="bench", question_id=question.id,
                     last_asked=question.id)
        yield Point(f"{pack.id}/{question.id} [{language}]", at, channel)
    if answerable:
        first = answerable[0]
        at = replace(base, stage=Stage.QUESTION, submission_id="bench", question_id=first.id, last_asked="confirm")
        pending = first.choices[0].value if first.choices else "yes"
        yield Point(f"{pack.id}/confirm [{language}]", replace(at, awaiting=Awaiting.CONFIRM, pending=pending),
                    channel)
        yield Point(f"{pack.id}/carry_on [{language}]", replace(at, awaiting=Awaiting.CARRY_ON,
                                                               last_asked="carry_on"), channel)


def helped(prompts: Prompts, safeguarding: Safeguarding, point: Point, text: str) -> bool:
    ctx = replace(_context(prompts), safeguarding=safeguarding)
    step = handle(point.conversation.copy(), Inbound(text=text, channel=point.channel, received_at=NOW), ctx)
    return any(isinstance(event, RiskDetected) for event in step.events)


def let_through(prompts: Prompts, worst_case: bool = False) -> dict[str, Any]:
    shipped = shipped_safeguarding()
    remembering = (ModelOnly if worst_case else Remembering)(shipped.detector)
    safeguarding = replace(shipped, detector=remembering)  # type: ignore[arg-type]
    messages = risky_messages()
    where = list(points(prompts))
    missed: list[str] = []
    presented = 0
    flagged = [m for m in messages if remembering.detect(m).risky]
    for text in flagged:
        for point in where:
            presented += 1
            if not helped(prompts, safeguarding, point, text):
                missed.append(f"{point.name}: {text!r}")
    findings = [remembering.detect(m) for m in flagged]
    return {
        "as_if_no_rule_matched": worst_case,
        "risky_messages": len(messages),
        "flagged": len(flagged),
        "second_opinion_only": sum(f.second_opinion_only for f in findings),
        f"second_opinion_only_up_to_{MOST_WORDS}_words": sum(
            f.second_opinion_only and len(m.split()) <= MOST_WORDS for f, m in zip(findings, flagged, strict=True)
        ),
        "points": len(where),
        "presented": presented,
        "let_through": len(missed),
        "let_through_messages": missed,
    }


def everyday(prompts: Prompts) -> dict[str, Any]:
    """The understanding sets' replies that got help instead of being read as answers."""
    from ruamel.yaml import YAML

    caught: list[str] = []
    total = 0
    for name, path in sets():
        for item in YAML(typ="safe").load(path.read_text(encoding="utf-8")) or []:
            total += 1
            if judge(item, prompts).how == "safeguarding":
                caught.append(f"{name} {item['pack']}/{item['question']}: {item['reply']!r}")
    return {"understanding_replies": total, "got_help": len(caught), "got_help_replies": caught}


def main() -> None:
    prompts = load_prompts()
    shipped = let_through(prompts)
    print(json.dumps(shipped, ensure_ascii=False))
    worst = let_through(prompts, worst_case=True)
    print(json.dumps(worst, ensure_ascii=False))
    print(json.dumps(everyday(prompts), ensure_ascii=False))
    if shipped["let_through"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
