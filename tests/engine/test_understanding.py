"""Understanding people as they write: meanings, asking back, units, how to answer, menus, staff's inbox."""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_kit import Chat, kept_for_a_person, render
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bench.understanding import development_sets, load_prompts, measure
from bot.content.meanings import shipped_meanings
from bot.content.packs.library import PackLibrary, SystemTexts
from bot.content.packs.model import Pack
from bot.engine import understand
from bot.engine.asks import reading_for, yes_no_reading
from bot.engine.context import Context
from bot.engine.events import AnswerGiven, FeedbackGiven, RiskDetected, SubmissionStarted
from bot.engine.quantities import read_amount
from bot.engine.state import Awaiting, Conversation, Stage
from bot.messages import Ask, Channel

MEANINGS = shipped_meanings()


def _at(chat: Chat, pack_id: str, question_id: str, language: str = "en") -> Chat:
    pack = chat.library.get(pack_id)
    assert pack is not None and pack.question(question_id) is not None
    chat.conversation = Conversation(
        language=language, stage=Stage.QUESTION, pack_id=pack_id, pack_version=pack.version, submission_id="s",
        question_id=question_id, last_asked=question_id,
    )
    return chat


def _stored(step: object) -> list[AnswerGiven]:
    return [e for e in step.events if isinstance(e, AnswerGiven)]  # type: ignore[attr-defined]


def _read(ctx: Context, library: PackLibrary, pack_id: str, question_id: str, text: str) -> understand.Reading:
    pack = library.get(pack_id)
    assert pack is not None
    question = pack.question(question_id)
    assert question is not None
    return understand.read(text, reading_for(question, pack, ctx), ctx.meanings, ctx.texts.numbers)


# -- meanings, not labels -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pack_id", "question_id", "said", "value"),
    [
        ("waiting_list", "feeling", "not great tbh", "not_good"),
        ("waiting_list", "feeling", "idk", "dont_know"),
        ("waiting_list", "feeling", "dont no", "dont_know"),
        ("waiting_list", "feeling", "pretty bad", "not_good"),
        ("waiting_list", "feeling", "really low today", "not_good"),
        ("waiting_list", "feeling", "😊", "good"),
        ("waiting_list", "feeling", "😢", "not_good"),
        ("waiting_list", "feeling", "not too bad", "ok"),
        ("parent_carer", "fft", "excellent", "very_good"),
        ("parent_carer", "fft", "terrible", "very_poor"),
        ("parent_carer", "fft", "average", "neither"),
        ("parent_carer", "fft", "not sure", "dont_know"),
        ("parent_carer", "fft", "really good", "very_good"),
        ("parent_carer", "fft", "very poor", "very_poor"),
        ("parent_carer", "listened", "definitely", "a_lot"),
        ("parent_carer", "listened", "a bit", "a_little"),
        ("parent_carer", "contact", "it was hard", "hard"),
        ("parent_carer", "contact", "not easy", "hard"),
        ("demo", "overall", "excellent", "good"),  # no Very good here: the nearest end of the scale
        ("phone", "next_steps", "dunno", "no_idea"),
        ("children", "feel_here", "sad", "unhappy"),
    ],
)
def test_replies_are_read_by_meaning(
    ctx: Context, library: PackLibrary, pack_id: str, question_id: str, said: str, value: str
) -> None:
    reading = _read(ctx, library, pack_id, question_id, said)
    assert reading.values == (value,) and reading.sure, reading


@pytest.mark.parametrize(
    ("said", "value"),
    [("ydw", "yes"), ("nac ydw", "no"), ("do", "yes"), ("naddo", "no"), ("oes", "yes"), ("nac oes", "no"),
     ("ydyn", "yes"), ("nac ydyn", "no"), ("Nag ydw", "no"), ("ie", "yes"), ("na", "no"),
     ("yeh", "yes"), ("nah", "no"), ("yes pls", "yes"), ("👍", "yes"), ("👎", "no"), ("you did", "yes"),
     ("no you didnt", "no"), ("not really", "no"), ("definitely", "yes")],
)
def test_yes_and_no_in_english_and_welsh_echoes(ctx: Context, said: str, value: str) -> None:
    reading = understand.read(said, yes_no_reading(ctx), ctx.meanings, ctx.texts.numbers)
    assert reading.values == (value,) and reading.sure


