"""Building the questions we send: pack questions, the consent question, the menu, the language list.

Every `Ask` carries its symbol, numbered choices with symbols, and a plain hint on how to answer in
the words of the channel it goes to (`SystemTexts.hint`): "Tap an answer or type it." on the web and
Telegram, "Reply 1, 2 or 3." by SMS. Packs for children and young people get the informal Welsh (ti).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.content.meanings import Words
from bot.content.packs.folding import fold
from bot.content.packs.model import Audience, Kind, Pack, Question
from bot.engine import understand
from bot.engine.answers import Option
from bot.engine.context import Context
from bot.engine.flow import progress
from bot.engine.memo import Memo
from bot.messages import Ask, Channel, Choice

CONSENT = "consent"
MENU = "menu"
LANGUAGE = "language"
FORGET = "forget"
INFORMAL_AUDIENCES = frozenset({Audience.CHILD, Audience.YOUNG_PERSON, Audience.LEARNING_DISABILITY})


def informal(pack: Pack | None) -> bool:
    """Whether the pack speaks to its reader as ti (Welsh): packs for children and young people do."""
    return pack is not None and pack.audience in INFORMAL_AUDIENCES
CONFIRM = "confirm"


def pack_language(pack: Pack, language: str) -> str:
    """The person's language if the pack speaks it, otherwise the pack's first language."""
    return language if language in pack.languages else pack.languages[0]


def in_language(text: dict[str, str], language: str, pack: Pack) -> str:
    return text.get(language) or text.get(pack.languages[0]) or next(iter(text.values()), "")


def yes_no_choices(ctx: Context, language: str) -> tuple[Choice, ...]:
    texts, symbols = ctx.texts, ctx.symbols
    return (
        Choice("yes", texts.get("label_yes", language), "yes", symbols.emoji("yes"), "1"),
        Choice("no", texts.get("label_no", language), "no", symbols.emoji("no"), "2"),
    )


def choices_for(question: Question, pack: Pack, ctx: Context, language: str) -> tuple[Choice, ...]:
    if question.kind is Kind.YESNO:
        return yes_no_choices(ctx, language)
    return tuple(
        Choice(c.value, in_language(c.label, language, pack), c.symbol, ctx.symbols.emoji(c.symbol), str(n))
        for n, c in enumerate(question.choices, start=1)
    )


def hint_for(
    question: Question, ctx: Context, language: str, offer_skip: bool, channel: str | None = None,
    pack: Pack | None = None,
) -> str:
    texts = ctx.texts
    casual = informal(pack)
    match question.kind:
        case Kind.CHOICE | Kind.SCALE:
            hint = texts.hint("choice", language, channel, count=len(question.choices), informal=casual)
        case Kind.YESNO:
            hint = texts.hint("yesno", language, channel, informal=casual)
        case Kind.NUMBER:
            hint = texts.hint("number", language, channel, min=question.min, max=question.max, informal=casual)
        case _:
            hint = texts.hint("text", language, channel, informal=casual)
    if question.optional or offer_skip:
        hint = f"{hint} {texts.hint('skip', language, channel, informal=casual)}"
    return hint


def question_ask(
    pack: Pack, question: Question, ctx: Context, language: str, answered_before: int,
    answers: dict[str, str], offer_skip: bool = False, channel: str | None = None,
) -> Ask:
    lang = pack_language(pack, language)
    return Ask(
        question_id=question.id,
        text=in_language(question.text, lang, pack),
        kind=question.kind.value,
        language=lang,
        symbol=question.symbol,
        emoji=ctx.symbols.emoji(question.symbol),
        choices=choices_for(question, pack, ctx, lang),
        hint=hint_for(question, ctx, lang, offer_skip, channel, pack),
        optional=question.optional,
        progress=progress(pack, question, answered_before, answers),
    )


def consent_ask(pack: Pack, ctx: Context, language: str, channel: str | None = None) -> Ask:
    lang = pack_language(pack, language)
    return Ask(
        question_id=CONSENT,
        text=in_language(pack.consent, lang, pack),
        kind=Kind.YESNO.value,
        language=lang,
        symbol="question",
        emoji=ctx.symbols.emoji("question"),
        choices=yes_no_choices(ctx, lang),
        hint=ctx.texts.hint("yesno", lang, channel, informal=informal(pack)),
    )


def forget_ask(ctx: Context, language: str, channel: str | None = None) -> Ask:
    return Ask(
        question_id=FORGET,
        text=ctx.texts.get("forget_ask", language, channel),
        kind=Kind.YESNO.value,
        language=language,
        symbol="delete",
        emoji=ctx.symbols.emoji("delete"),
        choices=yes_no_choices(ctx, language),
        hint=ctx.texts.hint("yesno", language, channel),
    )


def menu_packs(ctx: Context, channel: str | None = None) -> list[Pack]:
    """The packs the menu lists on `channel`, in order: the one list both showing and reading the menu use."""
    return ctx.library.all(channel)


def menu_ask(ctx: Context, language: str, channel: str | None = None) -> Ask | None:
    """The packs offered on `channel` to choose from, or None when there are none."""
    packs = menu_packs(ctx, channel)
    if not packs:
        return None
    choices = tuple(
        Choice(p.id, _spoken(p, language) if channel == "voice" else _title(p, language), p.symbol,
               ctx.symbols.emoji(p.symbol), str(n))
        for n, p in enumerate(packs, start=1)
    )
    return Ask(
        question_id=MENU,
        text=ctx.texts.get("menu_question", language),
        kind=Kind.CHOICE.value,
        language=language,
        symbol="menu",
        emoji=ctx.symbols.emoji("menu"),
        choices=choices,
        hint=ctx.texts.hint("choice", language, channel, count=len(choices)),
    )


def _title(pack: Pack, language: str) -> str:
    return in_language(pack.title, pack_language(pack, language), pack)


def _spoken(pack: Pack, language: str) -> str:
    """How the phone menu names a pack: its action ("tell us about our service"), else its title."""
    if pack.action is None:
        return _title(pack, language)
    return in_language(pack.action, pack_language(pack, language), pack)


def language_ask(ctx: Context, languages: Sequence[str], language: str, channel: str | None = None) -> Ask:
    choices = tuple(
        Choice(code, ctx.texts.language_name(code), "language", ctx.symbols.emoji("language"), str(n))
        for n, code in enumerate(languages, start=1)
    )
    return Ask(
        question_id=LANGUAGE,
        text=ctx.texts.get("language_question", language),
        kind=Kind.CHOICE.value,
        language=language,
        symbol="language",
        emoji=ctx.symbols.emoji("language"),
        choices=choices,
        hint=ctx.texts.hint("choice", language, channel, count=len(choices)),
    )


def options_for(question: Question, pack: Pack, ctx: Context) -> list[Option]:
    """Every way to say each answer, in every language the pack (or the bot, for yes/no) speaks."""
    if question.kind is Kind.YESNO:
        return yes_no_options(ctx)
    return [
        Option(c.value, str(n), tuple(map(fold, c.label.values())), fold(ctx.symbols.emoji(c.symbol)))
        for n, c in enumerate(question.choices, start=1)
    ]


def yes_no_options(ctx: Context) -> list[Option]:
    texts = ctx.texts
    labels = {
        answer: tuple(fold(texts.get(f"label_{answer}", lang)) for lang in texts.languages)
        for answer in ("yes", "no")
    }
    return [
        Option("yes", "1", labels["yes"], fold(ctx.symbols.emoji("yes"))),
        Option("no", "2", labels["no"], fold(ctx.symbols.emoji("no"))),
    ]


def menu_options(ctx: Context, channel: str | None = None) -> list[Option]:
    """The menu's answers, numbered as `menu_ask` numbers them for the same channel."""
    return [
        Option(p.id, str(n), tuple(fold(t) for t in p.title.values()), fold(ctx.symbols.emoji(p.symbol)))
        for n, p in enumerate(menu_packs(ctx, channel), start=1)
    ]


