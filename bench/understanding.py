"""How well the bot understands natural replies: `python -m bench understanding`.

Reads the development set the lists are tuned on (every YAML in tests/engine/understanding/: the
engineers' own replies and the held-out sets already measured, reviewed and folded in), and every held-out
set measured once but not yet folded (bench/understanding/held_out/*.yaml; see docs/understanding-replies.md),
and drives the real engine with each reply on the pack's channel. Each item is
    {pack: <pack id or "menu">, question: <question id, "consent" or "start">, lang: en|cy, reply: "...",
     expect: <choice value | yes | no | whole number in the question's unit | pack id | menu | unclear>}

For each set it prints:
- understood: stored the right value; or asked "Did you mean …?" about the right value; or offered two
  answers, one of them right; or, for `unclear`, stored nothing;
- misread: stored a wrong value, or stored anything where `unclear` was expected (at the menu: started the
  wrong pack, or a pack where the menu was expected, except a pack's own start keyword typed alone, which
  starts it as promised and is counted understood, "keyword");
- refused: stored nothing and asked nothing useful (said how to answer, or asked back about a wrong value);
- not scored: replies to a free-text question ("Is there anything else?"), kept word for word whatever they say;
and lists every misread and refusal, so the lists can be reviewed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ruamel.yaml import YAML

from bot.content.packs.library import SHIPPED_PROMPTS, PackLibrary, Symbols, SystemTexts
from bot.content.packs.model import Kind
from bot.content.words import Words, loop_words
from bot.engine.context import Context
from bot.engine.engine import handle
from bot.engine.events import AnswerGiven, FeedbackGiven, RiskDetected
from bot.engine.state import Conversation, Stage
from bot.hours import WeeklyHours
from bot.messages import Ask, Channel, Inbound
from bot.safeguarding.loading import shipped_safeguarding

ROOT = Path(__file__).resolve().parents[1]
HELD_OUT = ROOT / "bench" / "understanding" / "held_out"
# Sets not yet measured. Only `python -m bench.understanding --fresh` reads them: the lowest-numbered one,
# once, after the lists are final for the round; then it moves to held_out/ and is reviewed.
FRESH = ROOT / "bench" / "understanding" / "fresh"
DEV = ROOT / "tests" / "engine" / "understanding"  # every *.yaml here is tuned on
LONDON = ZoneInfo("Europe/London")
NOW = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)  # a Tuesday morning, in office hours


@dataclass
class Prompts:
    library: PackLibrary
    texts: SystemTexts
    symbols: Symbols
    loop_words: Words
    sentiment: Any = None


@dataclass
class Outcome:
    verdict: str  # understood | misread | refused
    how: str  # stored, confirmed, which, nothing, menu, started …
    got: str | None = None


@dataclass
class Tally:
    total: int = 0
    not_scored: int = 0  # replies to a free-text question: kept word for word, nothing to read
    counts: dict[str, int] = field(default_factory=lambda: {"understood": 0, "misread": 0, "refused": 0})
    how: dict[str, int] = field(default_factory=dict)
    misreads: list[str] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)


def load_prompts() -> Prompts:
    from bot.app.understanding import sentiment_reader

    return Prompts(PackLibrary.load(SHIPPED_PROMPTS), SystemTexts.load(SHIPPED_PROMPTS),
                   Symbols.load(SHIPPED_PROMPTS), loop_words(), sentiment_reader())


def _context(prompts: Prompts) -> Context:
    return Context(
        now=NOW, library=prompts.library, texts=prompts.texts, symbols=prompts.symbols,
        office_hours=WeeklyHours.parse("Mon-Fri 09:00-17:00", LONDON), timezone=LONDON, new_id="bench",
        safeguarding=shipped_safeguarding(), loop_words=prompts.loop_words, sentiment=prompts.sentiment,
    )


def channel_for(pack_id: str, prompts: Prompts) -> Channel:
    """The pack's own channel when it names some; the phone pack is heard on the phone; else a text."""
    pack = prompts.library.get(pack_id)
    channels = list(getattr(pack, "channels", None) or [])
    if channels:
        first = str(getattr(channels[0], "value", channels[0]))
        return Channel(first) if first in Channel._value2member_map_ else Channel.SMS
    return Channel.VOICE if pack_id == "phone" else Channel.SMS