def test_a_pack_author_adds_words_and_meanings_per_choice(ctx: Context, library: PackLibrary) -> None:
    pack = Pack.model_validate({
        "id": "local", "version": 1, "audience": "young_person", "languages": ["en"], "title": {"en": "Local"},
        "keywords": ["LOCAL"], "symbol": "star", "intro": {"en": "Hi."}, "consent": {"en": "OK?"},
        "outro": {"en": "Bye."},
        "questions": [{
            "id": "food", "kind": "choice", "text": {"en": "What was the food like?"}, "symbol": "star",
            "choices": [
                {"value": "tasty", "label": {"en": "Tasty"}, "symbol": "happy", "means": ["good"],
                 "words": {"en": ["yum", "scrummy"]}},
                {"value": "yuck", "label": {"en": "Yuck"}, "symbol": "unhappy", "means": ["bad"]},
            ],
        }],
    })
    question = pack.questions[0]
    reading = reading_for(question, pack, ctx)
    for said, value in (("scrummy", "tasty"), ("yum", "tasty"), ("really good", "tasty"), ("awful", "yuck"),
                        ("not great", "yuck")):
        got = understand.read(said, reading, ctx.meanings, ctx.texts.numbers)
        assert got.values == (value,) and got.sure, said


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_text_is_read_without_error_and_never_as_three_answers(text: str) -> None:
    prompts = _PROMPTS
    pack = prompts.library.get("parent_carer")
    assert pack is not None
    ctx = _ctx()
    for question in pack.questions:
        if question.choices:
            reading = understand.read(text, reading_for(question, pack, ctx), MEANINGS, ctx.texts.numbers)
            assert len(reading.values) <= 2
            assert set(reading.values) <= {c.value for c in question.choices}


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["fft", "listened", "informed", "contact"]), st.data())
def test_a_label_as_written_is_always_that_answer(question_id: str, data: st.DataObject) -> None:
    pack = _PROMPTS.library.get("parent_carer")
    assert pack is not None
    question = pack.question(question_id)
    assert question is not None
    choice = data.draw(st.sampled_from(question.choices))
    label = data.draw(st.sampled_from(list(choice.label.values())))
    label = data.draw(st.sampled_from([label, label.upper(), f"{label}!", f"  {label.lower()} "]))
    ctx = _ctx()
    reading = understand.read(label, reading_for(question, pack, ctx), MEANINGS, ctx.texts.numbers)
    assert reading.values == (choice.value,) and reading.sure


# -- never misread: ask back ----------------------------------------------------------------------------


def test_saying_the_question_back_is_asked_back(chat: Chat) -> None:
    _at(chat, "parent_carer", "listened")
    assert "Did you mean 1 A lot?" in render(chat.send("they did listen"))


def test_a_guess_is_asked_back_and_stored_only_on_yes(chat: Chat) -> None:
    _at(chat, "parent_carer", "listened")
    step = chat.send("yes")  # "Did we listen to you?" A lot, A little, Not at all: yes is nearly A lot
    assert not _stored(step)
    assert "Did you mean 1 A lot?" in render(step) and "Reply YES or NO." in render(step)
    assert chat.conversation.awaiting is Awaiting.CONFIRM
    step = chat.send("yes")
    (answer,) = _stored(step)
    assert (answer.question_id, answer.value) == ("listened", "a_lot")
    assert "Did we keep you up to date?" in render(step)


def test_no_to_a_guess_stores_nothing_and_says_how_to_answer(chat: Chat) -> None:
    _at(chat, "parent_carer", "listened")
    chat.send("yes")
    step = chat.send("no")
    assert not _stored(step)
    shown = render(step)
    assert "OK. Please answer again." in shown and "Did we listen to you?" in shown and "Reply 1, 2 or 3." in shown


