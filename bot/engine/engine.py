"""The engine's front door: one inbound message in, one `Step` out.

The order of checks is the order of importance:
1. a submission untouched for `ctx.expiry` is closed, and one whose pack was removed too;
2. a message that shows risk gets help first (`risk`), and so do SUPPORT and CALL ME, even while stopped;
   then the answer to "carry on?" or to a call-back question;
3. STOP always works; while stopped only START (and FORGET ME) do anything;
   then, while a person from the team is replying, a message for their case (`handover`);
   then a tap or reply answering a "You said, we did" message (`bot.engine.loop_reply`);
4. an answer to a side question (the menu, the language list, "delete your details?");
5. other commands, a language switch, a start keyword or a pack picked from the menu;
6. otherwise an answer to the consent question or the current question, or, outside a pack,
   a general message kept as feedback.

Never raises on any input; the hypothesis tests in tests/engine hold it to that.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.content.meanings import Meanings
from bot.content.packs.folding import clean, fold
from bot.content.packs.model import Kind, Pack
from bot.engine import commands, handover, held, loop_reply, naming, risk, understand
from bot.engine.answers import pick, yes_or_no
from bot.engine.asks import (
    CONFIRM,
    language_options,
    menu_ask,
    menu_packs,
    menu_reading,
    yes_no_options,
    yes_no_reading,
)
from bot.engine.context import Context
from bot.engine.events import FeedbackGiven, ForgetConfirmed, Started
from bot.engine.feedback import LONGEST_FEEDBACK, keep_feedback, media_names
from bot.engine.quantities import COUNTED, ROUGHLY, counts_something
from bot.engine.state import Awaiting, Conversation, Stage
from bot.engine.turn import Step, Turn
from bot.engine.walk import (
    abandon,
    answer_consent,
    answer_question,
    confirmed,
    not_confirmed,
    show_current,
    show_menu,
    start_pack,
)
from bot.messages import Inbound, Reply, Say

LONGEST_COMMAND = 40  # characters; a longer message is never a command or keyword
# "i'm a carer, want to say how the service did": a pick from the menu in words; naming.py reads every word
LONGEST_MENU_REPLY = 80
MENU_NUMBER_WORDS = frozenset({"number", "no", "option", "the", "one", "please", "rhif"})  # "number 2", "no. 3"
SHORT_REPLY_WORDS = 3  # after expiry, a reply this short was meant for the closed question

__all__ = ["Step", "handle", "menu"]


def menu(ctx: Context, language: str | None, channel: str | None = None) -> Reply:
    """The packs a person can start on `channel`, as one question with a choice per pack."""
    lang = language or ctx.default_language
    ask = menu_ask(ctx, lang, channel)
    if ask is None:
        return Reply((Say(ctx.texts.get("menu_empty", lang), "message", ctx.symbols.emoji("message")),))
    return Reply((ask,))


def handle(conversation: Conversation, message: Inbound, ctx: Context) -> Step:
    turn = Turn(conversation, message, ctx)
    text = clean(message.text or "")
    expired = _close_stale(turn)
    command = _command(turn, text, expired)
    if _outdated_tap(turn, expired) or _safeguarding(turn, text, command):
        pass
    elif command == "stop":
        commands.stop(turn)
    elif turn.conversation.awaiting is Awaiting.FORGET and _forget_answer(turn, text, command):
        pass
    elif turn.conversation.stopped:
        _while_stopped(turn, text, command)
    elif handover.answer(turn, text, command) or loop_reply.answer(turn, text, command) or (
        turn.conversation.awaiting is not None and _side_answer(turn, text)
    ):
        pass
    elif command is not None:
        commands.run(turn, command)
    else:
        _converse(turn, text, expired)
    return turn.step()


def _outdated_tap(turn: Turn, expired: bool) -> bool:
    """A tapped button from an earlier question: say so kindly and ask the current question again.

    Only taps carry `question_id`; typed answers always go to the current question.
    """
    message, conversation = turn.message, turn.conversation
    if expired or message.choice is None or message.question_id is None or conversation.last_asked is None:
        return False
    if message.question_id == conversation.last_asked or conversation.stopped or loop_reply.is_loop_tap(turn):
        return False
    if conversation.awaiting is Awaiting.CONFIRM and message.question_id == conversation.question_id:
        return False  # a tap on the question's own button while we asked back: it answers the question
    turn.say("outdated_button", "repeat")
    commands.repeat(turn)
    return True


def _safeguarding(turn: Turn, text: str, command: str | None) -> bool:
    """Risk gets help first, whatever else the message was; then SUPPORT, CALL ME and their questions."""
    if command is None and text and (risk.screen(turn, text) or risk.asked_for(turn, text)):
        return True
    return turn.conversation.awaiting in risk.RISK_AWAITING and risk.side_answer(turn, text)


def _close_stale(turn: Turn) -> bool:
    """Abandon a submission left too long, or whose pack or question no longer exists.

    A side question (menu, language list, "delete your details?") is forgotten after a long time away:
    a "yes" or "1" days later should not act on a question the person no longer has in mind.
    """
    conversation, ctx = turn.conversation, turn.ctx
    last_seen = conversation.last_seen
    if conversation.awaiting is not None and last_seen is not None and ctx.now - last_seen >= ctx.resume_after:
        conversation.awaiting, conversation.pending = None, None
    if not conversation.in_pack:
        return False
    pack = turn.pack
    if last_seen is not None and ctx.now - last_seen > ctx.expiry:
        abandon(turn)
        if not conversation.stopped:
            keyword = pack.keywords[0] if pack else ctx.texts.get("menu_word", turn.language)
            turn.say("expired", "clock", keyword=keyword)
        return True
    if pack is None or (conversation.stage is Stage.QUESTION and turn.question is None):
        abandon(turn)
        if not conversation.stopped:
            turn.say("pack_gone", "message")
        return True
    return False


def _command(turn: Turn, text: str, expired: bool) -> str | None:
    said = text or turn.message.choice or ""
    if len(said) > LONGEST_COMMAND:
        return None
    command = turn.ctx.texts.command(said)
    if command == "start_if_not_asked" and not turn.conversation.stopped and (
        expired or commands.inside_yes_no(turn) or turn.conversation.stage is Stage.QUESTION
    ):
        return None  # YES answers the question being asked ("Did we listen?" A lot?), or the one that just closed
    return command


def _forget_answer(turn: Turn, text: str, command: str | None) -> bool:
    """After "Do you want us to delete your details?": YES deletes; anything else keeps them."""
    conversation = turn.conversation
    if command == "forget":
        commands.forget(turn)  # asked twice: ask once more, a deletion needs a clear YES
        return True
    said_yes = turn.message.choice == "yes" or command == "start_if_not_asked" or (
        yes_or_no(text, yes_no_options(turn.ctx), turn.vocabulary) == "yes"
    )
    if said_yes:
        language = turn.language
        if conversation.in_pack:
            abandon(turn)
        turn.emit(ForgetConfirmed())
        # A fresh start, but an opt-out outlives the forgetting: it is about messages, not data.
        turn.conversation = Conversation(stopped=conversation.stopped)
        turn.add(Say(turn.words("forget_done", language), "delete", turn.ctx.symbols.emoji("delete")))
        return True
    conversation.awaiting = None
    turn.say("forget_kept", "lock")
    said_no = turn.message.choice == "no" or (
        yes_or_no(text, yes_no_options(turn.ctx), turn.vocabulary) == "no"
    )
    if command is None and (said_no or not text):
        if not conversation.stopped:
            show_current(turn)
        return True
    return False  # something else: carry on with it


def _while_stopped(turn: Turn, text: str, command: str | None) -> None:
    """Only START and FORGET ME act; anything else is kept and answered with how to start again.

    Opening a pack by its link or button is a clear wish to talk, so it counts as START.
    """
    chosen = turn.ctx.library.get(turn.message.start_pack)
    if chosen is not None and chosen.offered_on(turn.channel):
        turn.conversation.stopped = False
        turn.emit(Started())
        _open(turn, chosen, returning=False)
        return
    if command in ("start", "start_if_not_asked"):
        commands.start(turn)
        return
    if command == "forget":
        commands.forget(turn)
        return
    media = media_names(turn)
    if text or media:
        turn.emit(FeedbackGiven(text[:LONGEST_FEEDBACK], media, turn.conversation.pack_id))
    turn.say("stopped_hint", "stop")


def _side_answer(turn: Turn, text: str) -> bool:
    """An answer to the menu or the language list. False (and the side question dropped) otherwise."""
    conversation, ctx = turn.conversation, turn.ctx
    choice = turn.message.choice
    if conversation.awaiting is Awaiting.LANGUAGE:
        offered = commands.offered_languages(turn)
        code = choice if choice in offered else (
            pick(text, language_options(ctx, offered), turn.vocabulary) or ctx.texts.language_switch(text)
        )
        if code:
            commands.switch_language(turn, code)
            return True
    elif conversation.awaiting is Awaiting.MENU:
        pack = ctx.library.get(choice) or _menu_pick(turn, text)
        if pack is not None and pack.offered_on(turn.channel):
            conversation.awaiting = None
            _open(turn, pack, returning=False)
            return True
    elif conversation.awaiting is Awaiting.CONFIRM:
        return _confirm_answer(turn, text)
    elif conversation.awaiting is Awaiting.HELD:
        return held.held_answer(turn, text)
    conversation.awaiting = None
    return False


def _confirm_answer(turn: Turn, text: str) -> bool:
    """After "Did you mean 3 Not good?": YES stores it, NO asks again; anything else answers the question."""
    conversation, message = turn.conversation, turn.message
    said: str | None = None
    if message.question_id in (None, CONFIRM):
        if message.choice in ("yes", "no"):
            said = message.choice
        elif text:
            reading = understand.read(text, yes_no_reading(turn.ctx), turn.ctx.meanings, turn.ctx.texts.numbers)
            said = reading.value if reading.sure else None
    if said == "yes":
        confirmed(turn)
        return True
    if said == "no":
        not_confirmed(turn)
        return True
    conversation.awaiting, conversation.pending = None, None
    return False


def _menu_pick(turn: Turn, text: str) -> Pack | None:
    """The pack a reply picks from the menu: its number, "the first one", its title or a close spelling."""
    chosen = _menu_choice(turn, text)
    return chosen if isinstance(chosen, Pack) else None


def _menu_choice(turn: Turn, text: str) -> Pack | str | None:
    """The pack a reply picks from the menu; `naming.MENU` when it asks for one without naming one."""
    if not text or len(text) > LONGEST_MENU_REPLY:
        return None
    ctx = turn.ctx
    meanings = ctx.meanings
    words = meanings.normalise(text)
    packs = menu_packs(ctx, turn.channel)
    if not packs:
        return None
    if _several(words, meanings):
        return naming.MENU  # "both", "y dau": more than one pack, so the menu again, never pack 2
    by_number_and_name = _numbered_name(turn, words, packs)
    if by_number_and_name is not None:
        return by_number_and_name
    stripped = tuple(w for w in words if w not in MENU_NUMBER_WORDS)
    ordinal = meanings.ordinals.get(stripped) if stripped else None
    if ordinal is not None:
        if ordinal == -1:
            return packs[-1]
        return packs[ordinal - 1] if 1 <= ordinal <= len(packs) else None
    by_name = naming.named(text, naming.pack_names(packs, meanings), meanings)
    if by_name is not None:
        return naming.MENU if by_name == naming.MENU else ctx.library.get(by_name)
    if len(text) > LONGEST_COMMAND:
        return None  # a longer reply picks a pack by its names only (above), never by a number or a spelling
    reading = menu_reading(ctx, turn.channel)
    # Names were read above, all or nothing; here only a number or an emoji picks ("number 2", "3️⃣"): in
    # "the kids one was too long" a title's word is not a pick.
    # The number must stand alone among words that only ask: in "the parent one", "one" is not pack 1.
    said = [w for w in words if w not in MENU_NUMBER_WORDS and (w,) not in meanings.fillers
            and w not in meanings.menu_requests] or list(words[:1] if len(words) == 1 else ())
    numbered = understand.Question(tuple(replace(a, labels=()) for a in reading.answers))
    # A number that counts something ("i have 2 kids which one") is a count, never a pick of pack 2.
    counted = any(counts_something(words, i, ctx.texts.numbers) for i in range(len(words)))
    found = understand.read(" ".join(said), numbered, meanings, ctx.texts.numbers) \
        if len(said) == 1 and not counted else None
    if found is not None and found.value is not None and found.sure:
        return ctx.library.get(found.value)
    # The whole reply a close spelling of one title ("tell us abot our servise"): a pack started by mistake
    # costs one NO at its first question, but a message that only shares a word with a title is a message.
    # One word is too like other words ("writing" is one letter from WAITING): names read it (naming.py),
    # only where no list knows the word, closer, and with a letter missing or changed; here only two letters
    # swapped or one left out of a one-word title or keyword ("pitcures", "pictres").
    if len(words) == 1:
        return _slip_of(words[0], reading, ctx)
    close = understand.closest_label(words, reading)
    return ctx.library.get(close) if close is not None else None


def _several(words: tuple[str, ...], meanings: Meanings) -> bool:
    """"both", "both of them pls", "y ddau plis": the words, fillers and asking words aside, are one of the
    `several:` phrases (with the same set aside)."""
    def core(said: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(w for w in said if (w,) not in meanings.fillers and w not in meanings.menu_requests)

    said = core(words)
    return bool(said) and (words in meanings.several or any(core(s) == said for s in meanings.several))


def _numbered_name(turn: Turn, words: tuple[str, ...], packs: list[Pack]) -> Pack | str | None:
    """"5 - waiting list", "2. parents": a menu number with the title beside it. The pack when the two
    agree; the menu when they name different packs; None when the words after the number name no pack."""
    first = words[0] if words else ""
    if len(words) < 2 or not first.isdigit() or not 1 <= int(first) <= len(packs):
        return None
    # The words, not the text: "2¾ parents" is one piece of text but reads as several words.
    by_name = naming.named(" ".join(words[1:]), naming.pack_names(packs, turn.ctx.meanings), turn.ctx.meanings)
    if by_name is None or by_name == naming.MENU:
        return None
    return packs[int(first) - 1] if packs[int(first) - 1].id == by_name else naming.MENU


SLIP_SHORTEST = 6  # letters: a shorter word is one slip away from too many others


def _slip_of(word: str, reading: understand.Question, ctx: Context) -> Pack | None:
    """The one pack whose one-word title or keyword `word` is a slip of the fingers away from: two letters
    swapped or one left out. A changed letter is not a slip here: "writing" is not WAITING."""
    if len(word) < SLIP_SHORTEST:
        return None
    slips = {answer.value for answer in reading.answers for label in answer.labels
             if len(label) == 1 and _one_slip(word, label[0])}
    return ctx.library.get(slips.pop()) if len(slips) == 1 else None


def _one_slip(said: str, meant: str) -> bool:
    if len(said) == len(meant):
        differ = [i for i in range(len(said)) if said[i] != meant[i]]
        return len(differ) == 2 and differ[1] == differ[0] + 1 and said[differ[0]] == meant[differ[1]] \
            and said[differ[1]] == meant[differ[0]]
    return len(said) == len(meant) - 1 and any(meant[:i] + meant[i + 1:] == said for i in range(len(meant)))


def _open(turn: Turn, pack: Pack, returning: bool) -> None:
    """Start `pack`, or, if the person is already in it, show them where they left off."""
    if turn.conversation.in_pack and turn.conversation.pack_id == pack.id:
        turn.say("welcome_back" if returning else "left_off", "wave")
        show_current(turn)
    else:
        start_pack(turn, pack)


def _converse(turn: Turn, text: str, expired: bool) -> None:
    conversation, ctx = turn.conversation, turn.ctx
    last_seen = conversation.last_seen
    returning = last_seen is not None and ctx.now - last_seen >= ctx.resume_after
    short = len(text) <= LONGEST_COMMAND
    language = ctx.texts.language_switch(text) if short else None
    if language is not None:
        commands.switch_language(turn, language)
        return
    pack = _pack_asked_for(turn, text if short else "")
    if pack is not None:
        _open(turn, pack, returning)
        return
    if not text and turn.message.media:
        turn.emit(FeedbackGiven("", media_names(turn), conversation.pack_id))
        if conversation.in_pack:
            turn.say("words_only", "picture")
            show_current(turn)
        else:
            turn.say("media_only", "picture")
        return
    if conversation.stage is Stage.CONSENT:
        answer_consent(turn, text, returning)
    elif conversation.stage is Stage.QUESTION:
        answer_question(turn, text, returning)
    elif expired and len(fold(text).split()) <= SHORT_REPLY_WORDS:
        pass  # a reply to the question that just closed; the expiry note already says how to start again
    elif not text and turn.message.choice:
        show_current(turn)  # a button from an old message: show what can be done now
    elif _outside_a_pack(turn, text):
        pass
    elif _small_and_a_little_more(turn, text) and menu_packs(ctx, turn.channel):
        held.hold(turn, text)
    else:
        keep_feedback(turn, text)


def _outside_a_pack(turn: Turn, text: str) -> bool:
    """A reply outside any pack that is not a message for a person. True when it was answered here.

    The menu's numbers and titles start their pack (the web chat shows the menu at the start and after
    each pack, and so may any channel); a greeting gets the menu; a bare number, yes or no, emoji or
    thank-you gets how to answer questions, and is not filed for staff, whose inbox is for real messages.
    """
    chosen = _menu_choice(turn, text)
    if isinstance(chosen, Pack):
        turn.conversation.awaiting = None
        _open(turn, chosen, returning=False)
        return True
    # "can i do the survey", or words two packs' names fit: the menu, never a guess
    kind = "greeting" if chosen == naming.MENU else _small_reply(turn, text)
    if kind is None:
        return False
    if kind in ("greeting", "number") and menu_packs(turn.ctx, turn.channel):
        if kind == "greeting":
            turn.say("welcome", "wave")
        turn.conversation.awaiting = Awaiting.MENU
        show_menu(turn)
    elif menu_packs(turn.ctx, turn.channel):
        turn.say("menu_more", "menu")
    else:
        turn.say("menu_empty", "message")
    return True


SMALL_MEANINGS = frozenset({"yes", "no", "echo_yes", "echo_no", "ok", "not_really"})
PLAIN_MEANINGS = frozenset({"yes", "no", "ok"})  # small talk on their own, not words echoed from a question
SMALL_REPLY_MOST_WORDS = 8  # "hi there, sorry for the late reply"; a longer reply may be a message


def _small_reply(turn: Turn, text: str) -> str | None:
    """"greeting", "number" or "short" when every word is a greeting, a number, a yes or no, an emoji or a
    thank-you, or the words are one amount ("six weeks", "about 2 months": an answer to a question no longer
    asked); None when the words may be a message for a person."""
    words = turn.ctx.meanings.normalise(text)
    if not words:
        return "short" if text.strip() else None  # "??" or "..." alone
    if len(words) > SMALL_REPLY_MOST_WORDS:
        return None
    parts = _parts(turn, words)
    if parts.other:
        return None
    if parts.amount:
        # a unit beside a number is an amount, told how to answer; a unit alone ("weeks") may be a message
        return ("greeting" if parts.greeting else "short") if parts.number else None
    return "greeting" if parts.greeting else "number" if parts.number else "short"


HELD_MOST_WORDS = 5
HELD_MOST_OTHER = 3  # words that are not small talk: "hey again", "ok so what now", "helo, fi sy ma eto"


def _small_and_a_little_more(turn: Turn, text: str) -> bool:
    """A few words, some small talk and at most three others ("hey again", "hiya its me"): the person may be
    finding their way in, so the words are held and asked about (held.py) rather than filed at once.
    Words with none of the small kind ("Can I change my appointment") are a message, filed as written."""
    words = turn.ctx.meanings.normalise(text)
    if not words or len(words) > HELD_MOST_WORDS or len(text) > LONGEST_MENU_REPLY or turn.message.media:
        return False
    parts = _parts(turn, words, asking=True)
    return parts.small and parts.other <= HELD_MOST_OTHER


@dataclass
class _Parts:
    greeting: bool = False
    number: bool = False
    amount: bool = False
    small: bool = False  # a greeting, small talk, a plain yes, no or ok, or a number; not a filler ("can i")
    other: int = 0  # words of none of those kinds


def _parts(turn: Turn, words: tuple[str, ...], asking: bool = False) -> _Parts:
    """What kinds of word a short reply is made of: the longest known phrase wins at each place. With
    `asking`, a word that only asks for something to do ("what", "next") counts as a filler."""
    meanings = turn.ctx.meanings
    parts = _Parts()
    i = 0
    while i < len(words):
        for size in range(min(max(4, meanings.longest_greeting), len(words) - i), 0, -1):
            window = words[i:i + size]
            hits = meanings.phrases.get(window, ())
            if window in meanings.greetings or window in meanings.openers:
                parts.greeting = parts.small = True
            elif window in meanings.small_talk:
                parts.small = True
            elif asking and (window in meanings.fillers or (size == 1 and window[0] in meanings.menu_requests)):
                pass  # neither small talk nor a message: "can i", "what", and "do" (a Welsh yes, an English ask)
            elif hits and all(h.meaning in SMALL_MEANINGS for h in hits):
                # a plain yes, no or ok is small talk; an echoed one ("can": "yes I can") may start a message
                parts.small = parts.small or any(h.meaning in PLAIN_MEANINGS for h in hits)
            elif window not in meanings.fillers:
                continue
            i += size
            break
        else:
            word = words[i]
            if word.isdigit() or word in turn.ctx.texts.numbers or (word,) in meanings.ordinals:
                parts.number = parts.small = True
            elif word in COUNTED or word in ROUGHLY:
                parts.amount = True
            elif not _emoji(word):
                parts.other += 1
            i += 1
    return parts


def _emoji(word: str) -> bool:
    return all(not ch.isalnum() for ch in word)


def _pack_asked_for(turn: Turn, text: str) -> Pack | None:
    """A pack started by a deep link, its keyword, or its button from the menu."""
    library, message = turn.ctx.library, turn.message
    pack = library.get(message.start_pack) or (library.by_keyword(text) if text else None)
    if pack is not None:
        # A pack made for other channels (the phone pack in the web chat) is not started here.
        return pack if pack.offered_on(turn.channel) else None
    choice = message.choice
    tapped = library.get(choice)
    if choice is None or tapped is None or not tapped.offered_on(turn.channel):
        return None
    question = turn.question
    current = {"yes", "no"} if turn.conversation.stage is Stage.CONSENT else set()
    if turn.conversation.stage is Stage.QUESTION and question is not None:
        current = {c.value for c in question.choices}
        if question.kind is Kind.YESNO:
            current = {"yes", "no"}
    return None if choice in current else library.get(choice)
