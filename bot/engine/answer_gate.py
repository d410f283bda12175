"""Whether a second-opinion-only finding is plainly an answer to the question being asked.

    "Would you like to get involved?"  "not right now"  model.urgent, no rule  -> set aside: stored as No
    "Would you come again?"            "dont wanna come back"                 -> set aside: stored as Unhappy
    "Would you come again?"            "no i want to die"  en.suicide_intent  -> help first (a rule fired)
    "What could we do better?"         "not right now"                        -> help first (a text question)

Why: the second opinion (bot/safeguarding/model.py) counts words. "not right now", "go on then" and
"dont want them" share words with risky messages it learnt from ("I can't go on", "not right now but
later"), and it has no idea a question was asked. Sent to a person who was only answering a survey, a
crisis-line text is wrong and makes them trust us less. The lists (phrases, patterns, word groups) are
what people wrote down word by word, so a finding with any rule in it is never set aside, and neither is
a message longer than an answer, or one at a free-text question, a stopped conversation, a conversation a
person from the team has taken over, or while a "You said, we did" question waits for its answer.

Never set aside, whatever the reading: a plea for help or "i cant go on" (`asks_for_help:` in the meaning
lists; the reading finds "please" or "go on" in them), and a hedge ("not sure", "bit nervous"). A word
counts as an answer word only inside a whole meaning phrase: "miss" in "hit and miss" does not make
"nobody would miss me" an answer.

A finding is set aside only when the engine's own reading (bot/engine/walk.py, understand.py) is sure of
one answer to the question on screen: a choice, scale, yes/no or number question, the consent question,
"Did you mean …?", "Do you want to carry on?", or, outside a pack, a pick from the menu, a greeting,
"what is this?" alone, or "both" (more than one pack: `several:` in the meaning lists, exactly as listed).
`python -m bench.safeguarding_gate` shows no reviewed risky message is set aside at any of these.
"""

from __future__ import annotations

from bot.content.packs.folding import fold
from bot.content.packs.model import Kind
from bot.engine import naming, understand
from bot.engine.asks import menu_packs, menu_reading, reading_for, yes_no_reading
from bot.engine.state import Awaiting, Stage
from bot.engine.turn import Turn
from bot.engine.walk import read_answer
from bot.safeguarding.finding import Finding

# Words. The everyday answers the second opinion flagged in the understanding held-out sets have up to
# six ("sad i have to come again"); a choice is read from up to 8 (answers.MOST_WORDS) and 12
# (understand.LONGEST_REPLY) words, but past six a reply is telling us something beyond its answer, and
# that is what the second opinion is for. Tight on purpose: each word allowed is room for risk to hide in.
MOST_WORDS = 6
# What the meaning reading calls a hedge: "not sure", "maybe", "bit nervous". A hedge is not plainly an
# answer; with the second opinion's flag on it, the person may be telling us more than the answer.
HEDGES = frozenset({"unsure", "worried"})
# Questions whose reading is one of a fixed set of answers; a text question has no "plainly an answer".
ANSWERABLE = frozenset({Kind.CHOICE, Kind.SCALE, Kind.YESNO, Kind.NUMBER})
YES_NO_AWAITING = frozenset({Awaiting.CONFIRM, Awaiting.CARRY_ON})


def set_aside(turn: Turn, text: str, finding: Finding) -> bool:
    """True when `finding` came from the second opinion alone and `text` is plainly an answer to the
    question being asked, so the message is read as that answer instead of getting help."""
    if not finding.second_opinion_only or not 0 < len(fold(text).split()) <= MOST_WORDS:
        return False
    if _asks_for_help_or_hedges(text, turn):
        return False
    conversation, ctx = turn.conversation, turn.ctx
    if conversation.stopped or ctx.handover is not None or ctx.loop_question is not None:
        return False  # the message is for a person, or answers something other than the pack's question
    awaiting = conversation.awaiting
    if awaiting in YES_NO_AWAITING or (awaiting is None and conversation.stage is Stage.CONSENT):
        return _sure(text, yes_no_reading(ctx), turn)
    if not conversation.in_pack and awaiting in (None, Awaiting.MENU):
        return (_greeting(text, turn) or _asks_what_this_is(text, turn) or _names_a_pack(text, turn)
                or _sure(text, menu_reading(ctx, turn.channel), turn))
    if awaiting is not None or conversation.stage is not Stage.QUESTION:
        return False  # another side question (a language, a phone number, deleting details)
    pack, question = turn.pack, turn.question
    if pack is None or question is None or question.kind not in ANSWERABLE:
        return False
    found = read_answer(turn, question, pack, text)
    if len(found.values) != 1 or not _sure_enough(text, found.values[0], found.sure, turn) or (
        found.values[0] in question.support_when
    ):
        # A low answer the pack marks for support ("No" to "Do you feel safe?") with the model's flag on
        # top is given the full help: the answer itself says the person may not be all right.
        return False
    if question.kind is Kind.NUMBER:
        return _only_answer_words(text, turn, understand.Question(()), numbers=True)
    return _plain(text, found.values[0], reading_for(question, pack, ctx), turn)


def _sure(text: str, question: understand.Question, turn: Turn) -> bool:
    ctx = turn.ctx
    reading = understand.read(text, question, ctx.meanings, ctx.texts.numbers)
    value = reading.value
    return value is not None and _sure_enough(text, value, reading.sure, turn) and _plain(text, value, question, turn)


