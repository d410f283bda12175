"""Commands a person can send at any time, as the whole message, in English or Welsh (system.yaml).

    STOP (STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT)  → Stopped; nothing more is sent
    START, UNSTOP (and YES outside a yes/no question)              → Started; carry on where they were
    HELP, INFO → who we are, the commands, office hours, then the question again
    SKIP · BACK · REPEAT · RESTART · MENU · LANGUAGE · FORGET ME (asks YES first)
    CYMRAEG, WELSH, ENGLISH, SAESNEG                               → switch language at once
"""

from __future__ import annotations

from bot.content.packs.model import Kind
from bot.engine.asks import forget_ask, language_ask, pack_language
from bot.engine.events import LanguageChosen, Started, Stopped
from bot.engine.state import Awaiting, Stage
from bot.engine.turn import Turn
from bot.engine.walk import record, show_current, show_menu, start_pack
from bot.messages import Say


def inside_yes_no(turn: Turn) -> bool:
    """Whether YES would answer a question now (then it is an answer, not START)."""
    conversation = turn.conversation
    if conversation.awaiting in (Awaiting.FORGET, Awaiting.CARRY_ON, Awaiting.CALLBACK, Awaiting.CONFIRM):
        return True
    if conversation.stage is Stage.CONSENT:
        return True
    question = turn.question
    return conversation.stage is Stage.QUESTION and question is not None and question.kind is Kind.YESNO


def stop(turn: Turn) -> None:
    turn.conversation.stopped = True
    turn.conversation.awaiting = None
    turn.emit(Stopped())
    turn.say("stopped", "stop")


def start(turn: Turn) -> None:
    was_stopped = turn.conversation.stopped
    turn.conversation.stopped = False
    turn.emit(Started())
    if was_stopped:
        turn.say("started", "start")
    elif not turn.conversation.in_pack:
        turn.say("welcome", "wave")
    show_current(turn)


def help_(turn: Turn) -> None:
    turn.say("help_about", "help", service=turn.ctx.service_name_in(turn.language))
    turn.add(Say(turn.ctx.texts.privacy(turn.language, turn.channel), "lock", turn.ctx.symbols.emoji("lock")))
    turn.say("help_commands", "help")
    turn.say("office_hours", "clock", hours=turn.ctx.office_hours.describe(turn.language))
    show_current(turn)


def skip(turn: Turn) -> None:
    question = turn.question
    if turn.conversation.stage is Stage.QUESTION and question is not None:
        record(turn, question, None, None, None, skipped=True)
        return
    turn.say("skip_nothing", "skip")
    show_current(turn)


def back(turn: Turn) -> None:
    conversation = turn.conversation
    if conversation.stage is not Stage.QUESTION:
        turn.say("back_nothing", "back")
    elif conversation.history:
        conversation.question_id = conversation.history.pop()
        conversation.tries = 0
        turn.say("back_done", "back")
    else:
        turn.say("back_first", "back")
    show_current(turn)


def repeat(turn: Turn) -> None:
    show_current(turn)


def restart(turn: Turn) -> None:
    pack = turn.pack
    if turn.conversation.in_pack and pack is not None:
        turn.say("restart", "repeat")
        start_pack(turn, pack)
    else:
        show_menu(turn)


def menu(turn: Turn) -> None:
    turn.conversation.awaiting = Awaiting.MENU if turn.ctx.library.all(turn.channel) else None
    show_menu(turn)


def forget(turn: Turn) -> None:
    turn.conversation.awaiting = Awaiting.FORGET
    turn.add(forget_ask(turn.ctx, turn.language, turn.channel))


def choose_language(turn: Turn) -> None:
    turn.conversation.awaiting = Awaiting.LANGUAGE
    turn.add(language_ask(turn.ctx, offered_languages(turn), turn.language, turn.channel))


def offered_languages(turn: Turn) -> list[str]:
    """The pack's languages inside a pack; outside, every language a pack or the bot speaks."""
    pack = turn.pack
    if pack is not None and turn.conversation.in_pack:
        return list(pack.languages)
    return list(dict.fromkeys([*turn.ctx.library.languages(), *turn.ctx.texts.languages]))


def switch_language(turn: Turn, language: str) -> None:
    turn.conversation.language = language
    turn.conversation.awaiting = None
    turn.emit(LanguageChosen(language))
    turn.say("language_set", "language")
    pack = turn.pack
    if pack is not None and turn.conversation.in_pack and language not in pack.languages:
        shown = pack_language(pack, language)
        turn.say("language_missing", "language", name=turn.ctx.texts.language_name(shown))
    show_current(turn)


def run(turn: Turn, command: str) -> None:
    """Carry out a command by its name in system.yaml."""
    match command:
        case "stop":
            stop(turn)
        case "start" | "start_if_not_asked":
            start(turn)
        case "help":
            help_(turn)
        case "skip":
            skip(turn)
        case "back":
            back(turn)
        case "repeat":
            repeat(turn)
        case "restart":
            restart(turn)
        case "menu":
            menu(turn)
        case "forget":
            forget(turn)
        case "language":
            choose_language(turn)
        case _:
            show_current(turn)