def test_another_answer_while_asked_back_answers_the_question(chat: Chat) -> None:
    _at(chat, "parent_carer", "listened")
    chat.send("yes")
    (answer,) = _stored(chat.send("a little"))  # "2" would be No: the question asked back numbers Yes and No
    assert answer.value == "a_little"


def test_a_tap_on_the_questions_own_button_while_asked_back_answers_it(chat: Chat) -> None:
    _at(chat, "parent_carer", "listened")
    chat.send("yes")
    (answer,) = _stored(chat.send("", choice="not_at_all", question_id="listened"))
    assert answer.value == "not_at_all"


def test_two_answers_that_fit_are_offered_back(chat: Chat) -> None:
    _at(chat, "parent_carer", "listened")
    step = chat.send("not really")
    assert not _stored(step)
    (ask,) = [m for m in step.reply.messages if isinstance(m, Ask)]
    assert ask.question_id == "listened" and ask.text == "Did you mean 2 A little or 3 Not at all?"
    assert [c.key for c in ask.choices] == ["2", "3"] and ask.hint == "Reply 2 or 3."
    (answer,) = _stored(chat.send("3"))
    assert answer.value == "not_at_all"


def test_the_question_asked_back_survives_being_saved(chat: Chat) -> None:
    _at(chat, "demo", "wait_weeks")
    chat.send("about 6 months")
    saved = Conversation.from_dict(chat.conversation.to_dict())
    assert saved.awaiting is Awaiting.CONFIRM and saved.pending == "26"
    broken = {**chat.conversation.to_dict(), "pending": None}
    assert Conversation.from_dict(broken).awaiting is None


# -- numbers with units -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "value", "sure"),
    [("6", 6, True), ("six", 6, True), ("twenty six", 26, True), ("2 weeks", 2, True), ("14 days", 2, True),
     ("about 6 months", 26, False), ("6 months", 26, False), ("2 months", 9, False), ("a year", 52, False),
     ("18 months", 78, False), ("a year and a half", 78, False), ("a couple of weeks", 2, False),
     ("about 6", 6, True), ("over 6 weeks", 6, False), ("6 weeks or so", 6, True),
     ("3 wythnos", 3, True), ("blwyddyn", 52, False), ("none", 0, True), ("a fortnight", 2, True),
     ("we didnt wait long, a fortnight", 2, True), ("2 fortnights", 4, True), ("pythefnos", 2, False),
     ("didnt wait at all", 0, False), ("seen straight away", 0, False), ("tua chwe mis", 26, False),
     ("am ddau fis", 9, False), ("tair wythnos", 3, True), ("bedair wythnos", 4, True)],
)
def test_numbers_and_units(texts: SystemTexts, said: str, value: int, sure: bool) -> None:
    amount = read_amount(said, "weeks", texts.numbers)
    assert amount is not None and (amount.value, amount.sure) == (value, sure)


@pytest.mark.parametrize("said", ["6-8 weeks", "6 or 7", "2 weeks or 3 weeks", "ages", "", "didnt wait long"])
def test_numbers_that_are_not_one_amount_are_not_guessed(texts: SystemTexts, said: str) -> None:
    assert read_amount(said, "weeks", texts.numbers) is None


def test_months_are_never_stored_as_weeks(chat: Chat) -> None:
    _at(chat, "demo", "wait_weeks")
    step = chat.send("about 6 months")
    assert not _stored(step) and "Did you mean 26 weeks?" in render(step)
    (answer,) = _stored(chat.send("yes"))
    assert (answer.value, answer.number) == ("26", 26.0)


# -- say how to answer after a miss -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "how"),
    [(Channel.SMS, "Reply 1, 2 or 3."), (Channel.WEB, "Tap an answer, or reply 1, 2 or 3."),
     (Channel.TELEGRAM, "Tap an answer, or reply 1, 2 or 3."), (Channel.VOICE, "Press 1, 2 or 3, or say your answer.")],
)
def test_after_a_miss_the_bot_says_what_works_on_that_channel(chat: Chat, channel: Channel, how: str) -> None:
    chat.channel = channel
    _at(chat, "demo", "overall")
    first = render(chat.send("purple"))
    assert f"Sorry, we did not understand that. {how}" in first and "SKIP" not in first
    assert "skip to miss this question" in render(chat.send("banana")).lower()  # in the channel's own words


