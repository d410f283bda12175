"""Classes of reply dev set 5 (tests/engine/understanding/dev_replies_5.yaml: Welsh as typed on a phone, and
English as a speech recogniser hears the phone line) found misread or refused: the south's "sa i" / "smo fi"
(I'm not) read past ("sai moyn dod nôl" was stored as Happy), a Welsh intensifier with "o" ("sobor o wael"
stored as Poor, not Very poor), "know" heard for "no" ("know thanks" stored as Yes at the invitation, "know
idea" as I know), "i rieni" (for parents) starting one of the two packs for parents, "cymryd oes" (took ages)
asked back as Easy, "hanner blwyddyn" read as a whole year, and everyday Welsh, Wenglish and spoken words
(bot/engine/understand.py, bot/engine/quantities.py, prompts/meanings/cy.yaml, en.yaml, the packs' names)."""

from __future__ import annotations

import pytest
from engine_kit import Chat, read_at, render
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.content.packs.library import PackLibrary
from bot.engine import naming
from bot.engine.asks import consent_answer, menu_packs
from bot.engine.context import Context
from bot.engine.events import FeedbackGiven, RiskDetected
from bot.engine.quantities import read_amount
from bot.engine.state import Conversation
from bot.messages import Ask, Channel

SUPPRESS = [HealthCheck.function_scoped_fixture]
SOUTHERN_NOT = ["sai", "sai'n", "sa i", "sa i'n", "smo fi", "smo fi'n", "smo i"]


@pytest.mark.parametrize("said", ["sai moyn dod nôl", "sa i moyn dod", "smo fi moyn dod nol", "sai'n moyn dod eto"])
def test_the_southern_not_is_never_read_past(library: PackLibrary, ctx: Context, said: str) -> None:
    reading = read_at(library, ctx, "children", "come_again", said)
    assert "happy" not in reading.values, (said, reading)
    assert reading.values == ("unhappy",)


@given(not_=st.sampled_from(SOUTHERN_NOT), word=st.sampled_from(["hapus", "moyn dod nol", "moyn dod eto"]),
       tail=st.sampled_from(["", " diolch", " really", " o gwbl"]))
@settings(max_examples=60, deadline=None, suppress_health_check=SUPPRESS)
def test_a_southern_not_before_a_good_word_is_never_a_stored_good_answer(library: PackLibrary, ctx: Context,
                                                                         not_: str, word: str, tail: str) -> None:
    said = f"{not_} {word}{tail}"
    for question in ("feel_here", "come_again"):
        reading = read_at(library, ctx, "children", question, said)
        assert "happy" not in reading.values, (question, said, reading)


@pytest.mark.parametrize("said", ["sai moyn", "sai'n moyn", "smo fi moyn", "sa i moyn, sori"])
def test_not_wanting_at_the_invitation_is_no(ctx: Context, said: str) -> None:
    assert consent_answer(said, ctx) == "no"


@pytest.mark.parametrize(("said", "value"), [("sobor o wael", "very_poor"), ("uffernol o wael", "very_poor"),
                                             ("ofnadwy o dda", "very_good"), ("andros o dda", "very_good"),
                                             ("hynod o dda", "very_good"), ("gwael", "poor"), ("ofnadwy", "very_poor")])
def test_a_welsh_intensifier_with_o_makes_the_word_stronger(library: PackLibrary, ctx: Context, said: str,
                                                            value: str) -> None:
    assert read_at(library, ctx, "parent_carer", "fft", said).values == (value,)


@pytest.mark.parametrize(("pack", "question", "said"), [
    ("phone", "next_steps", "know idea"), ("phone", "listened", "know not at all"),
    ("phone", "contact", "know problem"), ("demo", "hear_back", "know way"),
])
def test_know_heard_for_no_is_read_as_no(library: PackLibrary, ctx: Context, pack: str, question: str,
                                         said: str) -> None:
    reading = read_at(library, ctx, pack, question, said)
    assert reading.values and reading.values[0] in {"no_idea", "not_at_all", "easy", "no"}, reading


