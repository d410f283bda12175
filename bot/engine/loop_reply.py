"""The engine's reading of an answer to a "You said, we did" message. Pure: called by `engine.handle`.

The host passes the last one-tap question the person was sent (`ctx.loop_question`, from the database);
this decides whether the message answers it:

    (tap 👍 on the follow-up, any time)   → LoopAnswered(up); "Thank you. We are glad it helped."
    1 · 👍 · yes · "yes it was"            → the same, typed, when nothing else happened since we asked
    2 · 👎 · no                           → LoopAnswered(down); "… You can type a message to tell us more."
    3 · "tell us more"                    → LoopAnswered(more); "Please tell us more. Type your message …"
    (then) "The new clinic is too far"    → LoopAnswered(more, words=…): kept as a general message
    (a free-text reply to the question)   → the same: words about the action are feedback on it
    YES / NO to an invitation             → LoopAnswered(yes) and the staff member's next step / kind words

Typed answers count only outside a pack and when the question is the last thing that happened: inside a
pack, "1" answers the pack's question, and a keyword, a command or a language switch always does what
it says. Buttons carry their question id, so a tap is never mistaken.
"""

from __future__ import annotations

from bot.content.packs.folding import fold
from bot.engine.answers import Option, pick, yes_or_no
from bot.engine.asks import yes_no_options
from bot.engine.context import LoopQuestion
from bot.engine.events import LoopAnswered
from bot.engine.feedback import LONGEST_FEEDBACK, read_when
from bot.engine.turn import Turn
from bot.messages import Say

YES_COMMAND = "start_if_not_asked"  # a typed YES outside a yes/no question

HELPFUL = "helpful"  # the question id of "Was this helpful?"
INVITATION = "invitation"  # the question id of "Would you like to take part?"
HELPFUL_CHOICES = (("up", "helpful_up", "thumbs_up"), ("down", "helpful_down", "thumbs_down"),
                   ("more", "helpful_more", "message"))


def answer(turn: Turn, text: str, command: str | None) -> bool:
    """Answer the person's one-tap question if this message is an answer to it. True when it was."""
    question = turn.ctx.loop_question
    if question is None:
        return False
    message = turn.message
    if is_loop_tap(turn) and message.choice:
        return _tapped(turn, question, message.choice)
    if not _typed_counts(turn, question, command):
        return False
    if question.wants_words:
        return _words(turn, question, text)
    if question.closed:
        return False
    if question.kind == "followup":
        value = _helpful_value(turn, text, command)
        if value is None:
            return _words(turn, question, text)
        _helpful(turn, question, value)
        return True
    said = "yes" if command == YES_COMMAND else yes_or_no(text, yes_no_options(turn.ctx), turn.vocabulary)
    if said is None:
        return False
    _invited(turn, question, said)
    return True


def is_loop_tap(turn: Turn) -> bool:
    """A tap on the button of the loop question we sent last: it is current, whatever the conversation asked."""
    question, message = turn.ctx.loop_question, turn.message
    if question is None or message.choice is None:
        return False
    return message.question_id == (HELPFUL if question.kind == "followup" else INVITATION)


def _tapped(turn: Turn, question: LoopQuestion, value: str) -> bool:
    if question.kind == "followup" and value in {v for v, _, _ in HELPFUL_CHOICES}:
        _helpful(turn, question, value)
        return True
    if question.kind == "invitation" and value in ("yes", "no"):
        _invited(turn, question, value)
        return True
    return False


def _typed_counts(turn: Turn, question: LoopQuestion, command: str | None) -> bool:
    """A typed message can answer only outside a pack, when the question is the last thing we asked."""
    conversation = turn.conversation
    if conversation.in_pack or command not in (None, YES_COMMAND):
        return False
    last_seen = conversation.last_seen
    return last_seen is None or last_seen <= question.asked_at


def _starts_something(turn: Turn, text: str) -> bool:
    """A pack keyword, a deep link or a language switch: the person wants that, not to answer us."""
    ctx = turn.ctx
    return bool(
        turn.message.start_pack or ctx.library.by_keyword(text) or ctx.texts.language_switch(text)
    )


def _helpful_value(turn: Turn, text: str, command: str | None) -> str | None:
    if command == YES_COMMAND:
        return "up"
    words, symbols = turn.ctx.loop_words, turn.ctx.symbols
    options = [
        Option(value, str(n), tuple(fold(w) for w in words.everywhere(key)), fold(symbols.emoji(symbol)))
        for n, (value, key, symbol) in enumerate(HELPFUL_CHOICES, start=1)
    ]
    value = pick(text, options, turn.vocabulary)
    if value is not None:
        return value
    folded = fold(text)
    if folded in turn.vocabulary.yes:
        return "up"
    if folded in turn.vocabulary.no:
        return "down"
    return None


def _say(turn: Turn, key: str, language: str, symbol: str | None) -> None:
    turn.add(Say(turn.ctx.loop_words.get(key, language), symbol, turn.ctx.symbols.emoji(symbol)))


def _helpful(turn: Turn, question: LoopQuestion, value: str) -> None:
    turn.conversation.awaiting = None  # the menu or language list shown before this is out of date
    turn.emit(LoopAnswered(question.contact_id, value))
    reply = {"up": ("thanks_up", "thumbs_up"), "down": ("thanks_down", "thumbs_down"), "more": ("ask_more", "pencil")}
    key, symbol = reply[value]
    _say(turn, key, question.language, symbol)


def _words(turn: Turn, question: LoopQuestion, text: str) -> bool:
    if not text or _starts_something(turn, text):
        return False
    turn.conversation.awaiting = None
    turn.emit(LoopAnswered(question.contact_id, "more", text[:LONGEST_FEEDBACK]))
    when = read_when(turn.ctx, question.language)
    turn.add(Say(turn.words("feedback_thanks", question.language, when=when), "thank_you",
                 turn.ctx.symbols.emoji("thank_you")))
    return True


def _invited(turn: Turn, question: LoopQuestion, said: str) -> None:
    turn.conversation.awaiting = None
    turn.emit(LoopAnswered(question.contact_id, said))
    if said == "yes":
        _say(turn, "invite_yes", question.language, "people")
        if question.next_step:
            turn.add(Say(question.next_step, "calendar", turn.ctx.symbols.emoji("calendar")))
    else:
        _say(turn, "invite_no", question.language, "wave")
