"""Classes of reply the review of held-out set 4 found missing or misread: a middle word where a scale has
no OK, a no with a reason and a yes on a condition at the invitation, a start keyword typed alone, and close
spellings of short pack names (bot/engine/understand.py, asks.py, naming.py, prompts/meanings/)."""

from __future__ import annotations

import pytest
from engine_kit import Chat, render
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.content.packs.library import PackLibrary
from bot.engine import understand
from bot.engine.asks import consent_answer, reading_for
from bot.engine.context import Context
from bot.engine.events import FeedbackGiven
from bot.engine.state import Stage
from bot.messages import Channel

MIDDLE_WORDS = ["ok", "okay", "fine", "alright", "its ok", "so so", "fair", "reasonable", "not too bad", "mixed",
                "iawn", "ok i guess"]


def _without_an_ok(library: PackLibrary) -> list[tuple[str, str]]:
    return [(pack.id, question.id) for pack in library.all() for question in pack.questions
            if question.kind.value in ("choice", "scale") and "ok" not in {c.value for c in question.choices}]


def test_every_scale_without_an_ok_is_checked(library: PackLibrary) -> None:
    """The Friends and Family Test, the feelings scales and the 3/2/1 scales have no OK answer."""
    assert {("parent_carer", "fft"), ("children", "feel_here"), ("demo", "listened")} <= set(_without_an_ok(library))


@pytest.mark.parametrize("said", MIDDLE_WORDS)
def test_a_middle_word_is_never_stored_where_a_scale_has_no_ok(library: PackLibrary, ctx: Context, said: str) -> None:
    """"ok" to the Friends and Family Test may be Good or Neither: it is asked back, never stored."""
    for pack_id, question_id in _without_an_ok(library):
        pack = library.get(pack_id)
        assert pack is not None
        question = pack.question(question_id)
        assert question is not None
        reading = understand.read(said, reading_for(question, pack, ctx), ctx.meanings, ctx.texts.numbers)
        assert not reading.sure, (pack_id, question_id, said, reading)


@pytest.mark.parametrize(("said", "value"), [("ok", "ok"), ("its alright", "ok"), ("fine", "ok")])
def test_a_middle_word_is_stored_where_the_scale_has_an_ok(
    library: PackLibrary, ctx: Context, said: str, value: str
) -> None:
    pack = library.get("phone")
    assert pack is not None
    question = pack.question("contact")
    assert question is not None
    reading = understand.read(said, reading_for(question, pack, ctx), ctx.meanings, ctx.texts.numbers)
    assert reading.values == (value,) and reading.sure


@pytest.mark.parametrize(
    ("said", "value"),
    [("not now sorry, the kids are in bed", "no"), ("erm not really, bit busy", "no"), ("im driving", "no"),
     ("if its quick", "yes"), ("go on, as long as its quick", "yes"), ("dw i'n brysur", "no"),
     ("not busy, go on", None), ("busy but go on", None), ("dont know", None), ("do i have to?", None),
     ("how long will it take?", None), ("ok, do i have to answer all of them?", None)],
)
def test_a_reason_or_a_condition_at_the_invitation(ctx: Context, said: str, value: str | None) -> None:
    assert consent_answer(said, ctx) == value


@pytest.mark.parametrize("said", ["a bit busy", "bit busy", "driving", "later"])
def test_a_reason_to_decline_is_no_only_at_the_invitation(library: PackLibrary, ctx: Context, said: str) -> None:
    """"bit busy" to "Did you feel safe here?" is not No: the reasons count at the invitation only."""
    pack = library.get("children")
    assert pack is not None
    question = pack.question("safe")
    assert question is not None
    reading = understand.read(said, reading_for(question, pack, ctx), ctx.meanings, ctx.texts.numbers)
    assert not (reading.sure and reading.values == ("no",))


@pytest.mark.parametrize("said", ["do i have to?", "Do I have to ?", "what is it for?"])
def test_a_question_back_at_the_invitation_starts_nothing(chat: Chat, said: str) -> None:
    """ "do i have to?" is not consent ("do" is also Welsh for yes): nothing is asked until they say so."""
    chat.send("DEMO")
    step = chat.send(said)
    assert chat.conversation.stage is Stage.CONSENT, render(step)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(said=st.sampled_from(["not now", "kids in bed", "busy", "if its quick", "later"]),
       how=st.sampled_from(["{}", "sorry {}", "{} sorry", "erm {}", "{} tbh"]))