def _send(prompts: Prompts, conversation: Conversation, text: str, channel: Channel, **extra: Any) -> Any:
    message = Inbound(text=text, channel=channel, received_at=NOW, **extra)
    return handle(conversation, message, _context(prompts))


def judge(item: dict[str, Any], prompts: Prompts) -> Outcome:
    if str(item.get("pack")) == "menu":
        return _judge_menu(item, prompts)
    pack = prompts.library.get(str(item["pack"]))
    if pack is None:
        return Outcome("refused", f"no pack {item['pack']}")
    question_id = str(item["question"])
    channel = channel_for(pack.id, prompts)
    lang = str(item.get("lang") or "en")
    if question_id == "consent":
        conversation = Conversation(language=lang, stage=Stage.CONSENT, pack_id=pack.id, pack_version=pack.version)
    else:
        question = pack.question(question_id)
        if question is None:
            return Outcome("refused", f"no question {question_id}")
        conversation = Conversation(
            language=lang, stage=Stage.QUESTION, pack_id=pack.id, pack_version=pack.version,
            submission_id="bench", question_id=question_id, last_asked=question_id,
        )
    expect = str(item["expect"]).lower() if isinstance(item["expect"], bool) else str(item["expect"])
    if isinstance(item["expect"], bool):
        expect = "yes" if item["expect"] else "no"
    step = _send(prompts, conversation, str(item["reply"]), channel)
    if any(isinstance(e, RiskDetected) for e in step.events):
        return Outcome("understood" if expect == "unclear" else "refused", "safeguarding")
    stored = _stored(step, question_id)
    if stored is not None:
        return _verdict(stored, expect, "stored")
    asks = [m for m in step.reply.messages if isinstance(m, Ask)]
    if asks and asks[-1].question_id == "confirm":
        proposed = step.conversation.pending
        if expect == "unclear":
            return Outcome("understood", "confirmed", proposed)
        return Outcome("understood" if _same(proposed, expect) else "refused", "confirmed", proposed)
    if asks and asks[-1].question_id == question_id and len(asks[-1].choices) == 2 and asks[-1].text.startswith(
        _which_start(prompts, asks[-1].language)
    ):
        offered = [c.value for c in asks[-1].choices]
        right = expect == "unclear" or any(_same(v, expect) for v in offered)
        return Outcome("understood" if right else "refused", "which", "/".join(offered))
    return Outcome("understood" if expect == "unclear" else "refused", "nothing")


def _which_start(prompts: Prompts, language: str) -> str:
    """"Did you mean" : how the bot starts offering two answers."""
    by_language = prompts.texts.texts["which_answer"]
    return (by_language.get(language) or by_language["en"]).split("{first}")[0]


def _stored(step: Any, question_id: str) -> str | None:
    for event in step.events:
        if isinstance(event, AnswerGiven) and not event.skipped:
            return event.value if event.value is not None else (event.text or "")
    if question_id == "consent":
        stage = step.conversation.stage
        if stage is Stage.QUESTION:
            return "yes"
        if step.reply.ended and not step.conversation.in_pack:
            return "no"
    return None


def _same(got: str | None, expect: str) -> bool:
    if got is None:
        return False
    try:
        return float(got) == float(expect)
    except ValueError:
        return got == expect


def _verdict(got: str, expect: str, how: str) -> Outcome:
    if expect == "unclear":
        return Outcome("misread", how, got)
    return Outcome("understood" if _same(got, expect) else "misread", how, got)


