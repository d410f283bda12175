"""Walking through a pack: intro and consent, one question at a time, the outro.

    DEMO            → intro, "Is it OK to ask you 5 short questions?"
    yes             → SubmissionStarted, question 1
    2               → AnswerGiven(overall=ok), question 2 …
    (last answer)   → outro, SubmissionFinished(completed), Reply.ended
"""

from __future__ import annotations

from bot.content.packs.folding import fold
from bot.content.packs.model import Kind, Pack, Question
from bot.engine import answers
from bot.engine.asks import (
    consent_ask,
    forget_ask,
    informal,
    menu_ask,
    options_for,
    pack_language,
    question_ask,
    yes_no_options,
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
from bot.engine.signposts import aftercare, answer_low
from bot.engine.state import Awaiting, Stage
from bot.engine.turn import Turn
from bot.messages import Say

SKIP_OFFERED_AFTER = 2  # unclear answers in a row before the re-ask offers SKIP


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
    turn.say("reask", "question")
    show_current(turn, offer_skip=offer_skip)


def answer_consent(turn: Turn, text: str, returning: bool) -> None:
    pack = turn.pack
    assert pack is not None  # the caller checked the pack still exists
    choice = turn.message.choice
    if choice in ("yes", "no"):
        reply: str | None = choice
    else:
        reply = answers.yes_or_no(text, yes_no_options(turn.ctx), turn.vocabulary)
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


def read_answer(turn: Turn, question: Question, pack: Pack, text: str) -> tuple[str, float | None] | None:
    """(value, number) for a choice, scale, yes/no or number question; None when unclear."""
    choice = turn.message.choice
    if question.kind in (Kind.CHOICE, Kind.SCALE, Kind.YESNO):
        values = ["yes", "no"] if question.kind is Kind.YESNO else [c.value for c in question.choices]
        options = options_for(question, pack, turn.ctx)
        if choice in values:
            value: str | None = choice
        elif question.kind is Kind.YESNO:
            value = answers.yes_or_no(text, options, turn.vocabulary)
        else:
            value = answers.pick(text, options, turn.vocabulary)
        if value is None:
            return None
        return value, float(value) if question.kind is Kind.SCALE else None
    if question.kind is Kind.NUMBER:
        low = question.min if question.min is not None else float("-inf")
        high = question.max if question.max is not None else float("inf")
        found = answers.number(choice or text, low, high, turn.vocabulary)
        return None if found is None else (answers.number_words(found), found)
    return None


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
    if found is None:
        unclear(turn, returning, text)
        return
    value, number = found
    record(turn, question, value, number, None, skipped=False)


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