# -- reading replies (bot/engine/understand.py) -----------------------------------------------------


READINGS: Memo[understand.Question] = Memo()


def reading_for(question: Question, pack: Pack, ctx: Context) -> understand.Question:
    """The question as the reader sees it: each answer's labels, author's words, emoji and meanings."""
    return READINGS.get((question, pack, ctx.meanings, ctx.symbols, ctx.texts), "question",
                        lambda: _reading_for(question, ctx))


def _reading_for(question: Question, ctx: Context) -> understand.Question:
    meanings = ctx.meanings
    english = question.text.get("en", "")
    echo = understand.echo_words(list(question.text.values()), meanings)
    if question.kind is Kind.YESNO:
        return yes_no_reading(ctx, polar=True, echo=echo)
    answers = []
    for n, c in enumerate(question.choices, start=1):
        labels = [meanings.normalise(label) for label in c.label.values()]
        labels += [meanings.normalise(word) for words in c.words.values() for word in words]
        means = list(c.means) or [m for label in c.label.values() for m in meanings.label_meanings(label)]
        answers.append(understand.Answer(
            c.value, str(n), tuple(label for label in labels if label), fold(ctx.symbols.emoji(c.symbol)),
            tuple(dict.fromkeys(means)),
        ))
    return understand.Question(tuple(answers), understand.is_polar(english), echo)