def test_after_a_miss_at_a_yes_or_no_question(chat: Chat) -> None:
    _at(chat, "waiting_list", "updates")
    assert "Sorry, we did not understand that. Reply YES or NO." in render(chat.send("maybe"))


@pytest.mark.parametrize(
    ("channel", "how"),
    [(Channel.SMS, "Reply with a number from 0 to 104."), (Channel.WEB, "Type a number from 0 to 104."),
     (Channel.VOICE, "Say a number from 0 to 104, or use the keys.")],
)
def test_after_a_miss_at_a_number_question_the_bot_asks_for_a_number(
    chat: Chat, channel: Channel, how: str
) -> None:
    chat.channel = channel
    _at(chat, "demo", "wait_weeks")
    shown = render(chat.send("no idea mate"))
    assert f"Sorry, we did not understand that. {how}" in shown, "a number question is never 'in your own words'"
    assert "own words" not in shown


# -- numbers and titles at every menu ---------------------------------------------------------------------


def _started(step: object) -> str | None:
    asks = [m for m in step.reply.messages if isinstance(m, Ask)]  # type: ignore[attr-defined]
    return asks[-1].question_id if asks else None


@pytest.mark.parametrize("channel", [Channel.SMS, Channel.TELEGRAM, Channel.WEB])
@pytest.mark.parametrize(
    ("said", "pack_id"),
    [("5", "waiting_list"), ("1", "children"), ("number 2", "demo"), ("the first one", "children"),
     ("3️⃣", "easy_words"), ("While you wait", "waiting_list"), ("while u wait", "waiting_list"),
     ("how we did", "parent_carer"), ("waiting", "waiting_list"), ("last", "waiting_list")],
)
def test_the_first_screen_numbers_and_titles_start_their_pack(
    chat: Chat, channel: Channel, said: str, pack_id: str
) -> None:
    chat.channel = channel
    step = chat.send(said)
    assert chat.conversation.pack_id == pack_id and chat.conversation.stage is Stage.CONSENT
    assert not any(isinstance(e, FeedbackGiven) for e in step.events)


@pytest.mark.parametrize("said", ["1", "the first one", "our service", "our servise"])
def test_the_phone_menu_reads_its_one_pack(chat: Chat, said: str) -> None:
    chat.channel = Channel.VOICE  # the phone line offers the phone pack alone
    step = chat.send(said)
    assert chat.conversation.pack_id == "phone" and chat.conversation.stage is Stage.CONSENT
    assert not any(isinstance(e, FeedbackGiven) for e in step.events)


@pytest.mark.parametrize(
    ("said", "pack_id"),
    [("the waiting one", "waiting_list"), ("the one about waiting", "waiting_list"),
     ("im still waiting to be seen", "waiting_list"), ("carers feedback", "parent_carer"),
     ("tell us how we did pls", "parent_carer"), ("tel us how we did", "parent_carer"),
     ("tell us about your vist", "demo"), ("tell u about ur visit", "demo"), ("the kids one", "children"),
     ("sut oedd hi", "children"), ("the one with pictures", "easy_words"),
     ("the carer one", "parent_carer"), ("wait list", "waiting_list"), ("how did we do", "parent_carer")],
)
def test_a_pack_is_started_by_what_people_call_it(chat: Chat, said: str, pack_id: str) -> None:
    chat.channel = Channel.WEB
    step = chat.send(said)
    assert chat.conversation.pack_id == pack_id and chat.conversation.stage is Stage.CONSENT, render(step)
    assert not any(isinstance(e, FeedbackGiven) for e in step.events)


@pytest.mark.parametrize(
    "said",
    ["hey can i do the survey", "what can i do here", "the survey", "can i give feedback", "your visit",
     "pictures or carers", "ga i wneud yr arolwg", "is this the survey", "options", "rhieni", "for parents",
     "parent", "im a parent", "the parent one", "the parents one", "for parents pls"],
)
def test_asking_for_something_to_do_or_naming_two_packs_gets_the_menu(chat: Chat, said: str) -> None:
    """Never the wrong pack, and never the staff inbox: "your visit" fits three packs' titles."""
    chat.channel = Channel.WEB
    step = chat.send(said)
    assert _started(step) == "menu" and not chat.conversation.in_pack, render(step)
    assert not any(isinstance(e, FeedbackGiven) for e in step.events)


