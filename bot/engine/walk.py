"""Walking through a pack: intro and consent, one question at a time, the outro.

    DEMO            → intro, "Is it OK to ask you 5 short questions?"
    yes             → SubmissionStarted, question 1
    2               → AnswerGiven(overall=ok), question 2 …
    (last answer)   → outro, SubmissionFinished(completed), Reply.ended
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.content.packs.folding import fold
from bot.content.packs.model import Kind, Pack, Question
from bot.engine import answers, understand
from bot.engine.asks import (
    confirm_ask,
    consent_answer,
    consent_ask,
    forget_ask,
    how_to_answer,
    informal,
    menu_ask,
    pack_language,
    question_ask,
    reading_for,
    which_ask,
)
from bot.engine.context import Context
from bot.engine.events import (
    AnswerGiven,
    AnswerWithdrawn,
    ConsentGiven,
    FeedbackGiven,
    SubmissionFinished,
    SubmissionStarted,
)
from bot.engine.feedback import LONGEST_FEEDBACK, media_names
from bot.engine.flow import next_question
from bot.engine.quantities import read_amount
from bot.engine.signposts import aftercare, answer_low
from bot.engine.state import Awaiting, Stage
from bot.engine.turn import Turn
from bot.messages import Ask, Say

SKIP_OFFERED_AFTER = 2  # unclear answers in a row before the re-ask offers SKIP
_UNIT_IN_WORDS = re.compile(r"\bhow many (days|weeks|months|years)\b", re.IGNORECASE)
UNIT_WORDS = {"days": "unit_days", "weeks": "unit_weeks", "months": "unit_months", "years": "unit_years"}


@dataclass(frozen=True)
class Understood:
    """What a reply to a question was read as: the values that fit, and whether we are sure."""

    values: tuple[str, ...] = ()
    sure: bool = False
    number: float | None = None  # for a number question


def show_current(turn: Turn, offer_skip: bool = False) -> None:
    """Ask again whatever the person is on: the consent question, the current question, or the menu."""
    conversation, pack, question = turn.conversation, turn.pack, turn.question
    if conversation.awaiting is Awaiting.FORGET:
        turn.add(forget_ask(turn.ctx, turn.language, turn.channel))
    elif conversation.stage is Stage.CONSENT and pack:
        turn.add(consent_ask(pack, turn.ctx, turn.language, turn.channel))
    elif conversation.stage is Stage.QUESTION and pack and question:
        turn.add(question_ask(pack, question, turn.ctx, turn.language, len(conversation.history),
                              conversation.answers, offer_skip, turn.channel))
    else:
        show_menu(turn)


def show_menu(turn: Turn) -> None:
    ask = menu_ask(turn.ctx, turn.language, turn.channel)
    if ask is None:
        turn.say("menu_empty", "message")
    else:
        turn.add(ask)


def abandon(turn: Turn) -> None:
    """Close an open submission, keeping what was answered; the person is back outside any pack."""
    if turn.conversation.submission_id:
        turn.emit(SubmissionFinished(turn.conversation.submission_id, "abandoned"))
    turn.conversation.leave_pack()


def start_pack(turn: Turn, pack: Pack) -> None:
    if turn.conversation.in_pack:
        abandon(turn)
    conversation = turn.conversation
    conversation.leave_pack()
    conversation.stage = Stage.CONSENT
    conversation.pack_id, conversation.pack_version = pack.id, pack.version
    turn.add(intro_say(pack, turn.ctx, turn.language, turn.channel))
    turn.add(consent_ask(pack, turn.ctx, turn.language, turn.channel))


def intro_say(pack: Pack, ctx: Context, language: str, channel: str | None) -> Say:
    """The pack's intro and the channel's one sentence about what we keep, as one message."""
    lang = pack_language(pack, language)
    intro = pack.intro.get(lang) or pack.intro[pack.languages[0]]
    privacy = ctx.texts.privacy(lang, channel, informal=informal(pack))
    return Say(f"{intro} {privacy}".strip(), pack.symbol, ctx.symbols.emoji(pack.symbol))


def unclear(turn: Turn, returning: bool, text: str = "") -> None:
    """A kind re-ask. Someone back after a long time is welcomed back instead, with no try counted.

    Many words where a pick was asked for are someone telling us something: they are kept as a general
    message rather than lost, and the question is asked again.
    """
    conversation = turn.conversation
    story = len(fold(text).split()) > answers.MOST_WORDS
    if returning or story:
        if returning:
            turn.say("welcome_back", "wave")
        if story:
            turn.emit(FeedbackGiven(text[:LONGEST_FEEDBACK], media_names(turn), conversation.pack_id))
            turn.say("kept_message", "message")
        show_current(turn)
        return
    conversation.tries += 1
    offer_skip = conversation.stage is Stage.QUESTION and conversation.tries >= SKIP_OFFERED_AFTER
    how = _how(turn)
    if how:
        turn.say("reask_how", "question", how=how)
    else:
        turn.say("reask", "question")
    show_current(turn, offer_skip=offer_skip)


def _how(turn: Turn) -> str:
    """What works as an answer to the question being asked, on this person's channel."""
    conversation, pack, question = turn.conversation, turn.pack, turn.question
    if pack is None:
        return ""
    if conversation.stage is Stage.CONSENT:
        ask = consent_ask(pack, turn.ctx, turn.language)
        return how_to_answer(turn.ctx, turn.message.channel, ask)
    if conversation.stage is Stage.QUESTION and question is not None:
        ask = question_ask(pack, question, turn.ctx, turn.language, 0, conversation.answers)
        return how_to_answer(turn.ctx, turn.message.channel, ask, question=question)
    return ""


