"""Classes of reply dev set 3 (tests/engine/understanding/dev_replies_3.yaml) found misread or refused: a
misspelt "no one" / "nobody" / "never" before the question's verb ("no1 lisend" was stored as Yes), "to be
fair" read as the "fair" that means OK, fear stored as Sad, chasing and chasing stored as A little, Welsh and
regional praise ("lush", "tidy"), "alright" as said ("orite"), a yes reported from a parent or said in a
full sentence at the invitation, an older carer's full sentence, and "what is this" in
Welsh and "who is this" at the menu (bot/engine/understand.py, prompts/meanings/en.yaml, cy.yaml)."""

from __future__ import annotations

import pytest
from engine_kit import Chat, read_at, render
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.content.packs.library import PackLibrary
from bot.engine.asks import consent_answer
from bot.engine.context import Context
from bot.engine.events import FeedbackGiven
from bot.engine.state import Conversation
from bot.messages import Ask, Channel

SUPPRESS = [HealthCheck.function_scoped_fixture]


@pytest.mark.parametrize("said", ["no1 lisend", "no1 listened", "noone listened", "nobdy lisend", "nobudy listened",
                                  "neva listened", "nevr listened to me", "nuffin"])
def test_a_misspelt_nobody_or_never_is_never_a_stored_yes(library: PackLibrary, ctx: Context, said: str) -> None:
    for pack, question in (("easy_words", "listened"), ("children", "listened")):
        reading = read_at(library, ctx, pack, question, said)
        assert not (reading.sure and reading.values == ("yes",)), (pack, said, reading)


@pytest.mark.parametrize("said", ["no1 lisend", "nobdy listened", "neva listened", "noone listened to me"])
def test_a_spelling_of_nobody_we_know_reads_as_no(library: PackLibrary, ctx: Context, said: str) -> None:
    assert read_at(library, ctx, "easy_words", "listened", said).values == ("no",)


@given(start=st.sampled_from(["nob", "noob", "nobb", "nobo"]), middle=st.sampled_from(["", "o", "u", "a", "oo"]),
       end=st.sampled_from(["dy", "dee", "di", "ddy", "die", "dey"]),
       verb=st.sampled_from(["lisend", "listened", "listend", "was kind", "lissened"]))
@settings(max_examples=80, deadline=None, suppress_health_check=SUPPRESS)
def test_any_nobody_shaped_word_before_the_verb_leaves_a_yes_unsure(library: PackLibrary, ctx: Context, start: str,
                                                                    middle: str, end: str, verb: str) -> None:
    said = f"{start}{middle}{end} {verb}"
    for pack, question in (("children", "listened"), ("children", "kind"), ("easy_words", "listened")):
        reading = read_at(library, ctx, pack, question, said)
        assert not (reading.sure and reading.values == ("yes",)), (pack, question, said, reading)


@pytest.mark.parametrize("said", ["the man listened to me", "they listened", "mum listened"])
def test_the_verb_said_back_with_a_person_is_still_yes(library: PackLibrary, ctx: Context, said: str) -> None:
    assert read_at(library, ctx, "children", "listened", said).values == ("yes",)


@pytest.mark.parametrize(("said", "value"), [("it was lush to be fair", "good"), ("good to be fair", "good"),
                                             ("in fairness it was rubbish", "poor"), ("to be fair", None),
                                             ("tbf it was terrible", "poor")])
def test_to_be_fair_is_never_the_fair_that_means_ok(library: PackLibrary, ctx: Context, said: str,
                                                    value: str | None) -> None:
    reading = read_at(library, ctx, "demo", "overall", said)
    assert "ok" not in reading.values
    if value is not None:
        assert reading.values == (value,)


def test_fair_alone_is_still_ok(library: PackLibrary, ctx: Context) -> None:
    assert read_at(library, ctx, "demo", "overall", "fair").values == ("ok",)


@pytest.mark.parametrize(("said", "lang"), [("scared", "en"), ("frightened", "en"), ("afraid", "en"),
                                            ("terrified", "en"), ("ofnus", "cy"), ("ofn", "cy")])
