"""Safeguarding inside the conversation: help first, then the person chooses what happens next.

    (in a pack) "i want to die"  → RiskDetected(urgent); "Thank you for telling us …", 999, Samaritans,
                                   Shout, Childline (by audience), the duty line (in office hours),
                                   "We have told our team …", "… send CALL ME", "Do you want to carry on?"
    YES                          → the question again (or the next one, if the words answered a text question)
    NO                           → SubmissionFinished(abandoned), kind words, the end
    (outside a pack) the same help, with the words kept as feedback; no carry-on question.

    SUPPORT / HELP ME            → the support list, then back to where they were
    CALL ME                      → on a phone: "… phone you on this number?" YES → CallbackRequested
                                   elsewhere: "Which number should we phone?" 07700 900123 → CallbackRequested

Detection runs before every other reading of a message except the whole-message commands, so the help
always comes first, mid-pack or not, stopped or not, whatever the channel (IVR speech arrives as text).
One exception: a finding of the second opinion alone, on a message that is plainly an answer to the
question being asked ("not right now" to "Would you like to get involved?"), is set aside and the message
read as that answer (answer_gate.py). A finding with any rule of the lists in it always gets help.
"""

from __future__ import annotations

from typing import Literal

from bot.content.packs.model import Kind
from bot.engine import answer_gate, understand
from bot.engine.answers import yes_or_no
from bot.engine.asks import yes_no_options, yes_no_reading
from bot.engine.events import CallbackRequested, FeedbackGiven, RiskDetected
from bot.engine.feedback import LONGEST_FEEDBACK, media_names, read_when
from bot.engine.phone import read_phone
from bot.engine.signposts import say, signposts, yes_no
from bot.engine.state import Awaiting, Stage
from bot.engine.turn import Turn
from bot.engine.walk import abandon, record, show_current
from bot.messages import Ask, Channel
from bot.safeguarding.finding import Finding, Level

PHONE_CHANNELS = frozenset({Channel.SMS, Channel.WHATSAPP, Channel.VOICE})
CARRY_ON = "carry_on"
CALLBACK = "callback"
CALLBACK_NUMBER = "callback_number"
LOOKS_LIKE_A_NUMBER = 5  # digits; fewer is not an attempt at a phone number


def screen(turn: Turn, text: str) -> bool:
    """Answer a message that shows risk. True when it did (the turn is then complete)."""
    finding = turn.ctx.safeguarding.detector.detect(text)
    if not finding.risky or answer_gate.set_aside(turn, text, finding):
        return False  # an everyday answer the second opinion alone flagged is read as the answer (answer_gate.py)
    respond(turn, text, finding)
    return True


def respond(turn: Turn, text: str, finding: Finding) -> None:
    conversation = turn.conversation
    level: Literal["urgent", "concern"] = "urgent" if finding.level is Level.URGENT else "concern"
    pack_id, submission_id = conversation.pack_id, conversation.submission_id
    # Before anything else in the reply, even an "It has been a while" note from an expired pack.
    turn.messages[0:0] = signposts(turn, level)
    turn.support_given = True
    where, kept_as = _keep(turn, text)
    turn.emit(RiskDetected(level, finding.rules, where, kept_as, text[:LONGEST_FEEDBACK], submission_id, pack_id))
    say(turn, "told_team", "people", when=read_when(turn.ctx, turn.language))
    say(turn, "callback_offer", "phone")
    if conversation.in_pack and not conversation.stopped:
        conversation.awaiting = Awaiting.CARRY_ON
        turn.add(yes_no(turn, CARRY_ON, "carry_on", "question"))


def _keep(turn: Turn, text: str) -> tuple[str, Literal["answer", "feedback"]]:
    """Store the words: as the answer to a text question, otherwise as a general message."""
    conversation, question = turn.conversation, turn.question
    if (
        conversation.stage is Stage.QUESTION and question is not None and question.kind is Kind.TEXT
        and conversation.awaiting is None and not conversation.stopped
    ):
        before = len(turn.messages)
        record(turn, question, None, None, text[: question.max_length], skipped=False)
        if conversation.in_pack:
            del turn.messages[before:]  # the next question waits until they choose to carry on
        return question.id, "answer"
    turn.emit(FeedbackGiven(text[:LONGEST_FEEDBACK], media_names(turn), conversation.pack_id))
    conversation.awaiting = None
    if conversation.stage is Stage.QUESTION and question is not None:
        return question.id, "feedback"
    if conversation.stage is Stage.CONSENT:
        return "consent", "feedback"
    return "feedback", "feedback"


