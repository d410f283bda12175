"""Messages outside a pack: kept as feedback, with an honest word on when a person will read them.

"Thank you for your message. A person will read it tomorrow morning." The time comes from office
hours on the service's clock: today, later today, tomorrow (morning), on Monday.
"""

from __future__ import annotations

from datetime import datetime

from bot.engine.context import Context
from bot.engine.events import FeedbackGiven
from bot.engine.turn import Turn

LONGEST_FEEDBACK = 4000  # characters kept from one message; the rest is cut with a note


def read_when(ctx: Context, language: str, now: datetime | None = None) -> str:
    """When a person will read a message sent now, in words."""
    now = now or ctx.now
    try:
        opens = ctx.office_hours.next_open(now)
    except ValueError:
        return ctx.texts.get("when_soon", language)
    today = now.astimezone(ctx.timezone).date()
    local = opens.astimezone(ctx.timezone)
    days = (local.date() - today).days
    if opens == now:
        key = "when_today"
    elif days == 0:
        key = "when_later_today"
    elif days == 1:
        key = "when_tomorrow_morning" if local.hour < 12 else "when_tomorrow"
    elif days < 7:
        day = ctx.texts.get(f"day_{local.weekday()}", language)
        return ctx.texts.get("when_on_day", language, day=day)
    else:
        key = "when_soon"
    return ctx.texts.get(key, language)


def media_names(turn: Turn) -> str | None:
    return ", ".join(name for name in turn.message.media if name) or None


def keep_feedback(turn: Turn, text: str) -> None:
    """Store a general message and tell the person when it will be read."""
    media = media_names(turn)
    pack_id = turn.conversation.pack_id
    if not text:
        if media:
            turn.emit(FeedbackGiven("", media, pack_id))
            turn.say("media_only", "message")
        else:
            turn.say("empty", "message")
        return
    turn.emit(FeedbackGiven(text[:LONGEST_FEEDBACK], media, pack_id))
    turn.say("feedback_thanks", "thank_you", when=read_when(turn.ctx, turn.language))
    if len(text) > LONGEST_FEEDBACK:
        turn.say("feedback_long", limit=LONGEST_FEEDBACK)
    if media:
        turn.say("words_only", "picture")
    if turn.ctx.library.all(turn.channel):
        turn.say("menu_more", "menu")