@pytest.mark.parametrize(
    "said", ["still waiting for a call back", "the kids one was too long", "not the waiting one", "What is it about?"],
)
def test_a_message_that_mentions_a_pack_is_kept_for_a_person(chat: Chat, said: str) -> None:
    chat.channel = Channel.WEB
    assert kept_for_a_person(chat, said) and not chat.conversation.in_pack, said


@pytest.mark.parametrize("said", ["barn am y gwasanaeth", "tell us about our servise"])
def test_the_phone_menu_hears_the_pack_by_what_callers_call_it(chat: Chat, said: str) -> None:
    chat.channel = Channel.VOICE
    chat.send(said)
    assert chat.conversation.pack_id == "phone"


@pytest.mark.parametrize(("channel", "first", "number", "then"), [
    (Channel.SMS, "DEMO", "5", "waiting_list"), (Channel.TELEGRAM, "DEMO", "5", "waiting_list"),
    (Channel.WEB, "DEMO", "5", "waiting_list"), (Channel.VOICE, "PHONE", "1", "phone"),
])
def test_after_a_pack_ends_a_number_starts_the_next_pack(
    chat: Chat, channel: Channel, first: str, number: str, then: str
) -> None:
    chat.channel = channel
    chat.send(first)
    step = chat.send("yes")
    for _ in range(12):  # the first answer to every question, until the pack ends
        if step.reply.ended:
            break
        step = chat.send("1")
    assert step.reply.ended and not chat.conversation.in_pack
    step = chat.send(number)
    assert chat.conversation.pack_id == then
    assert not any(isinstance(e, FeedbackGiven) for e in step.events)


@pytest.mark.parametrize("said", ["hi", "Hello!", "hiya", "hey there", "good morning", "shwmae", "helo"])
def test_a_greeting_gets_the_menu(chat: Chat, said: str) -> None:
    step = chat.send(said)
    assert _started(step) == "menu" and chat.conversation.awaiting is Awaiting.MENU
    assert not step.events
    assert not _stored(chat.send("2")) and chat.conversation.pack_id == "demo"


@pytest.mark.parametrize(
    "said",
    ["hi, got your message", "sorry for the late reply", "hello, you texted me?", "hey sorry just seen this",
     "helo, wedi cael eich neges", "sori am yr oedi"],
)
def test_a_greeting_that_answers_our_text_or_says_sorry_gets_the_menu(chat: Chat, said: str) -> None:
    """A person answering the text that invited them has nothing yet for staff to read: they get the menu."""
    step = chat.send(said)
    assert _started(step) == "menu" and chat.conversation.awaiting is Awaiting.MENU
    assert not any(isinstance(e, FeedbackGiven) for e in step.events), said


# -- only real messages reach staff -------------------------------------------------------------------------

SMALL = st.one_of(
    st.integers(-1000, 10**9).map(str),
    st.sampled_from(["yes", "no", "nah", "yeah", "ok", "Ok thanks", "thanks!", "ta", "👍", "😊", "🙂🙂", "👎",
                     "hi", "hello", "hiya", "🤷", "1️⃣", "na", "naddo", "diolch", "cheers x", "k", "👋", "??"]),
)


def _outside_a_pack(after_a_pack: bool) -> Chat:
    """A new chat at the first screen, or one whose pack has just ended."""
    chat = Chat(_PROMPTS.library, _PROMPTS.texts, _PROMPTS.symbols)
    if after_a_pack:
        chat.send("PHONE")
        for answer in ("yes", "1", "1", "1", "1"):
            chat.send(answer)
    return chat


