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
    return Say(words_for(turn, key, **values), symbol, turn.ctx.symbols.emoji(symbol))


def words_for(turn: Turn, key: str, **values: str) -> str:
    """A signposting text, in its phone wording on the phone line ("say CALL ME", never "send")."""
    signposting = turn.ctx.safeguarding.signposting
    if turn.channel == "voice" and signposting.has(f"{key}_voice"):
        key = f"{key}_voice"
    return signposting.text(key, turn.language, **values)


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


def one_line(turn: Turn) -> str | None:
    """One line of where to get help, fitting the pack's audience (Childline for a child)."""
    pack = turn.pack
    audience = pack.audience.value if pack is not None and turn.conversation.in_pack else None
    return turn.ctx.safeguarding.signposting.one_line(
        audience=audience, open_now=turn.ctx.office_hours.is_open(turn.ctx.now), language=turn.language
    )


def aftercare(turn: Turn) -> None:
    """At the end of a pack with sensitive questions: one short line of where to get help.

    Not the whole list: a young person who answered "Good" should not get seven messages, and the help
    must not scroll out of view. SUPPORT gives the whole list at any time.
    """
    line = one_line(turn)
    if line:
        turn.add(Say(line, "support", turn.ctx.symbols.emoji("support")))
        turn.support_given = True


def answer_low(turn: Turn) -> None:
    """After "Not good" or "No, I did not feel safe": kind words, one line of help, a person (CALL ME)."""
    signposting = turn.ctx.safeguarding.signposting
    parts = [signposting.text("answer_low", turn.language), one_line(turn) or "", words_for(turn, "callback_offer")]
    turn.add(Say(" ".join(part for part in parts if part), "support", turn.ctx.symbols.emoji("support")))
    turn.support_given = True


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
        hint=turn.ctx.texts.hint("yesno", language, turn.channel),
    )