def _sure_enough(text: str, value: str, sure: bool, turn: Turn) -> bool:
    """A sure reading, or a No turned round from a negation ("not right now", "nah not for me").

    The engine asks "Did you mean No?" about those before storing; the help would be a wrong answer to a
    refusal. Any other unsure reading is a guess (a feeling, a close spelling), and guesses keep the help."""
    if sure:
        return True
    meanings = turn.ctx.meanings
    return value == "no" and any(w in meanings.negations for w in meanings.normalise(text))


def _plain(text: str, value: str, question: understand.Question, turn: Turn) -> bool:
    """Only answer words, and not the best answer with a negation in it.

    Packs put the best answer first, and Yes is first at a yes or no question. A negation beside it is a
    turn-round the reading may have missed: "i cant go on" reads as "go on", Yes."""
    meanings = turn.ctx.meanings
    best = question.answers[0].value if question.answers else None
    if value == best and any(w in meanings.negations for w in meanings.normalise(text)):
        return False
    return _only_answer_words(text, turn, question)


def _only_answer_words(text: str, turn: Turn, question: understand.Question, numbers: bool = False) -> bool:
    """Whether every word is one people answer with: the question's answers, their keys and words, or a
    word of the meaning lists (bot/content/meanings.py: "nah", "not", "now", "go", "then", "forever").

    The engine's reading forgives a word it does not know ("i have a rope" reads as "yes", "I have"); here
    no word may be left over, because a word nobody listed as an answer is where risk hides."""
    meanings, texts = turn.ctx.meanings, turn.ctx.texts
    own = {word for answer in question.answers for label in answer.labels for word in label}
    own.update(answer.key for answer in question.answers)
    own.update(answer.emoji for answer in question.answers if answer.emoji)
    # The question's own words said back ("yes i feel safe" to "Did you feel safe here?"): they are the
    # question's, not the person's news, and the reading is already sure of one answer.
    own.update(question.echo)
    everyday = (texts.yes_words, texts.no_words, texts.negations, meanings.negations, meanings.stronger, own)
    words = meanings.normalise(text)
    # A word counts inside a whole meaning phrase only: "miss" is in "hit and miss", "home" in "nothing to
    # write home about", but "nobody would miss me" and "no food at home" are not made of answers.
    in_phrases = {i for start, end, _ in meanings.find(words) for i in range(start, end)}
    return all(
        i in in_phrases or (word,) in meanings.fillers or any(word in group for group in everyday)
        or (numbers and (word.isdigit() or word in texts.numbers))
        for i, word in enumerate(words)
    )


def _greeting(text: str, turn: Turn) -> bool:
    """A greeting, or more than one pack at once ("both", "all of them": `several:`), exactly as listed."""
    meanings = turn.ctx.meanings
    words = meanings.normalise(text)
    return words in meanings.greetings or words in meanings.several


# Asking what this is, and nothing else ("what is this?", "be di hwn?"; dev set 5: the second opinion flagged the
# northern "be di hwn?" and it was filed for staff with crisis help). A question word, a demonstrative, and at
# most a "to be" between: no word in it can carry news, so the menu, which says who we are, is the answer.
WHAT_THIS_ASKS = frozenset({"what", "whats", "wot", "who", "whos", "be", "beth", "pwy"})
WHAT_THIS_IS = frozenset({"this", "hwn", "hon", "hyn"})
WHAT_THIS_JOINS = frozenset({"is", "di", "yw", "ydi", "ydy", "ywr"})
WHAT_THIS_MOST_WORDS = 3


def _asks_what_this_is(text: str, turn: Turn) -> bool:
    """"what is this", "whats this", "beth yw hwn", "be di hwn", "pwy di hwn": only asking what this is."""
    words = turn.ctx.meanings.normalise(text)
    return (0 < len(words) <= WHAT_THIS_MOST_WORDS and words[0] in WHAT_THIS_ASKS and words[-1] in WHAT_THIS_IS
            and all(w in WHAT_THIS_JOINS for w in words[1:-1]))


def _asks_for_help_or_hedges(text: str, turn: Turn) -> bool:
    """A plea for help or "i cant go on" (the meaning lists' `asks_for_help`), or a hedge, anywhere in it.

    The reading may still find an answer in such a message ("please help me" reads as "please", Yes; "i
    cant go on" as "go on"), so it is never set aside, whatever the question: the help is what it asks for.
    """
    meanings = turn.ctx.meanings
    words = meanings.normalise(text)
    if meanings.asks_for(words):
        return True
    return any(hit.meaning in HEDGES for _, _, hits in meanings.find(words) for hit in hits)


def _names_a_pack(text: str, turn: Turn) -> bool:
    """At the menu, a reply made only of one pack's names, words that ask, and an age ("for my daughter,
    shes 8", "the waiting one"): bot/engine/naming.py starts that pack. No negation may be in it."""
    meanings = turn.ctx.meanings
    if any(w in meanings.negations for w in meanings.normalise(text)):
        return False
    packs = menu_packs(turn.ctx, turn.channel)
    found = naming.named(text, naming.pack_names(packs, meanings), meanings)
    return found is not None and found != naming.MENU
