"""Classes of in-pack reply a new writer will send that no set had yet, read so that nothing is misread
(bot/engine/understand.py, bot/engine/asks.py, bot/content/meanings.py, prompts/meanings/):

- a "not" anywhere in the reply never stores the answer it could be turning round ("i wouldnt say good",
  "good no", "it wasent good"); a "not" that softens ("not very good", "not that easy") is asked back, while
  "not too bad" (the usual way to say OK) is still OK;
- a reply that names two answers is never stored ("good and bad", "ok but poor");
- a question back ("do i have to", "good?", "how long is it") is never consent and never stored unasked;
- Welsh mutations ("gewch", "gei", "na chewch") are read as the word they mutate, and no English word is.
"""

from __future__ import annotations

import pytest
from engine_kit import read_at
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.content.meanings import radicals, shipped_meanings
from bot.content.packs.library import PackLibrary
from bot.content.packs.model import Kind
from bot.engine import understand
from bot.engine.asks import consent_answer
from bot.engine.context import Context
from bot.engine.engine import handle
from bot.engine.events import AnswerGiven
from bot.engine.state import Conversation, Stage
from bot.messages import Ask, Channel, Inbound

NEGATIONS = frozenset({"not", "no", "dont", "don't", "didnt", "never", "neither", "nor", "ddim", "dim"})
PACKS = ("children", "demo", "easy_words", "parent_carer", "phone", "waiting_list")


def _choices(library: PackLibrary) -> list[tuple[str, str, str, str]]:
    """(pack, question, value, English label) for every choice whose label has no "not" of its own."""
    found = []
    for pack_id in PACKS:
        pack = library.get(pack_id)
        assert pack is not None
        for question in pack.questions:
            if question.kind not in (Kind.CHOICE, Kind.SCALE):
                continue
            for choice in question.choices:
                label = choice.label["en"]
                if not NEGATIONS & set(label.lower().replace("'", "").split()):
                    found.append((pack_id, question.id, choice.value, label))
    return found


LOW = frozenset({"unhappy", "sad", "poor", "very_poor", "bad", "hard", "not_at_all", "no_idea", "1"})
TURNING_ROUND = ["not {}", "never {}", "i wouldnt say {}", "{} not", "{} no", "hardly {}", "barely {}",
                 "it wasnt {}", "it wasent {}", "it didint feel {}", "not very {}", "not that {}", "dont know {}",
                 "{} i dont think", "not {} at all", "i cant say {}", "{}, not", "no {}", "not really {}"]


@given(data=st.data(), template=st.sampled_from(TURNING_ROUND))
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=300, deadline=None)
def test_a_negation_never_stores_the_answer_it_may_turn_round(library: PackLibrary, ctx: Context,
                                                               data: st.DataObject, template: str) -> None:
    pack, question, value, label = data.draw(st.sampled_from(_choices(library)))
    if template in ("{} no", "no {}") and value in LOW:
        return  # "sad, no" and "no, hard" say the same thing twice: the "no" agrees, it does not turn round
    said = template.format(label.lower())
    reading = read_at(library, ctx, pack, question, said)
    assert not (reading.sure and reading.values == (value,)), (pack, question, said, reading)


@given(data=st.data(), template=st.sampled_from(["{} and {}", "{} or {}", "{} but {}", "{}, {}", "{} {}",
                                                   "half {} half {}", "{} and {} really"]))
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=300, deadline=None)
def test_a_reply_naming_two_answers_is_never_stored(library: PackLibrary, ctx: Context, data: st.DataObject,
                                                   template: str) -> None:
    """"good and bad", "ok but poor": two answers named, so one is never stored unasked ("poor, not good" says
    one answer twice and may be)
    (an answer whose label holds the other's, "Very good" and "Good", is left out: "very good good" is one)."""
    choices = _choices(library)
    pack, question, first, first_label = data.draw(st.sampled_from(choices))
    others = [(v, lab) for p, q, v, lab in choices if (p, q) == (pack, question) and v != first
              and not set(lab.lower().split()) & set(first_label.lower().split())]
    if not others:
        return
    _second, second_label = data.draw(st.sampled_from(others))
    said = template.format(first_label.lower(), second_label.lower())
    reading = read_at(library, ctx, pack, question, said)
    assert not reading.sure, (pack, question, said, reading)