def test_the_invitation_never_starts_a_pack_on_a_reason_to_decline(chat: Chat, said: str, how: str) -> None:
    chat.conversation = type(chat.conversation)()
    chat.send("DEMO")
    assert chat.conversation.stage is Stage.CONSENT
    step = chat.send(how.format(said))
    started = chat.conversation.stage is Stage.QUESTION
    assert started == (said == "if its quick"), render(step)


@pytest.mark.parametrize(("said", "pack_id"), [("PARENTS", "parent_carer"), ("parents", "parent_carer"),
                                                ("kids", "children"), ("Lluniau", "easy_words")])
def test_a_start_keyword_typed_alone_starts_its_pack(chat: Chat, said: str, pack_id: str) -> None:
    """The posters promise it: text PARENTS to start. The title "For parents: your last visit" does not
    change that. Only the keyword typed alone decides: "for parents" or "the parents one" fits both packs
    for parents, and gets the menu."""
    chat.channel = Channel.WEB
    chat.send(said)
    assert chat.conversation.pack_id == pack_id and chat.conversation.stage is Stage.CONSENT


@pytest.mark.parametrize(("said", "pack_id"), [("chidren", "children"), ("waitng list", "waiting_list"),
                                                ("the pictres one", "easy_words"), ("ill do 1", "children"),
                                                ("yr un efo lluniau", "easy_words"), ("pitcures", "easy_words"),
                                                ("waitign", "waiting_list"), ("pictres", "easy_words")])
def test_close_spellings_and_plain_picks_start_their_pack(chat: Chat, said: str, pack_id: str) -> None:
    chat.channel = Channel.WEB
    step = chat.send(said)
    assert chat.conversation.pack_id == pack_id, render(step)


@pytest.mark.parametrize("said", ["the kitchen was dirty", "watching", "picked up late", "childish", "pitchers",
                                  "just checking", "writing", "wanting", "whiting", "Writing"])
def test_a_word_only_like_a_pack_name_starts_nothing(chat: Chat, said: str) -> None:
    chat.channel = Channel.WEB
    step = chat.send(said)
    assert not chat.conversation.in_pack, render(step)
    assert any(isinstance(e, FeedbackGiven) for e in step.events) or step.reply.messages


@pytest.mark.parametrize("said", ["got your text", "sorry for the late reply", "just seen this", "sori am yr oedi"])
def test_an_opener_is_a_greeting_at_the_menu_but_never_one_to_the_answer_gate(ctx: Context, said: str) -> None:
    """The answer gate sets aside a second-opinion flag on a plain greeting only: "got your text" gets the
    menu, but if the second opinion ever flags such a message, it still gets help."""
    words = ctx.meanings.normalise(said)
    assert words in ctx.meanings.openers and words not in ctx.meanings.greetings


@pytest.mark.parametrize("said", ["sorry", "soz", "sorry!", "sori"])
def test_a_bare_sorry_is_never_filed_but_is_no_greeting(chat: Chat, ctx: Context, said: str) -> None:
    """A bare sorry may say more than it seems: not a greeting (the answer gate never sets it aside), but
    not a message for staff either."""
    assert ctx.meanings.normalise(said) not in ctx.meanings.greetings | ctx.meanings.openers
    step = chat.send(said)
    assert not chat.conversation.in_pack and step.reply.messages
    assert not any(isinstance(e, FeedbackGiven) for e in step.events), render(step)


@pytest.mark.parametrize(
    ("reply", "expect", "verdict"),
    [("parents", "unclear", "understood"), ("PARENTS", "menu", "understood"), ("parents", "demo", "misread"),
     ("for parents and carers", "menu", "misread"), ("carers feedback", "unclear", "misread")],
)
def test_the_bench_counts_only_a_packs_own_keyword_alone_as_understood(reply: str, expect: str, verdict: str) -> None:
    """A start keyword typed alone starts its pack as promised, whatever a set's writer expected; a pack
    started by its names where the writer expected the menu is still a misread."""
    from bench.understanding import judge, load_prompts

    outcome = judge({"pack": "menu", "question": "start", "lang": "en", "reply": reply, "expect": expect},
                    load_prompts())
    assert outcome.verdict == verdict, outcome
