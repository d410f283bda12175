"""Reading answers kindly: keys, labels in any language, number words, emoji, typos, but never a wrong pick."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content.packs.library import PackLibrary, Symbols, SystemTexts
from bot.content.packs.model import Kind, Pack, Question
from bot.engine import answers
from bot.engine.answers import Option, Vocabulary
from bot.engine.asks import options_for, yes_no_options
from bot.engine.context import Context


def _vocabulary(texts: SystemTexts) -> Vocabulary:
    return Vocabulary(texts.numbers, texts.negations, texts.yes_words, texts.no_words)


@pytest.fixture(scope="module")
def vocabulary(texts: SystemTexts) -> Vocabulary:
    return _vocabulary(texts)


@pytest.fixture(scope="module")
def overall(library: PackLibrary, ctx: Context) -> list[Option]:
    pack = library.get("demo")
    assert pack is not None
    question = pack.question("overall")
    assert question is not None
    return options_for(question, pack, ctx)


@pytest.mark.parametrize(
    ("said", "value"),
    [
        ("1", "good"), ("1.", "good"), (" 1 ", "good"), ("1️⃣", "good"), ("one", "good"), ("ONE!", "good"),
        ("Good", "good"), ("good!!", "good"), ("GOOD", "good"), ("  good  ", "good"), ("goood", "good"),
        ("it was good", "good"), ("Da", "good"), ("😀", "good"), ("😀😀", "good"), ("god", "good"),
        ("2", "ok"), ("ok", "ok"), ("OK.", "ok"), ("two", "ok"), ("dau", "ok"), ("Iawn", "ok"), ("😐", "ok"),
        ("3", "poor"), ("Poor", "poor"), ("pooor", "poor"), ("gwael", "poor"), ("three", "poor"), ("🙁", "poor"),
        ("number 3", "poor"), ("3 stars", "poor"), ("3stars", "poor"), ("it was poor really", "poor"),
    ],
)
def test_a_choice_can_be_given_many_ways(said: str, value: str, overall: list[Option], vocabulary: Vocabulary) -> None:
    assert answers.pick(said, overall, vocabulary) == value


@pytest.mark.parametrize(
    "said",
    ["", "   ", "?", "4", "0", "good and poor", "1 or 2", "not good", "it was not poor", "gud", "goor",
     "hello", "🙂", "😀🙁", "maybe", "I am not sure what to say about the visit, it was long ago"],
)
def test_unclear_choices_are_not_guessed(said: str, overall: list[Option], vocabulary: Vocabulary) -> None:
    assert answers.pick(said, overall, vocabulary) is None


def test_a_negation_inside_a_label_is_part_of_the_label(
    library: PackLibrary, ctx: Context, vocabulary: Vocabulary
) -> None:
    pack = library.get("demo")
    assert pack is not None
    listened = pack.question("listened")
    assert listened is not None
    options = options_for(listened, pack, ctx)
    assert answers.pick("not at all", options, vocabulary) == "1"
    assert answers.pick("Dim o gwbl", options, vocabulary) == "1"
    assert answers.pick("a lot", options, vocabulary) == "3"
    assert answers.pick("a little", options, vocabulary) == "2"


@pytest.mark.parametrize(
    ("said", "value"),
    [
        ("yes", "yes"), ("Yes.", "yes"), ("YES!", "yes"), ("yeah", "yes"), ("yep", "yes"), ("y", "yes"),
        ("ok", "yes"), ("okay", "yes"), ("👍", "yes"), ("👍🏽", "yes"), ("✅", "yes"), ("1", "yes"),
        ("ie", "yes"), ("Do", "yes"), ("oes", "yes"), ("yes please", "yes"), ("yes, that is fine", "yes"),
        ("no", "no"), ("No.", "no"), ("nope", "no"), ("n", "no"), ("👎", "no"), ("❌", "no"), ("2", "no"),
        ("na", "no"), ("naddo", "no"), ("nac oes", "no"), ("no thanks", "no"), ("no, not now", "no"),
    ],
)
def test_yes_and_no_in_many_words(said: str, value: str, ctx: Context, vocabulary: Vocabulary) -> None:
    assert answers.yes_or_no(said, yes_no_options(ctx), vocabulary) == value


@pytest.mark.parametrize("said", ["maybe", "yes and no", "I do not know", "3", "", "why", "y not"])
def test_unclear_yes_no_is_not_guessed(said: str, ctx: Context, vocabulary: Vocabulary) -> None:
    assert answers.yes_or_no(said, yes_no_options(ctx), vocabulary) is None


@pytest.mark.parametrize(
    ("said", "expected"),
    [("6", 6.0), ("6 weeks", 6.0), ("about six", 6.0), ("chwech", 6.0), ("2.5", 2.5), ("0", 0.0),
     ("none", 0.0), ("-3", None), ("6-8 weeks", None), ("105", None), ("lots", None), ("", None),
     ("9" * 40, None), ("six weeks, maybe 7", None)],
)
def test_numbers_in_range(said: str, expected: float | None, vocabulary: Vocabulary) -> None:
    assert answers.number(said, 0, 104, vocabulary) == expected


def test_negative_numbers_can_be_in_range(vocabulary: Vocabulary) -> None:
    assert answers.number("-3", -10, 10, vocabulary) == -3.0
    assert answers.number("6-8", -10, 10, vocabulary) is None


@pytest.mark.parametrize(("value", "words"), [(3.0, "3"), (2.5, "2.5"), (0.0, "0"), (104.0, "104"), (-1.0, "-1")])
def test_number_values_are_stored_plainly(value: float, words: str) -> None:
    assert answers.number_words(value) == words


def _all_questions(library: PackLibrary) -> list[tuple[Pack, Question]]:
    return [(p, q) for p in library.all() for q in p.questions if q.kind in (Kind.CHOICE, Kind.SCALE)]


def test_every_label_key_and_emoji_of_every_shipped_choice_reads_back(
    library: PackLibrary, test_library: PackLibrary, ctx: Context, symbols: Symbols, vocabulary: Vocabulary
) -> None:
    checked = 0
    for lib in (library, test_library):
        for pack, question in _all_questions(lib):
            options = options_for(question, pack, ctx)
            for n, choice in enumerate(question.choices, start=1):
                assert answers.pick(str(n), options, vocabulary) == choice.value
                for language, label in choice.label.items():
                    said = answers.pick(label, options, vocabulary)
                    assert said == choice.value, f"{pack.id}/{question.id}: {language} label {label!r}"
                    assert answers.pick(f"  {label.upper()}! ", options, vocabulary) == choice.value
                emoji = symbols.emoji(choice.symbol)
                if sum(symbols.emoji(c.symbol) == emoji for c in question.choices) == 1:
                    assert answers.pick(emoji, options, vocabulary) == choice.value
                checked += 1
    assert checked > 20


@st.composite
def _choices(draw: st.DrawFn) -> list[Option]:
    """Made-up options with distinct labels, as a pack author might write them."""
    # Letters of the languages we serve, accents included (Welsh ŵ and ŷ); labels are written in these.
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZâêîôûŵŷäëïöüáéíóúàèìòùÂŴŶ"
    words = st.text(alphabet=letters, min_size=2, max_size=12)
    labels = draw(st.lists(st.lists(words, min_size=1, max_size=3).map(" ".join), min_size=2, max_size=5,
                           unique_by=lambda label: label.casefold()))
    emoji = draw(st.permutations(["😀", "😐", "🙁", "⭐", "💬"]))
    return [
        Option(f"v{n}", str(n), (answers.fold(label),), emoji[n - 1]) for n, label in enumerate(labels, start=1)
    ]


@settings(max_examples=300, deadline=None)
@given(options=_choices(), data=st.data())
def test_any_label_key_or_emoji_reads_back_to_its_choice(options: list[Option], data: st.DataObject) -> None:
    vocabulary = Vocabulary({}, frozenset({"not", "no"}), frozenset(), frozenset())
    option = data.draw(st.sampled_from(options))
    phrase = option.phrases[0]
    if not phrase or any(
        other is not option and (other.phrases[0] == phrase) for other in options
    ):
        return  # labels that fold to the same words cannot be told apart by anyone
    said = data.draw(st.sampled_from([option.key, option.emoji, phrase, phrase.upper(), f" {phrase}! "]))
    assert answers.pick(said, options, vocabulary) == option.value


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=200))
def test_reading_any_text_never_fails(text: str, overall: list[Option], ctx: Context, vocabulary: Vocabulary) -> None:
    picked = answers.pick(text, overall, vocabulary)
    assert picked in (None, "good", "ok", "poor")
    assert answers.yes_or_no(text, yes_no_options(ctx), vocabulary) in (None, "yes", "no")
    found = answers.number(text, 0, 104, vocabulary)
    assert found is None or 0 <= found <= 104


@settings(max_examples=200, deadline=None)
@given(typo=st.sampled_from(["good", "poor"]), position=st.integers(0, 3), letter=st.sampled_from("abcdefgor"))
def test_a_one_letter_typo_never_turns_good_into_poor(
    typo: str, position: int, letter: str, overall: list[Option], vocabulary: Vocabulary
) -> None:
    said = typo[:position] + letter + typo[position + 1:]
    assert answers.pick(said, overall, vocabulary) in (typo, None)