def _judge_menu(item: dict[str, Any], prompts: Prompts) -> Outcome:
    expect = str(item["expect"])
    pack = prompts.library.get(expect)
    channel = channel_for(expect, prompts) if pack is not None and expect == "phone" else Channel.WEB
    lang = str(item.get("lang") or "en")
    step = _send(prompts, Conversation(language=lang), str(item["reply"]), channel)
    started = step.conversation.pack_id if step.conversation.in_pack else None
    menu_shown = any(isinstance(m, Ask) and m.question_id == "menu" for m in step.reply.messages)
    filed = any(isinstance(e, FeedbackGiven) for e in step.events)
    if started is not None:
        keyword = prompts.library.by_keyword(str(item["reply"]))
        if expect in ("menu", "unclear") and keyword is not None and keyword.id == started:
            # A start keyword typed alone starts its pack ("PARENTS" is on the posters): the product's promise,
            # not a reading of the words. A writer who expected the menu is not counted wrong, nor the bot.
            return Outcome("understood", "keyword", started)
        right = started == expect
        return Outcome("understood" if right else "misread", "started", started)
    if expect in ("menu", "unclear"):
        if filed:
            return Outcome("misread", "filed for staff")
        return Outcome("understood" if menu_shown or expect == "unclear" else "refused", "menu")
    return Outcome("refused", "filed for staff" if filed else "menu" if menu_shown else "nothing")


def measure(path: Path, prompts: Prompts) -> Tally:
    items = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or []
    tally = Tally()
    for item in items:
        if _free_text(item, prompts):
            tally.not_scored += 1  # the words are kept as written: there is no reading to get right or wrong
            continue
        outcome = judge(item, prompts)
        tally.total += 1
        tally.counts[outcome.verdict] += 1
        tally.how[outcome.how] = tally.how.get(outcome.how, 0) + 1
        line = f"{item.get('pack')}/{item.get('question')} [{item.get('lang', 'en')}] {item.get('reply')!r}: " \
               f"expected {item.get('expect')}, {outcome.how} {outcome.got or ''}".rstrip()
        if outcome.verdict == "misread":
            tally.misreads.append(line)
        elif outcome.verdict == "refused":
            tally.refusals.append(line)
    return tally


def _free_text(item: dict[str, Any], prompts: Prompts) -> bool:
    pack = prompts.library.get(str(item.get("pack")))
    question = pack.question(str(item.get("question"))) if pack is not None else None
    return question is not None and question.kind is Kind.TEXT


def report(name: str, tally: Tally) -> dict[str, Any]:
    total = max(tally.total, 1)
    return {
        "set": name, "total": tally.total, **tally.counts, "not_scored": tally.not_scored,
        "understood_pct": round(100 * tally.counts["understood"] / total, 1), "how": tally.how,
        "misreads": tally.misreads, "refusals": tally.refusals,
    }


def development_sets() -> list[Path]:
    """Every development file: the engineers' replies and each folded held-out set."""
    return sorted(DEV.glob("*.yaml"))


def set_number(path: Path) -> int:
    """Set 10 comes after set 9: sets are ordered by their number, not by spelling."""
    digits = re.findall(r"\d+", path.stem)
    return int(digits[-1]) if digits else 0


def sets(fresh: bool = False) -> list[tuple[str, Path]]:
    if fresh:
        # Only the next fresh set: the ones after it stay sealed for later rounds.
        waiting = sorted(FRESH.glob("*.yaml"), key=set_number)
        return [(p.stem, p) for p in waiting[:1]]
    found = [(f"dev/{p.stem}", p) for p in development_sets()]
    found += [(p.stem, p) for p in sorted(HELD_OUT.glob("*.yaml"))]
    return found


async def run(database_url: str | None = None) -> dict[str, Any]:
    prompts = load_prompts()
    rows = [report(name, measure(path, prompts)) for name, path in sets()]
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))
    return {row["set"]: {k: row[k] for k in ("total", "understood", "misread", "refused")} for row in rows}


def main() -> None:
    import sys

    prompts = load_prompts()
    for name, path in sets(fresh="--fresh" in sys.argv[1:]):
        print(json.dumps(report(name, measure(path, prompts)), ensure_ascii=False))


if __name__ == "__main__":
    main()