@pytest.mark.parametrize("said", ["know thanks", "um know thanks", "know thank you", "know sorry", "know"])
def test_know_at_the_invitation_is_never_a_yes(ctx: Context, said: str) -> None:
    assert consent_answer(said, ctx) != "yes"


@pytest.mark.parametrize("said", ["i know thanks", "I do know, thank you", "i know sorry", "yes i know cheers"])
def test_i_know_with_thanks_is_still_i_know(library: PackLibrary, ctx: Context, said: str) -> None:
    assert read_at(library, ctx, "parent_carer", "next_steps", said).values == ("yes",)
    assert read_at(library, ctx, "phone", "next_steps", said).values == ("know",)


@pytest.mark.parametrize(("pack", "question"), [("children", "listened"), ("children", "kind"),
                                                ("waiting_list", "updates"), ("easy_words", "safe")])
def test_a_bare_know_is_yes_only_to_a_question_about_knowing(library: PackLibrary, ctx: Context, pack: str,
                                                             question: str) -> None:
    assert "yes" not in read_at(library, ctx, pack, question, "know").values
    assert read_at(library, ctx, "parent_carer", "next_steps", "i know").values == ("yes",)


@pytest.mark.parametrize("said", ["mm hmm", "mhmm", "uh-huh"])
def test_a_murmured_yes_as_a_recogniser_writes_it(ctx: Context, said: str) -> None:
    assert consent_answer(said, ctx) == "yes"


def test_won_heard_for_one_picks_answer_one(library: PackLibrary, ctx: Context) -> None:
    assert read_at(library, ctx, "phone", "overall", "won").values == ("good",)


@pytest.mark.parametrize("said", ["i rieni", "rieni", "rhieni", "yr un i rieni"])
def test_for_parents_in_welsh_gets_the_menu(ctx: Context, said: str) -> None:
    packs = naming.pack_names(menu_packs(ctx, Channel.WEB), ctx.meanings)
    assert naming.named(said, packs, ctx.meanings) == naming.MENU


@pytest.mark.parametrize(("said", "pack"), [("i rieni a gofalwyr", "parent_carer"), ("gofalwyr", "parent_carer"),
                                            ("eich ymweliad diwethaf", "demo")])
def test_a_welsh_title_still_names_its_pack(ctx: Context, said: str, pack: str) -> None:
    packs = naming.pack_names(menu_packs(ctx, Channel.WEB), ctx.meanings)
    assert naming.named(said, packs, ctx.meanings) == pack


@pytest.mark.parametrize("said", ["cymryd oes", "cymryd oesoedd", "cymryd oes i gael ateb", "cymerodd oes"])
def test_took_ages_is_hard_never_the_oes_that_is_yes(library: PackLibrary, ctx: Context, said: str) -> None:
    assert read_at(library, ctx, "parent_carer", "contact", said).values == ("hard",)


def test_half_a_year_in_welsh_is_26_weeks_asked_back(ctx: Context) -> None:
    amount = read_amount("hanner blwyddyn", "weeks", ctx.texts.numbers)
    assert amount is not None and round(amount.value) == 26 and not amount.sure


@pytest.mark.parametrize(("pack", "question", "said", "value"), [
    ("demo", "consent", "iawn, ewch amdani", "yes"), ("parent_carer", "consent", "iawn, mynd amdani", "yes"),
    ("demo", "overall", "lyfli", "good"), ("demo", "overall", "rybish", "poor"), ("easy_words", "visit", "gwd", "good"),
    ("easy_words", "visit", "oc", "ok"), ("waiting_list", "feeling", "tsiampion", "good"),
    ("waiting_list", "feeling", "symol", "ok"), ("children", "come_again", "ella", "unsure"),
    ("children", "feel_here", "wedi drysu braidd", "unsure"), ("parent_carer", "fft", "anodd deud", "dont_know"),
    ("parent_carer", "informed", "chlywais i ddim byd", "not_at_all"), ("parent_carer", "informed", "tipyn", "a_lot"),
])
def test_everyday_welsh_and_wenglish_words(library: PackLibrary, ctx: Context, pack: str, question: str, said: str,
                                          value: str) -> None:
    if question == "consent":
        assert consent_answer(said, ctx) == value
    else:
        assert value in read_at(library, ctx, pack, question, said).values