@settings(max_examples=200, deadline=None)
@given(said=SMALL, after_a_pack=st.booleans())
def test_no_bare_number_yes_no_emoji_or_greeting_is_filed_for_staff(said: str, after_a_pack: bool) -> None:
    step = _outside_a_pack(after_a_pack).send(said)
    assert not any(isinstance(e, FeedbackGiven) for e in step.events), said
    assert step.reply.messages


AMOUNTS = st.builds(
    lambda rough, number, unit: " ".join(w for w in (rough, number, unit) if w),
    st.sampled_from(["", "about", "around", "nearly", "over", "tua"]),
    st.one_of(st.integers(0, 99).map(str), st.sampled_from(["six", "two", "ten", "twenty", "chwe"])),
    st.sampled_from(["weeks", "week", "months", "mnths", "days", "times", "wythnos", "mis", "yrs", "hours"]),
)


@settings(max_examples=100, deadline=None)
@given(said=AMOUNTS, after_a_pack=st.booleans())
def test_an_amount_alone_is_told_how_to_answer_not_filed_for_staff(said: str, after_a_pack: bool) -> None:
    """ "six weeks" after a pack ended, or before one began, answers a question nobody is asking: staff
    reading it in their inbox could do nothing with it."""
    step = _outside_a_pack(after_a_pack).send(said)
    # safeguarding reads every message first, and its second opinion may flag an odd one ("around 0 mnths")
    assume(not any(isinstance(e, RiskDetected) for e in step.events))
    assert not any(isinstance(e, FeedbackGiven) for e in step.events), said
    assert "A person will read it" not in render(step) and step.reply.messages


@pytest.mark.parametrize(
    "said",
    ["The nurse was lovely to my son", "hi, the car park was full again", "why did nobody call me back",
     "no one told us the appointment moved", "6 weeks is too long to wait", "weeks and weeks",
     "got your text, my appointment was cancelled again", "sorry but the receptionist was rude to my son",
     "sori, roedd y maes parcio yn llawn"],
)
def test_words_that_look_like_a_real_message_are_kept_for_a_person(chat: Chat, said: str) -> None:
    assert kept_for_a_person(chat, said), said


# -- the development set -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", development_sets(), ids=lambda p: p.stem)
def test_no_development_reply_is_misread(path: Path) -> None:
    tally = measure(path, _PROMPTS)
    assert tally.counts["misread"] == 0, tally.misreads


def test_the_development_replies_are_understood() -> None:
    """Every file in tests/engine/understanding/ together: the engineers' replies and the folded sets."""
    tallies = [measure(path, _PROMPTS) for path in development_sets()]
    total = sum(t.total for t in tallies)
    assert len(tallies) >= 3 and total >= 550
    understood = sum(t.counts["understood"] for t in tallies)
    assert understood >= 0.95 * total, [r for t in tallies for r in t.refusals]


def test_a_submission_starts_from_a_natural_yes(chat: Chat) -> None:
    chat.send("DEMO")
    step = chat.send("yeah go on then")
    assert any(isinstance(e, SubmissionStarted) for e in step.events)


_PROMPTS = load_prompts()


def _ctx() -> Context:
    from bench.understanding import _context

    return _context(_PROMPTS)


# -- what a reply at a choice question can come to -----------------------------------------------------------

CHOICE_QUESTIONS = [
    (pack.id, question.id) for pack in _PROMPTS.library.all() for question in pack.questions
    if question.kind.value in ("choice", "scale", "yesno")
]


def _outcome(pack_id: str, question_id: str, said: str, language: str = "en") -> tuple[str, frozenset[str]]:
    """("stored", {value}), ("asked", {value}) for "Did you mean …?", ("which", {a, b}) or ("nothing", {})."""
    chat = _at(Chat(_PROMPTS.library, _PROMPTS.texts, _PROMPTS.symbols), pack_id, question_id, language)
    step = chat.send(said)
    stored = [e.value for e in _stored(step) if not e.skipped]
    if stored:
        return "stored", frozenset(str(v) for v in stored)
    if chat.conversation.pending is not None:
        return "asked", frozenset({chat.conversation.pending})
    asks = [m for m in step.reply.messages if isinstance(m, Ask)]
    if asks and asks[-1].question_id == question_id and asks[-1].text.startswith(("Did you mean", "Oeddech")):
        return "which", frozenset(c.value for c in asks[-1].choices)
    return "nothing", frozenset()