def test_fear_is_asked_back_never_stored_as_sad(library: PackLibrary, ctx: Context, said: str, lang: str) -> None:
    for pack, question in (("children", "feel_here"), ("easy_words", "feel"), ("children", "come_again")):
        reading = read_at(library, ctx, pack, question, said)
        assert reading.values and not reading.sure, (pack, said, reading)


@pytest.mark.parametrize("said", ["had to keep chasing", "kept chasing", "i kept chasing them", "always chasing"])
def test_chasing_again_and_again_is_asked_back(library: PackLibrary, ctx: Context, said: str) -> None:
    reading = read_at(library, ctx, "parent_carer", "informed", said)
    assert not reading.sure


@pytest.mark.parametrize(("said", "pack", "question", "value"), [
    ("lush", "waiting_list", "feeling", "good"), ("tidy ta", "waiting_list", "feeling", "good"),
    ("it was lush", "demo", "overall", "good"), ("fair play, cracking", "demo", "overall", "good"),
    ("smashing", "easy_words", "visit", "good"), ("orite", "easy_words", "visit", "ok"),
    ("it was orite", "easy_words", "visit", "ok"), ("awright", "waiting_list", "feeling", "ok"),
    ("cant fault them", "parent_carer", "fft", "very_good"), ("couldnt fault the staff", "parent_carer", "fft",
                                                              "very_good"),
    ("kept informed", "parent_carer", "informed", "a_lot"), ("kept up to date", "parent_carer", "informed", "a_lot"),
])
def test_regional_praise_and_spellings_are_read(library: PackLibrary, ctx: Context, said: str, pack: str,
                                                question: str, value: str) -> None:
    assert read_at(library, ctx, pack, question, said).values == (value,)


@pytest.mark.parametrize("said", [
    "The staff have been wonderful and I cannot fault them.",
    "We were kept informed at every stage, which I appreciated.",
])
def test_an_older_carers_full_sentence_is_read_and_asked_back(library: PackLibrary, ctx: Context, said: str) -> None:
    question = "fft" if "fault" in said else "informed"
    reading = read_at(library, ctx, "parent_carer", question, said)
    assert reading.values == (("very_good",) if question == "fft" else ("a_lot",)) and not reading.sure


@pytest.mark.parametrize(("said", "value"), [
    ("mum says yes", "yes"), ("my mum said yes", "yes"), ("dad says its ok", "yes"), ("mum said i can", "yes"),
    ("mum says no", "no"), ("I am happy to answer your questions.", "yes"), ("happy to help", "yes"),
    ("more than happy to", "yes"), ("mum says yes but i dont want to", None), ("mum never says yes", None),
])
def test_a_reported_or_full_sentence_yes_at_the_invitation(ctx: Context, said: str, value: str | None) -> None:
    assert consent_answer(said, ctx) == value


@pytest.mark.parametrize(("said", "lang"), [("beth yw hwn?", "cy"), ("beth yw hyn", "cy"), ("who is this", "en"),
                                            ("whos this", "en"), ("who r u", "en"), ("who are you?", "en"),
                                            ("pwy ydych chi?", "cy"), ("pwy sy na", "cy")])
def test_asking_what_this_is_gets_the_menu_never_the_staff_inbox(chat: Chat, said: str, lang: str) -> None:
    chat.conversation, chat.channel = Conversation(language=lang), Channel.WEB
    step = chat.send(said)
    assert not any(isinstance(e, FeedbackGiven) for e in step.events), render(step)
    assert any(isinstance(m, Ask) and m.question_id == "menu" for m in step.reply.messages), render(step)


@pytest.mark.parametrize("said", ["who is this, my appointment letter has the wrong date on it", "who is it about?",
                                  "who are you, i didnt ask for this",
                                  "pwy sy wedi anfon hwn ata i am fy apwyntiad"])
def test_asking_about_something_is_still_kept_for_staff(chat: Chat, said: str) -> None:
    chat.channel = Channel.WEB
    step = chat.send(said)
    assert any(isinstance(e, FeedbackGiven) for e in step.events), render(step)


@pytest.mark.parametrize("said", ["not kept informed", "we were never kept up to date", "wasnt kept informed",
                                  "never updated"])
def test_not_kept_up_to_date_is_not_at_all_never_a_little(library: PackLibrary, ctx: Context, said: str) -> None:
    assert read_at(library, ctx, "parent_carer", "informed", said).values == ("not_at_all",)
