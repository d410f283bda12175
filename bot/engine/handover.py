"""A person from the team is replying: while a case is handed over, the bot steps aside.

The host passes the open case a staff member has answered (`ctx.handover`, from the database); then:

    "we have waited 9 months"       → CaseMessage(case, words): the words go to the case, not to a pack or
                                      to general feedback; after a staff reply, one line: "Thank you. A
                                      person from our team will read this tomorrow. Send MENU to talk to the bot."
    (more words before staff answer) → CaseMessage again, and nothing said: the person has been told
    YES · 2 · "ok thanks"           → the same: short answers are answers to the person, not to the bot
    MENU · RESTART · a pack keyword → HandoverEnded(case), and the message does what it says
    STOP · HELP · FORGET ME · …     → what they always do; the case stays open for staff

Risk is read before all of this (`engine.handle`), so the help still comes first, and SUPPORT and CALL ME
still work. Pure: no I/O.
"""

from __future__ import annotations

from bot.engine import loop_reply
from bot.engine.events import CaseMessage, HandoverEnded
from bot.engine.feedback import LONGEST_FEEDBACK, media_names, read_when
from bot.engine.turn import Turn

YES_COMMAND = "start_if_not_asked"  # a typed YES is an answer to the person, not START
BACK_TO_BOT = frozenset({"menu", "restart"})
LONGEST_KEYWORD = 40  # characters, as engine.LONGEST_COMMAND: a longer message is never a keyword


def answer(turn: Turn, text: str, command: str | None) -> bool:
    """Send the message to the handed-over case. True when it went there (the turn is then complete)."""
    handover = turn.ctx.handover
    if handover is None:
        return False
    if _back_to_bot(turn, text, command):
        turn.emit(HandoverEnded(handover.case_id))
        return False  # and the message does what it says: the menu, or the pack
    if command is not None and command != YES_COMMAND:
        return False
    if loop_reply.is_loop_tap(turn) or (len(text) <= LONGEST_KEYWORD and turn.ctx.texts.language_switch(text)):
        return False
    media = media_names(turn)
    if not text and not media:
        return False  # a tapped button or an empty message: the bot answers it as always
    turn.emit(CaseMessage(handover.case_id, text[:LONGEST_FEEDBACK], media))
    turn.conversation.awaiting = None  # a menu or language list shown before is out of date
    if handover.waiting_for_them:
        turn.say("handover_heard", "people", when=read_when(turn.ctx, turn.language))
    return True


def _back_to_bot(turn: Turn, text: str, command: str | None) -> bool:
    """MENU, RESTART, a pack's keyword, deep link or menu button: the person wants the bot again."""
    if command in BACK_TO_BOT:
        return True
    library, message = turn.ctx.library, turn.message
    if message.start_pack and library.get(message.start_pack) is not None:
        return True
    if message.choice and not text and library.get(message.choice) is not None:
        return True
    return bool(text) and len(text) <= LONGEST_KEYWORD and library.by_keyword(text) is not None