def yes_no_reading(ctx: Context, polar: bool = True, echo: frozenset[str] = frozenset()) -> understand.Question:
    return READINGS.get((ctx.texts, ctx.meanings, ctx.symbols), ("yes_no", polar, echo),
                        lambda: _yes_no_reading(ctx, polar, echo))


def _yes_no_reading(ctx: Context, polar: bool, echo: frozenset[str]) -> understand.Question:
    texts, meanings = ctx.texts, ctx.meanings
    answers = tuple(
        understand.Answer(
            answer, key,
            tuple(meanings.normalise(texts.get(f"label_{answer}", lang)) for lang in texts.languages),
            fold(ctx.symbols.emoji(answer)), (answer,),
        )
        for answer, key in (("yes", "1"), ("no", "2"))
    )
    return understand.Question(answers, polar, echo)


def consent_answer(text: str, ctx: Context) -> str | None:
    """"yes" or "no" to the invitation, only when sure: a sure reading, or a reason or condition given
    ("kids in bed", "bit busy", "if its quick") with nothing else pointing the other way ("not now sorry,
    kids in bed", "erm not really, bit busy").

    The reasons (`consent_yes`, `consent_no` in the meaning lists) count only here: "busy" to "Was it easy to
    get through?" is not No. A reason turned round ("not busy") decides nothing."""
    meanings = ctx.meanings
    if understand.asks_back(text, meanings):
        return None  # a question back ("do i have to", "how long?") is never consent, nor a refusal
    reading = understand.read(text, yes_no_reading(ctx), meanings, ctx.texts.numbers)
    if reading.sure:
        return reading.value
    words = meanings.normalise(text)
    said: set[str] = set()
    rest = list(words)
    for value, reasons in (("yes", meanings.consent_yes), ("no", meanings.consent_no)):
        for start, end in _spans(words, reasons):
            before = words[start - 1] if start > 0 else ""
            if before in meanings.negations and before not in understand.ANSWERING_NEGATIONS:
                return None  # "not busy" turns the reason round; "no, not today" only says it again
            said.add(value)
            rest[start:end] = [""] * (end - start)
    if len(said) != 1:
        return None
    if said == {"yes"} and any(w in meanings.negations for w in rest):
        return None  # "i guess not", "not sure i suppose": a yes reason with a not beside it is no yes
    # What is left once the reason is set aside ("not now sorry", "erm not really") must not point elsewhere
    left = understand.read(" ".join(w for w in rest if w), yes_no_reading(ctx), meanings, ctx.texts.numbers)
    return said.pop() if set(left.values) <= said else None


def _spans(words: Words, phrases: frozenset[Words]) -> list[tuple[int, int]]:
    """Where each phrase is in `words`, longest first, none overlapping."""
    taken: set[int] = set()
    found = []
    for phrase in sorted(phrases, key=len, reverse=True):
        size = len(phrase)
        for start in range(len(words) - size + 1):
            span = set(range(start, start + size))
            if words[start:start + size] == phrase and not span & taken:
                taken |= span
                found.append((start, start + size))
    return found