@pytest.mark.parametrize(("pack", "question", "said"), [
    ("parent_carer", "fft", "not very good"), ("demo", "overall", "not very good"),
    ("demo", "listened", "not very well"), ("parent_carer", "contact", "not that easy"),
    ("parent_carer", "fft", "not the best"), ("parent_carer", "fft", "not amazing"),
    ("parent_carer", "fft", "i wouldnt say good"), ("demo", "overall", "good no"),
    ("demo", "overall", "dont know, good"), ("waiting_list", "feeling", "good i dont think"),
    ("easy_words", "visit", "it wasent good"), ("parent_carer", "fft", "never good"),
])
def test_a_softened_or_stray_not_is_asked_back(library: PackLibrary, ctx: Context, pack: str, question: str,
                                               said: str) -> None:
    assert not read_at(library, ctx, pack, question, said).sure


@pytest.mark.parametrize(("pack", "question", "said", "value"), [
    ("parent_carer", "contact", "not too bad", "ok"), ("waiting_list", "feeling", "not too bad", "ok"),
    ("parent_carer", "fft", "couldnt have been better", "very_good"),
    ("parent_carer", "fft", "couldn't be better", "very_good"),
    ("children", "kind", "no u wasnt", "no"), ("parent_carer", "contact", "no it was a nightmare", "hard"),
    ("parent_carer", "next_steps", "nope no one said", "no"), ("easy_words", "feel", "a bit sad", "sad"),
])
def test_a_not_that_agrees_with_the_answer_still_stores_it(library: PackLibrary, ctx: Context, pack: str,
                                                          question: str, said: str, value: str) -> None:
    """"not too bad" is OK, "no u wasnt" is No: the "not" says the same as the answer, so no need to ask."""
    reading = read_at(library, ctx, pack, question, said)
    assert reading.values == (value,)


@pytest.mark.parametrize(("said", "asks"), [
    ("do i have to", True), ("do i have to?", True), ("how long is it", True), ("whats it for", True),
    ("why", True), ("is it quick", True), ("can i do it later", True), ("oes rhaid i mi", True),
    ("pam", True), ("good?", True),
    ("why not", False), ("do i", False), ("ydw i", False), ("yes", False), ("can do", False), ("will do", False),
    ("do it", False), ("it was good", False), ("i did", False), ("they were kind", False), ("sure why not", False),
])
def test_a_question_back_is_told_from_an_answer(said: str, asks: bool) -> None:
    assert understand.asks_back(said, shipped_meanings()) is asks


@pytest.mark.parametrize("said", ["do i have to", "is it long", "how many questions", "what for", "oes rhaid i mi",
                                  "why", "can i do it later", "will it take long"])
def test_a_question_back_at_the_invitation_is_never_consent(ctx: Context, said: str) -> None:
    assert consent_answer(said, ctx) is None


@pytest.mark.parametrize(("said", "value"), [
    ("no not today thanks", "no"), ("not rn", "no"), ("not today", "no"), ("not yet", "no"), ("no, busy", "no"),
    ("gewch", "yes"), ("gei", "yes"), ("na chewch", "no"), ("sure no problem", "yes"),
])
def test_the_invitation_reads_a_plain_yes_or_no(ctx: Context, said: str, value: str) -> None:
    assert consent_answer(said, ctx) == value


@pytest.mark.parametrize("said", ["I suppose so", "suppose so", "ig", "yeah i guess", "go on i suppose", "ie sbo",
                                  "mae'n debyg", "siwr o fod"])
def test_leaning_yes_at_the_invitation_starts(ctx: Context, said: str) -> None:
    # Nothing is stored from it and every question can be skipped, so a shrugged yes is yes to starting.
    assert consent_answer(said, ctx) == "yes"


@pytest.mark.parametrize("said", ["i guess not", "ig not", "i suppose not", "not sure i suppose", "meh", "idk"])
def test_leaning_with_a_not_or_a_shrug_is_asked_again(ctx: Context, said: str) -> None:
    assert consent_answer(said, ctx) is None


def _at_question(library: PackLibrary, ctx: Context, pack_id: str, question_id: str, said: str) -> object:
    pack = library.get(pack_id)
    assert pack is not None
    conversation = Conversation(language="en", stage=Stage.QUESTION, pack_id=pack.id, pack_version=pack.version,
                                submission_id="sub-1", question_id=question_id, last_asked=question_id)
    return handle(conversation, Inbound(text=said, channel=Channel.SMS, received_at=ctx.now), ctx)