def asked_for(turn: Turn, text: str) -> bool:
    """SUPPORT or CALL ME as the whole message. True when it was one of them."""
    word = turn.ctx.safeguarding.signposting.word(text)
    if word == "support":
        for message in signposts(turn, "support"):
            turn.add(message)
        turn.support_given = True
        say(turn, "callback_offer", "phone")
        turn.conversation.awaiting = None
        if turn.conversation.in_pack and not turn.conversation.stopped:
            show_current(turn)
        return True
    if word == "callback":
        ask_callback(turn)
        return True
    return False


def ask_callback(turn: Turn) -> None:
    if turn.message.channel in PHONE_CHANNELS:
        turn.conversation.awaiting = Awaiting.CALLBACK
        turn.add(yes_no(turn, CALLBACK, "callback_ask", "phone"))
        return
    turn.conversation.awaiting = Awaiting.CALLBACK_NUMBER
    language = turn.language
    turn.add(Ask(
        question_id=CALLBACK_NUMBER,
        text=turn.ctx.safeguarding.signposting.text("callback_number", language),
        kind=Kind.TEXT.value,
        language=language,
        symbol="phone",
        emoji=turn.ctx.symbols.emoji("phone"),
        hint=turn.ctx.texts.hint("text", language, turn.channel),
    ))


RISK_AWAITING = frozenset({Awaiting.CARRY_ON, Awaiting.CALLBACK, Awaiting.CALLBACK_NUMBER})


def side_answer(turn: Turn, text: str) -> bool:
    """An answer to the carry-on or call-back question; False (the question dropped) for anything else."""
    conversation = turn.conversation
    awaiting = conversation.awaiting
    choice = turn.message.choice
    said = choice if choice in ("yes", "no") else yes_or_no(text, yes_no_options(turn.ctx), turn.vocabulary)
    if said is None and awaiting in (Awaiting.CARRY_ON, Awaiting.CALLBACK):
        # The shared meanings know more ways to say yes or no ("ye go on", "rather not"); only a sure reading
        # counts here, because a guess would end the conversation or ring someone back.
        reading = understand.read(text, yes_no_reading(turn.ctx), turn.ctx.meanings, turn.ctx.texts.numbers)
        said = reading.value if reading.sure and reading.value in ("yes", "no") else None
    if awaiting is Awaiting.CARRY_ON and said is not None:
        conversation.awaiting = None
        if said == "yes":
            show_current(turn)
        else:
            abandon(turn)
            say(turn, "carry_on_no", "wave")
            turn.ended = True
        return True
    if awaiting is Awaiting.CALLBACK and said is not None:
        conversation.awaiting = None
        if said == "yes":
            turn.emit(CallbackRequested())
            say(turn, "callback_done", "phone", when=read_when(turn.ctx, turn.language))
        else:
            say(turn, "callback_no", "phone")
        _back_to_pack(turn)
        return True
    if awaiting is Awaiting.CALLBACK_NUMBER:
        return _callback_number(turn, text, said)
    conversation.awaiting = None  # something else: the side question is dropped and the message read as usual
    return False


def _callback_number(turn: Turn, text: str, said: str | None) -> bool:
    conversation = turn.conversation
    phone = read_phone(text)
    if phone is not None:
        conversation.awaiting = None
        turn.emit(CallbackRequested(phone))
        say(turn, "callback_done", "phone", when=read_when(turn.ctx, turn.language))
        _back_to_pack(turn)
        return True
    if said == "no":
        conversation.awaiting = None
        say(turn, "callback_no", "phone")
        _back_to_pack(turn)
        return True
    if sum(ch.isdigit() for ch in text) >= LOOKS_LIKE_A_NUMBER:
        say(turn, "callback_bad_number", "phone")
        return True  # still waiting for the number
    conversation.awaiting = None
    return False


def _back_to_pack(turn: Turn) -> None:
    if turn.conversation.in_pack and not turn.conversation.stopped:
        show_current(turn)