def menu_reading(ctx: Context, channel: str | None = None) -> understand.Question:
    """The menu on `channel` as the reader sees it: each pack by its number, its titles and its start keywords."""
    return READINGS.get((ctx.library, ctx.meanings), ("menu", channel), lambda: _menu_reading(ctx, channel))


def _menu_reading(ctx: Context, channel: str | None) -> understand.Question:
    meanings = ctx.meanings
    answers = []
    for n, p in enumerate(menu_packs(ctx, channel), start=1):
        # A title says who the pack is for, then what it is about ("For young people: while you wait"):
        # either part alone names it too.
        titles = [part for title in p.title.values() for part in (title, *title.split(":", 1)[1:])]
        labels = [meanings.normalise(t) for t in titles] + [meanings.normalise(k) for k in p.keywords]
        answers.append(understand.Answer(p.id, str(n), tuple(label for label in labels if label)))
    return understand.Question(tuple(answers))


def confirm_ask(ctx: Context, language: str, answer: str, channel: str | None = None) -> Ask:
    """"Did you mean 3 Not good?", with Yes and No."""
    return Ask(
        question_id=CONFIRM,
        text=ctx.texts.get("confirm_answer", language, answer=answer),
        kind=Kind.YESNO.value,
        language=language,
        symbol="question",
        emoji=ctx.symbols.emoji("question"),
        choices=yes_no_choices(ctx, language),
        hint=ctx.texts.hint("yesno", language, channel),
    )


def which_ask(ask: Ask, values: Sequence[str], ctx: Context, channel: Channel) -> Ask:
    """"Did you mean 2 A little or 3 Not at all?": the question again with just the two answers that fit.

    It keeps the question's id, so a tap or a number answers the question itself.
    """
    offered = tuple(c for c in ask.choices if c.value in values)
    first, second = (f"{c.key} {c.label}" for c in offered[:2])
    return Ask(
        question_id=ask.question_id,
        text=ctx.texts.get("which_answer", ask.language, first=first, second=second),
        kind=ask.kind,
        language=ask.language,
        symbol=ask.symbol,
        emoji=ask.emoji,
        choices=offered,
        hint=how_to_answer(ctx, channel, ask, offered),
        optional=ask.optional,
        progress=ask.progress,
    )


def keys_in_words(ctx: Context, language: str, keys: Sequence[str]) -> str:
    """"1, 2 or 3"."""
    if len(keys) <= 1:
        return "".join(keys)
    return f"{', '.join(keys[:-1])} {ctx.texts.get('word_or', language)} {keys[-1]}"


def how_to_answer(
    ctx: Context, channel: Channel, ask: Ask, choices: Sequence[Choice] | None = None,
    question: Question | None = None,
) -> str:
    """Exactly what works as an answer to `ask` on `channel`, in one line ("Reply 1, 2 or 3.").

    The one place these words are chosen, so each channel's wording can be changed here alone.
    """
    language = ask.language
    texts = ctx.texts
    offered = ask.choices if choices is None else choices
    # A number question offers no choices, so it is asked about before "no choices means words".
    if ask.kind == Kind.NUMBER.value and question is not None:
        return texts.hint("number", language, channel, min=question.min, max=question.max)
    if ask.kind == Kind.TEXT.value or not offered:
        return texts.hint("text", language, channel)
    if ask.kind == Kind.YESNO.value and choices is None:
        key = {Channel.VOICE: "how_yesno_voice", Channel.WEB: "how_yesno_tap", Channel.TELEGRAM: "how_yesno_tap"}
        how = key.get(channel)
        return texts.get(how, language) if how else texts.hint("yesno", language, channel)
    keys = keys_in_words(ctx, language, [c.key for c in offered])
    key = {Channel.VOICE: "how_keys_voice", Channel.WEB: "how_keys_tap", Channel.TELEGRAM: "how_keys_tap"}
    return texts.get(key.get(channel, "how_keys"), language, keys=keys)


def language_options(ctx: Context, languages: Sequence[str]) -> list[Option]:
    return [
        Option(code, str(n), (fold(ctx.texts.language_name(code)), fold(code)))
        for n, code in enumerate(languages, start=1)
    ]
