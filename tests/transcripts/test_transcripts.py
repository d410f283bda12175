"""Runs every conversation in tests/transcripts/*.yaml through the engine.

A transcript is readable data, so anyone can check a reply and say "that is wrong":

    title: What the conversation shows
    library: shipped          # or "test": the packs in tests/engine/fixture_prompts
    channel: web              # sms (the default), whatsapp, telegram, voice or web
    shown_as: channel         # optional: check the words as that channel really shows them (plain SMS,
                              # Telegram buttons, the words a caller hears, the web chat's layout)
    start: 2025-03-04T10:00:00+00:00   # optional; a Tuesday morning in London by default
    steps:
      - in: DEMO                       # what the person typed
        out: [Hello, Is it OK]         # words expected in the reply, in this order
      - choice: good                   # a tapped button (Inbound.choice)
        at: +3d                        # time passes first (+30m, +2h, +3d) or an exact ISO time
        media: [picture]
        events: [AnswerGiven]          # the exact events, by name (optional)
        not_out: [Sorry]               # words that must not be in the reply (optional)
        ended: true                    # the reply ends the conversation (optional)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from ruamel.yaml import YAML

from bot.content.packs.library import SHIPPED_PROMPTS, PackLibrary, Symbols, SystemTexts
from bot.content.words import loop_words
from bot.engine.context import Context
from bot.engine.engine import handle
from bot.engine.state import Conversation
from bot.engine.turn import Step
from bot.hours import WeeklyHours
from bot.messages import Ask, Channel, Inbound, Say
from bot.safeguarding.loading import shipped_safeguarding

HERE = Path(__file__).parent
LONDON = ZoneInfo("Europe/London")
DEFAULT_START = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)
LIBRARIES = {"shipped": SHIPPED_PROMPTS, "test": HERE.parent / "engine" / "fixture_prompts"}
_RELATIVE = re.compile(r"^\+(\d+(?:\.\d+)?)([mhd])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


@dataclass(frozen=True)
class Prompts:
    library: PackLibrary
    texts: SystemTexts
    symbols: Symbols


def _prompts(name: str) -> Prompts:
    return Prompts(PackLibrary.load(LIBRARIES[name]), SystemTexts.load(SHIPPED_PROMPTS), Symbols.load(SHIPPED_PROMPTS))


def render(step: Step) -> str:
    lines: list[str] = []
    for message in step.reply.messages:
        if isinstance(message, Say):
            lines.append(f"{message.emoji} {message.text}".strip())
        elif isinstance(message, Ask):
            progress = f" ({message.progress[0]} of {message.progress[1]})" if message.progress else ""
            lines.append(f"{message.emoji} {message.text}{progress}".strip())
            lines.extend(f"{c.key} {c.emoji} {c.label}" for c in message.choices)
            lines.append(message.hint)
    return "\n".join(lines)


def shown_on(channel: str, step: Step) -> str:
    """The reply as `channel` really shows it, through that channel's own renderer."""
    from bot.app.terminal_chat import preview

    return preview(channel, step.reply)


def _moment(value: Any, now: datetime) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    text = str(value)
    relative = _RELATIVE.match(text)
    if relative:
        return now + timedelta(**{_UNITS[relative.group(2)]: float(relative.group(1))})
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _transcripts() -> list[Path]:
    return sorted(HERE.glob("*.yaml"))


@pytest.mark.parametrize("path", _transcripts(), ids=lambda p: p.stem)
def test_transcript(path: Path) -> None:
    script = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
    prompts = _prompts(script.get("library", "shipped"))
    now = _moment(script["start"], DEFAULT_START) if "start" in script else DEFAULT_START
    conversation = Conversation()
    for number, step_script in enumerate(script["steps"], start=1):
        if "at" in step_script:
            now = _moment(step_script["at"], now)
        message = Inbound(
            text=str(step_script.get("in", "")),
            channel=Channel(script.get("channel", "sms")),
            received_at=now,
            choice=step_script.get("choice"),
            media=tuple(step_script.get("media", ())),
            start_pack=step_script.get("start_pack"),
        )
        ctx = Context(
            now=now, library=prompts.library, texts=prompts.texts, symbols=prompts.symbols,
            office_hours=WeeklyHours.parse(script.get("office_hours", "Mon-Fri 09:00-17:00"), LONDON),
            timezone=LONDON, new_id=f"submission-{number}",
            safeguarding=shipped_safeguarding(), loop_words=loop_words(),
        )
        step = handle(conversation, message, ctx)
        conversation = Conversation.from_dict(step.conversation.to_dict())
        shown = shown_on(script["channel"], step) if script.get("shown_as") == "channel" else render(step)
        where = f"{path.name} step {number} ({step_script.get('in', step_script.get('choice', ''))!r})"
        assert step.reply.messages, f"{where}: the reply is empty"
        position = 0
        for expected in step_script.get("out", []):
            found = shown.find(str(expected), position)
            assert found >= 0, f"{where}: expected {expected!r} after position {position} in:\n{shown}"
            position = found + len(str(expected))
        for unwanted in step_script.get("not_out", []):
            assert str(unwanted) not in shown, f"{where}: {unwanted!r} should not be in:\n{shown}"
        if "events" in step_script:
            names = [type(event).__name__ for event in step.events]
            assert names == step_script["events"], f"{where}: events {names}"
        if "ended" in step_script:
            assert step.reply.ended is step_script["ended"], f"{where}: ended is {step.reply.ended}"
        if "stopped" in step_script:
            assert conversation.stopped is step_script["stopped"], f"{where}: stopped is {conversation.stopped}"