@pytest.mark.parametrize(("pack", "question", "said"), [
    ("demo", "overall", "good?"), ("children", "listened", "yes?"), ("parent_carer", "fft", "very good??"),
    ("children", "kind", "were you kind? yes"), ("easy_words", "visit", "was it good"),
])
def test_a_question_back_at_a_question_is_asked_back_not_stored(library: PackLibrary, ctx: Context, pack: str,
                                                                question: str, said: str) -> None:
    step = _at_question(library, ctx, pack, question, said)
    assert not any(isinstance(e, AnswerGiven) for e in step.events)  # type: ignore[attr-defined]
    asks = [m for m in step.reply.messages if isinstance(m, Ask)]  # type: ignore[attr-defined]
    assert asks and asks[-1].question_id in ("confirm", question)


@pytest.mark.parametrize(("said", "radical"), [("gewch", "cewch"), ("chewch", "cewch"), ("allwch", "gallwch"),
                                               ("fydd", "bydd"), ("ddiolch", "diolch"), ("nghewch", "cewch")])
def test_a_welsh_mutation_is_turned_back(said: str, radical: str) -> None:
    assert radical in radicals(said)


@pytest.mark.parametrize(("question", "said", "value"), [
    ("hear_back", "gewch", "yes"), ("hear_back", "gei", "yes"), ("hear_back", "na chewch", "no"),
    ("hear_back", "gewch plis", "yes"),
])
def test_a_mutated_welsh_yes_or_no_is_read(library: PackLibrary, ctx: Context, question: str, said: str,
                                           value: str) -> None:
    assert read_at(library, ctx, "children", question, said).values == (value,)


@pytest.mark.parametrize("said", ["mad", "gas", "bold", "dad", "nice one mate", "fab", "lush"])
def test_an_english_word_is_never_read_as_a_mutated_welsh_one(said: str) -> None:
    meanings = shipped_meanings()
    for word in meanings.normalise(said):
        assert word not in meanings.welsh or word in said.split()


@pytest.mark.parametrize(("question", "said"), [
    ("listened", "prefer not to say"), ("safe", "no comment"), ("kind", "id rather not say"), ("safe", "n/a"),
    ("listened", "gwell gen i beidio dweud"),
])
def test_a_reply_declining_to_answer_is_never_the_no_in_it(library: PackLibrary, ctx: Context, question: str,
                                                           said: str) -> None:
    assert read_at(library, ctx, "children", question, said).values == ()


def _wait(library: PackLibrary, ctx: Context, said: str) -> tuple[str | None, str | None]:
    """(stored, asked back about) for `said` to "How many weeks did you wait for your first visit?"."""
    step = _at_question(library, ctx, "demo", "wait_weeks", said)
    stored = next((e.value for e in step.events if isinstance(e, AnswerGiven)), None)  # type: ignore[attr-defined]
    return stored, step.conversation.pending  # type: ignore[attr-defined]


@pytest.mark.parametrize(("said", "asked"), [
    ("3 monts", "13"), ("6 mounths", "26"), ("2 yeers", "104"), ("dwy flynedd", "104"), ("not 6 weeks", "6"),
    ("6 weeks?", "6"), ("6 wicks", "6"),
])
def test_an_amount_in_doubt_is_asked_back_in_the_right_unit(library: PackLibrary, ctx: Context, said: str,
                                                            asked: str) -> None:
    """A misspelt or mutated unit is still that unit ("3 monts" is never 3 weeks); a "not" or a "?" asks back."""
    stored, pending = _wait(library, ctx, said)
    assert stored is None and pending is not None and float(pending) == float(asked)


@pytest.mark.parametrize("said", ["6 times", "2 kids", "4 mins", "3 appointments"])
def test_an_amount_of_something_else_is_not_weeks(library: PackLibrary, ctx: Context, said: str) -> None:
    assert _wait(library, ctx, said) == (None, None)


@pytest.mark.parametrize(("said", "weeks"), [("6", "6"), ("6 weeks", "6"), ("6 i think", "6"), ("twelve wks", "12")])
def test_a_plain_amount_in_weeks_is_still_stored(library: PackLibrary, ctx: Context, said: str, weeks: str) -> None:
    stored, _ = _wait(library, ctx, said)
    assert stored is not None and float(stored) == float(weeks)
