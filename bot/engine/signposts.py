"""Where to get help, as messages: the signposting list, the words around it, and the aftercare.

Kept apart from `risk` so that `walk` can offer aftercare at the end of a pack without a circular import.
"""

from __future__ import annotations

from bot.content.packs.model import Kind
from bot.engine.asks import yes_no_choices
from bot.engine.turn import Turn
from bot.messages import Ask, Say


def say(turn: Turn, key: str, symbol: str, **values: str) -> None:
    turn.add(said(turn, key, symbol, **values))


def said(turn: Turn, key: str, symbol: str, **values: str) -> Say:
    words = turn.ctx.safeguarding.signposting.text(key, turn.language, **values)
    return Say(words, symbol, turn.ctx.symbols.emoji(symbol))


def signposts(turn: Turn, level: str) -> list[Say]:
    """The intro for `level` (urgent, concern, support, aftercare) and the chosen signposts."""
    signposting = turn.ctx.safeguarding.signposting
    pack = turn.pack
    audience = pack.audience.value if pack is not None and turn.conversation.in_pack else None
    chosen = signposting.choose(
        "concern" if level == "support" else level,
        audience=audience,
        open_now=turn.ctx.office_hours.is_open(turn.ctx.now),
        language=turn.language,
    )
    if not chosen:
        return []
    emoji = turn.ctx.symbols.emoji("phone")
    return [said(turn, f"{level}_intro", "support"), *(Say(words, "phone", emoji) for words in chosen)]


def aftercare(turn: Turn) -> None:
    """After a pack with sensitive questions: where to get support, and the call-back offer."""
    for message in signposts(turn, "aftercare"):
        turn.add(message)
    say(turn, "callback_offer", "phone")


def yes_no(turn: Turn, question_id: str, key: str, symbol: str) -> Ask:
    language = turn.language
    return Ask(
        question_id=question_id,
        text=turn.ctx.safeguarding.signposting.text(key, language),
        kind=Kind.YESNO.value,
        language=language,
        symbol=symbol,
        emoji=turn.ctx.symbols.emoji(symbol),
        choices=yes_no_choices(turn.ctx, language),
        hint=turn.ctx.texts.get("hint_yesno", language),
    )