def _values(pack_id: str, question_id: str) -> frozenset[str]:
    pack = _PROMPTS.library.get(pack_id)
    question = pack.question(question_id) if pack else None
    assert question is not None
    return frozenset({"yes", "no"}) if question.kind.value == "yesno" else frozenset(c.value for c in question.choices)


AMOUNT_UNITS = ["weeks", "months", "years", "days", "times", "kids", "stars", "hours", "wks", "mis", "wythnos"]


@settings(max_examples=150, deadline=None)
@given(
    where=st.sampled_from(CHOICE_QUESTIONS), number=st.integers(0, 12),
    words=st.booleans(), before=st.sampled_from(["", "about ", "around ", "i think ", "tua "]),
    unit=st.sampled_from(["", *AMOUNT_UNITS]),
)
def test_a_number_with_a_unit_or_about_is_never_a_choice(
    where: tuple[str, str], number: int, words: bool, before: str, unit: str
) -> None:
    """ "about 3 months" to "How well did we listen?" once stored 3 Not at all."""
    if not unit and before in ("", "i think "):
        return  # a bare number is a pick
    said = f"{before}{_NUMBER_WORDS[number] if words else number} {unit}".strip()
    how, _ = _outcome(*where, said)
    assert how == "nothing", said


_NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                 "twelve"]


def test_a_number_with_a_unit_at_did_you_mean_is_not_a_pick(chat: Chat) -> None:
    _at(chat, "parent_carer", "listened")
    chat.send("not really")  # "Did you mean 2 A little or 3 Not at all?"
    step = chat.send("3 months")
    assert not _stored(step) and "Reply 1, 2 or 3." in render(step)


@settings(max_examples=200, deadline=None)
@given(where=st.sampled_from(CHOICE_QUESTIONS), said=st.text(max_size=40) | st.sampled_from(
    ["not really", "bit nervous", "go on then", "might do", "only when i chased", "sorta", "3 months", "oeddwn",
     "no nobody's said", "dim llawer", "felt ignored", "too early to tell", "if you like", "1 or 2"]))
def test_any_reply_stores_a_value_the_question_offers_asks_back_or_stores_nothing(
    where: tuple[str, str], said: str
) -> None:
    how, values = _outcome(*where, said)
    offered = _values(*where)
    assert values <= offered
    assert (how, len(values)) in {("stored", 1), ("asked", 1), ("which", 2), ("nothing", 0)}


@pytest.mark.parametrize(
    ("pack_id", "question_id", "said", "how", "values"),
    [
        # hedged yes and no: a clear yes is stored, a maybe only asked back, never stored as yes
        ("parent_carer", "hear_back", "yeah go on", "stored", {"yes"}),
        ("parent_carer", "involvement", "count me in", "stored", {"yes"}),
        ("parent_carer", "hear_back", "if you like", "asked", {"yes"}),
        ("parent_carer", "involvement", "id be interested", "asked", {"yes"}),
        ("waiting_list", "checkins", "might do", "asked", {"yes"}),
        ("parent_carer", "hear_back", "rather not", "stored", {"no"}),
        ("parent_carer", "involvement", "too busy sorry", "stored", {"no"}),
        ("parent_carer", "involvement", "not interested", "stored", {"no"}),
        ("waiting_list", "checkins", "not every month", "asked", {"no"}),
        # echoes and paraphrases on scales
        ("parent_carer", "listened", "felt ignored", "stored", {"not_at_all"}),
        ("phone", "listened", "i felt heard", "stored", {"a_lot"}),
        ("parent_carer", "informed", "only when i chased", "stored", {"a_little"}),
        ("parent_carer", "informed", "every so often", "stored", {"a_little"}),
        ("phone", "next_steps", "they explained it all", "stored", {"know"}),
        ("phone", "next_steps", "vaguely", "stored", {"not_sure"}),
        ("phone", "next_steps", "sorta", "asked", {"not_sure"}),
        ("phone", "next_steps", "not really", "which", {"not_sure", "no_idea"}),
        ("phone", "next_steps", "no nobody's said", "stored", {"no_idea"}),
        ("parent_carer", "next_steps", "we've been left in the dark", "asked", {"no"}),
        ("parent_carer", "fft", "too early to tell", "stored", {"dont_know"}),
        # a worry is between unsure and unhappy: asked which, never stored as unhappy
        ("children", "feel_here", "bit nervous", "which", {"unsure", "unhappy"}),
        ("waiting_list", "feeling", "anxious", "asked", {"not_good"}),
        ("children", "come_again", "yay", "stored", {"happy"}),
        # a bare echo ("it was", "im") beside a word that says otherwise is never a sure yes
        ("children", "safe", "it was scary", "asked", {"no"}),
        ("parent_carer", "involvement", "im busy", "asked", {"no"}),
        ("children", "listened", "the man listened to me", "stored", {"yes"}),
        ("phone", "next_steps", "they said nothing", "stored", {"no_idea"}),
        ("parent_carer", "contact", "wasnt easy", "asked", {"hard"}),
    ],
)
def test_the_classes_of_reply_people_write(
    pack_id: str, question_id: str, said: str, how: str, values: set[str]
) -> None:
    assert _outcome(pack_id, question_id, said) == (how, frozenset(values))


