"""Helpers shared by the engine tests, imported by name (pytest puts tests/engine on sys.path).

The shipped prompts, a context at a chosen time, and a `Chat` that plays one person's messages
through the engine the way the host would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.content.packs.library import PackLibrary, Symbols, SystemTexts
from bot.content.words import loop_words
from bot.engine import understand
from bot.engine.asks import reading_for
from bot.engine.context import Context
from bot.engine.engine import handle
from bot.engine.events import Event, FeedbackGiven
from bot.engine.state import Conversation
from bot.engine.turn import Step
from bot.hours import WeeklyHours
from bot.messages import Ask, Channel, Inbound, Say
from bot.safeguarding.loading import shipped_safeguarding

LONDON = ZoneInfo("Europe/London")
TUESDAY_10AM = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)
FIXTURE_PROMPTS = Path(__file__).parent / "fixture_prompts"


def make_context(
    library: PackLibrary, texts: SystemTexts, symbols: Symbols, now: datetime, new_id: str = "sub-1"
) -> Context:
    return Context(
        now=now, library=library, texts=texts, symbols=symbols,
        office_hours=WeeklyHours.parse("Mon-Fri 09:00-17:00", LONDON), timezone=LONDON, new_id=new_id,
        safeguarding=shipped_safeguarding(), loop_words=loop_words(),
    )


def read_at(library: PackLibrary, ctx: Context, pack_id: str, question_id: str, said: str) -> understand.Reading:
    """How `said` reads as an answer to one question of one shipped pack."""
    pack = library.get(pack_id)
    assert pack is not None
    question = pack.question(question_id)
    assert question is not None
    return understand.read(said, reading_for(question, pack, ctx), ctx.meanings, ctx.texts.numbers)


def render(step: Step) -> str:
    """The reply as plain lines, roughly as an SMS would show it."""
    lines: list[str] = []
    for message in step.reply.messages:
        if isinstance(message, Say):
            lines.append(f"{message.emoji} {message.text}".strip())
        elif isinstance(message, Ask):
            lines.append(f"{message.emoji} {message.text}".strip())
            lines.extend(f"{c.key} {c.emoji} {c.label}" for c in message.choices)
            if message.hint:
                lines.append(message.hint)
    return "\n".join(lines)


@dataclass
class Chat:
    """One person talking to the engine; time moves only when told to."""

    library: PackLibrary
    texts: SystemTexts
    symbols: Symbols
    now: datetime = TUESDAY_10AM
    conversation: Conversation = field(default_factory=Conversation)
    events: list[Event] = field(default_factory=list)
    count: int = 0
    channel: Channel = Channel.SMS

    def send(
        self, text: str = "", *, choice: str | None = None, media: tuple[str, ...] = (),
        start_pack: str | None = None, after: timedelta | None = None, question_id: str | None = None,
    ) -> Step:
        if after is not None:
            self.now += after
        self.count += 1
        message = Inbound(
            text=text, channel=self.channel, received_at=self.now, choice=choice, media=media,
            start_pack=start_pack, question_id=question_id,
        )
        ctx = make_context(self.library, self.texts, self.symbols, self.now, f"sub-{self.count}")
        step = handle(self.conversation, message, ctx)
        # The host saves the state as JSON; going through it here proves every state survives that.
        self.conversation = Conversation.from_dict(step.conversation.to_dict())
        self.events.extend(step.events)
        return step

    def says(self, text: str = "", **kwargs: object) -> str:
        """Send, and return the reply as text."""
        return render(self.send(text, **kwargs))  # type: ignore[arg-type]


def channel_for(pack: object) -> Channel:
    """A channel the pack is offered on (SMS when it is), so a walk through it can start it."""
    channels = [Channel(c.value) for c in getattr(pack, "channels", [])]
    return Channel.SMS if Channel.SMS in channels or not channels else channels[0]


def kept_for_a_person(chat: Chat, said: str) -> bool:
    """`said`, outside a pack, reaches the staff inbox word for word: filed at once, or, a few words the bot
    cannot place, held with the menu and "Is that a message for our team? Reply YES", and filed on YES."""
    step = chat.send(said)
    if any(isinstance(e, FeedbackGiven) and e.text == said for e in step.events):
        return True
    shown = render(step)
    if "Is that a message for our team?" not in shown or not any(
        isinstance(m, Ask) and m.question_id == "menu" for m in step.reply.messages
    ):
        return False
    if any(isinstance(e, FeedbackGiven) for e in step.events):
        return False  # held means not filed yet
    answer = chat.send("yes")
    return any(isinstance(e, FeedbackGiven) and e.text == said for e in answer.events) and (
        "A person will read it" in render(answer)
    )