@pytest.mark.parametrize(("pack", "question", "said"), [("parent_carer", "informed", "tipyn"),
                                             ("waiting_list", "feeling", "symol"),
                                             ("parent_carer", "involvement", "ella")])
def test_a_welsh_word_that_could_go_either_way_is_asked_back(library: PackLibrary, ctx: Context, pack: str,
                                                            question: str, said: str) -> None:
    assert not read_at(library, ctx, pack, question, said).sure


@pytest.mark.parametrize(("said", "lang"), [("be di hwn?", "cy"), ("be di hwn", "cy"), ("pwy di hwn?", "cy"),
                                            ("be ydi hwn?", "cy"), ("whats this", "en")])
def test_asking_what_this_is_in_the_north_gets_the_menu(chat: Chat, said: str, lang: str) -> None:
    chat.conversation, chat.channel = Conversation(language=lang), Channel.WEB
    step = chat.send(said)
    assert not any(isinstance(e, (FeedbackGiven, RiskDetected)) for e in step.events), render(step)
    assert any(isinstance(m, Ask) and m.question_id == "menu" for m in step.reply.messages), render(step)


@pytest.mark.parametrize("said", ["be di hwn, dwi isio marw", "what is this i want to die", "whats the point of this"])
def test_asking_what_this_is_with_more_words_keeps_the_help(chat: Chat, said: str) -> None:
    chat.channel = Channel.WEB
    step = chat.send(said)
    assert any(isinstance(e, RiskDetected) for e in step.events), render(step)


@pytest.mark.parametrize(("said", "value"), [("dwi'm yn grêt", "not_good"), ("dwi'm yn hapus", "not_good"),
                                             ("dw'm yn dda", "not_good")])
def test_dwim_is_a_not(library: PackLibrary, ctx: Context, said: str, value: str) -> None:
    reading = read_at(library, ctx, "waiting_list", "feeling", said)
    assert reading.values == (value,) and "good" not in reading.values


@given(word=st.sampled_from(["grêt", "gret", "hapus", "dda", "ffab", "wych"]),
       opener=st.sampled_from(["dwi'm", "dw'm"]))
@settings(max_examples=30, deadline=None, suppress_health_check=SUPPRESS)
def test_dwim_before_a_good_word_is_never_a_stored_good(library: PackLibrary, ctx: Context, word: str,
                                                        opener: str) -> None:
    reading = read_at(library, ctx, "waiting_list", "feeling", f"{opener} yn {word}")
    assert not (reading.sure and reading.values == ("good",)), reading


def test_not_very_good_in_welsh_is_asked_back_on_the_five_point_scale(library: PackLibrary, ctx: Context) -> None:
    assert not read_at(library, ctx, "parent_carer", "fft", "ddim yn dda iawn").sure


@pytest.mark.parametrize(("said", "weeks"), [("blwyddyn a hanner", 78), ("year and a half", 78), ("mis a hanner", 7),
                                             ("blwyddyn", 52)])
def test_a_unit_and_a_half_without_a_number(ctx: Context, said: str, weeks: int) -> None:
    amount = read_amount(said, "weeks", ctx.texts.numbers)
    assert amount is not None and round(amount.value) == weeks and not amount.sure


@pytest.mark.parametrize("said", ["nag oeddach", "nagoeddech", "nac oeddach"])
def test_the_norths_no_to_were_we_kind(library: PackLibrary, ctx: Context, said: str) -> None:
    assert read_at(library, ctx, "children", "kind", said).values == ("no",)
    assert read_at(library, ctx, "children", "kind", said.split()[-1].removeprefix("nag")).values == ("yes",)
