"""A short message outside a pack that the bot cannot place: asked about before it reaches staff.

"hey again", "hiya its me", "2 next pls": a few words, partly small talk, that are neither a pick from the
menu nor plainly a greeting may be someone finding their way in, not a message for a person. Filing them fills
the staff inbox with "hiya" and leaves the person with no questions to answer. So such a message is held (in
the conversation's `pending`), the menu is shown, and YES sends it on; anything else drops it and is read as
usual (a number picks a pack, a message is filed). Which messages are held is decided by the engine
(engine._small_and_a_little_more); a message with no small talk in it, a longer one, or one with a picture is
filed at once: there the person has plainly written to us.
"""

from __future__ import annotations

from bot.engine.answers import yes_or_no
from bot.engine.asks import yes_no_options
from bot.engine.feedback import keep_feedback
from bot.engine.state import Awaiting
from bot.engine.turn import Turn
from bot.engine.walk import show_menu


def hold(turn: Turn, text: str) -> None:
    """Hold a few words and ask whether they were meant for the team, with the menu beside the question."""
    turn.conversation.awaiting = Awaiting.HELD
    turn.conversation.pending = text
    turn.say("held_ask", "message")
    show_menu(turn)


def held_answer(turn: Turn, text: str) -> bool:
    """After "Is that a message for our team? Reply YES": YES files the held message. True when answered.

    Anything else forgets it and is read as a new message (False).
    """
    conversation = turn.conversation
    held, conversation.awaiting, conversation.pending = conversation.pending, None, None
    said_yes = turn.message.choice == "yes" or (
        bool(text) and yes_or_no(text, yes_no_options(turn.ctx), turn.vocabulary) == "yes"
    )
    if not said_yes or not held:
        return False
    keep_feedback(turn, held)
    return True