def answer_consent(turn: Turn, text: str, returning: bool) -> None:
    pack = turn.pack
    assert pack is not None  # the caller checked the pack still exists
    choice = turn.message.choice
    if choice in ("yes", "no"):
        reply: str | None = choice
    else:
        # Only a sure yes starts a pack; anything less is asked again with how to answer.
        reply = consent_answer(text, turn.ctx)
    if reply == "yes":
        conversation = turn.conversation
        conversation.submission_id = turn.ctx.new_id
        conversation.stage = Stage.QUESTION
        conversation.tries = 0
        language = pack_language(pack, turn.language)
        turn.emit(SubmissionStarted(turn.ctx.new_id, pack.id, pack.version, language))
        advance(turn, None)
    elif reply == "no":
        turn.conversation.leave_pack()
        turn.say("consent_no", "wave")
        turn.ended = True
    else:
        unclear(turn, returning, text)


def read_answer(turn: Turn, question: Question, pack: Pack, text: str) -> Understood:
    """What a reply to a choice, scale, yes/no or number question says, and how sure we are."""
    choice = turn.message.choice
    ctx = turn.ctx
    if question.kind in (Kind.CHOICE, Kind.SCALE, Kind.YESNO):
        values = ["yes", "no"] if question.kind is Kind.YESNO else [c.value for c in question.choices]
        if choice in values:
            return Understood((choice,), True)
        reading = understand.read(text, reading_for(question, pack, ctx), ctx.meanings, ctx.texts.numbers,
                                  ctx.sentiment)
        # "good?" or "do you mean was it good": a question back may be a guess at what we want; asked back
        return Understood(reading.values, reading.sure and not understand.asks_back(text, ctx.meanings))
    if question.kind is Kind.NUMBER:
        low = question.min if question.min is not None else float("-inf")
        high = question.max if question.max is not None else float("inf")
        amount = read_amount(choice or text, unit_of(question), ctx.texts.numbers)
        if amount is None or not low <= amount.value <= high:
            return Understood()
        sure = amount.sure and not understand.asks_back(text, ctx.meanings)  # "6 weeks?" is a guess: asked back
        return Understood((answers.number_words(amount.value),), sure, amount.value)
    return Understood()


def unit_of(question: Question) -> str | None:
    """What a number question counts: its `unit`, or the one its English words name ("How many weeks …")."""
    if question.unit is not None:
        return question.unit.value
    found = _UNIT_IN_WORDS.search(question.text.get("en", ""))
    return found.group(1).lower() if found else None


def answer_question(turn: Turn, text: str, returning: bool) -> None:
    pack, question = turn.pack, turn.question
    assert pack is not None and question is not None  # the caller checked both still exist
    if question.kind is Kind.TEXT:
        if returning and text:
            # Back after a long time, this may not answer a question they no longer see: keep it as a
            # general message so nothing they said is lost, and show them the question.
            turn.say("welcome_back", "wave")
            turn.emit(FeedbackGiven(text[:LONGEST_FEEDBACK], media_names(turn), pack.id))
            turn.say("kept_message", "message")
            show_current(turn)
            return
        if not text:
            unclear(turn, returning)
            return
        kept = text[: question.max_length]
        if len(text) > question.max_length:
            turn.say("text_long", "pencil", limit=question.max_length)
        record(turn, question, None, None, kept, skipped=False)
        return
    found = read_answer(turn, question, pack, text)
    if not found.values or (returning and not found.sure):
        unclear(turn, returning, text)
        return
    if len(found.values) == 2:
        ask = _asked(turn, pack, question)
        turn.add(which_ask(ask, found.values, turn.ctx, turn.message.channel))
        return
    value = found.values[0]
    if not found.sure:
        ask_back(turn, pack, question, value, found.number)
        return
    number = found.number if question.kind is Kind.NUMBER else (float(value) if question.kind is Kind.SCALE else None)
    record(turn, question, value, number, None, skipped=False)