@pytest.mark.parametrize(
    ("pack_id", "question_id", "said", "how", "values"),
    [
        ("children", "safe", "oeddwn", "stored", {"yes"}),
        ("children", "safe", "nac oeddwn", "stored", {"no"}),
        ("children", "feel_here", "o'n i'n drist", "stored", {"unhappy"}),
        ("children", "feel_here", "dda", "stored", {"happy"}),
        ("phone", "listened", "dim llawer", "stored", {"a_little"}),
        ("parent_carer", "involvement", "dim ar hyn o bryd", "stored", {"no"}),
    ],
)
def test_welsh_past_tense_echoes_and_soft_mutations(
    pack_id: str, question_id: str, said: str, how: str, values: set[str]
) -> None:
    assert _outcome(pack_id, question_id, said, "cy") == (how, frozenset(values))


@pytest.mark.parametrize(
    ("pack_id", "question_id", "said", "value"),
    [("parent_carer", "hear_back", "go on then", "yes"), ("waiting_list", "updates", "ye go on", "yes"),
     ("parent_carer", "involvement", "nah not for me", "no"), ("parent_carer", "involvement", "not right now", "no"),
     ("parent_carer", "involvement", "not at the moment", "no"), ("waiting_list", "updates", "dont want them", "no"),
     ("parent_carer", "listened", "no one listened to us", "not_at_all"),
     ("parent_carer", "informed", "now and then", "a_little"), ("parent_carer", "next_steps", "nope no one said", "no"),
     ("children", "come_again", "dont wanna come back", "unhappy")],
)
def test_the_plain_reading_of_replies_the_safeguarding_second_opinion_may_hold(
    ctx: Context, library: PackLibrary, pack_id: str, question_id: str, said: str, value: str
) -> None:
    """What these say as answers, whatever the safeguarding check makes of them (bot/engine/risk.py)."""
    reading = _read(ctx, library, pack_id, question_id, said)
    assert reading.values == (value,) and reading.sure


LABELLED = [
    (pack.id, question.id, choice.value, choice.label["en"]) for pack in _PROMPTS.library.all()
    for question in pack.questions for choice in question.choices
    if MEANINGS.normalise(choice.label["en"])[0] not in MEANINGS.negations | {"no"}
]


@settings(max_examples=120, deadline=None)
@given(where=st.sampled_from(LABELLED), negation=st.sampled_from(["not", "wasnt", "it wasnt", "werent", "didnt feel"]))
def test_a_label_turned_round_is_never_stored_as_that_label(where: tuple[str, str, str, str], negation: str) -> None:
    """ "wasnt easy" to "Was it easy to get in touch?" once stored Easy."""
    pack_id, question_id, value, label = where
    how, values = _outcome(pack_id, question_id, f"{negation} {label.lower()}")
    assert not (how == "stored" and value in values)