def _asked(turn: Turn, pack: Pack, question: Question) -> Ask:
    conversation = turn.conversation
    return question_ask(pack, question, turn.ctx, turn.language, len(conversation.history), conversation.answers)


def ask_back(turn: Turn, pack: Pack, question: Question, value: str, number: float | None) -> None:
    """"Did you mean 3 Not good?": the answer is kept aside and stored only on YES."""
    conversation = turn.conversation
    lang = pack_language(pack, turn.language)
    if question.kind is Kind.NUMBER:
        unit = unit_of(question)
        said = f"{value} {turn.words(UNIT_WORDS[unit], lang)}" if unit else value
    elif question.kind is Kind.YESNO:
        said = turn.words(f"label_{value}", lang)
    else:
        ask = _asked(turn, pack, question)
        said = next(f"{c.key} {c.label}" for c in ask.choices if c.value == value)
    conversation.awaiting = Awaiting.CONFIRM
    conversation.pending = value
    turn.add(confirm_ask(turn.ctx, lang, said, turn.channel))


def confirmed(turn: Turn) -> None:
    """YES to "Did you mean …?": store the answer kept aside."""
    conversation, question = turn.conversation, turn.question
    value = conversation.pending
    conversation.awaiting, conversation.pending = None, None
    if question is None or value is None or conversation.stage is not Stage.QUESTION:
        show_current(turn)
        return
    number: float | None = None
    if question.kind in (Kind.NUMBER, Kind.SCALE):
        try:
            number = float(value)
        except ValueError:
            show_current(turn)
            return
    record(turn, question, value, number, None, skipped=False)


def not_confirmed(turn: Turn) -> None:
    """NO to "Did you mean …?": nothing is stored, and the question is asked again with how to answer."""
    conversation = turn.conversation
    conversation.awaiting, conversation.pending = None, None
    how = _how(turn)
    turn.say("confirm_no", "question")
    question, pack = turn.question, turn.pack
    if question is not None and pack is not None:
        ask = _asked(turn, pack, question)
        turn.add(Ask(ask.question_id, ask.text, ask.kind, ask.language, ask.symbol, ask.emoji, ask.choices,
                     how or ask.hint, ask.optional, ask.progress))
    else:
        show_current(turn)


def record(
    turn: Turn, question: Question, value: str | None, number: float | None, text: str | None, skipped: bool
) -> None:
    conversation = turn.conversation
    submission = conversation.submission_id
    assert submission is not None  # questions are only asked inside a submission
    turn.emit(AnswerGiven(submission, question.id, value, number, text, skipped))
    if value is not None and value in question.support_when:
        answer_low(turn)
    if question.purpose is not None and value in ("yes", "no"):
        turn.emit(ConsentGiven(question.purpose.value, value == "yes"))
    if question.id in conversation.history:
        conversation.history.remove(question.id)
    conversation.history.append(question.id)
    if value is not None:
        conversation.answers[question.id] = value
    else:
        conversation.answers.pop(question.id, None)
    if question.id not in conversation.answered:
        conversation.answered.append(question.id)
    advance(turn, question.id)


def advance(turn: Turn, after: str | None) -> None:
    pack = turn.pack
    conversation = turn.conversation
    assert pack is not None and conversation.submission_id is not None
    following, passed = next_question(pack, after, conversation.answers)
    for question in passed:
        if question.id in conversation.answered:
            turn.emit(AnswerWithdrawn(conversation.submission_id, question.id))
            conversation.answered.remove(question.id)
            conversation.answers.pop(question.id, None)
    conversation.tries = 0
    if following is None:
        finish(turn, pack)
        return
    conversation.question_id = following.id
    show_current(turn)


def finish(turn: Turn, pack: Pack) -> None:
    submission = turn.conversation.submission_id
    assert submission is not None
    lang = pack_language(pack, turn.language)
    turn.add(Say(pack.outro.get(lang) or pack.outro[pack.languages[0]], "thank_you",
                 turn.ctx.symbols.emoji("thank_you")))
    if any(q.sensitive for q in pack.questions):
        aftercare(turn)
    turn.emit(SubmissionFinished(submission, "completed"))
    turn.conversation.leave_pack()
    turn.ended = True
