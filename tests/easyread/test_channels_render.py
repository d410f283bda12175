"""Every question of every shipped pack, in every language, as each channel really renders it, within
the budgets in prompts/wordlists/limits.yaml: by SMS one plain GSM-7 segment a question (two for the
opening), symbols on the left when a service turns them on, Telegram buttons of at most 20
characters, about 25 spoken words on the phone, and the web chat's buttons with a picture for every
symbol. The Asks come from the engine's own functions."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest
import regex

from bot.content.easyread.sent import PackMessages
from bot.content.easyread.wordlists import load_wordlists
from bot.content.easyread.words import word_count
from bot.content.packs.library import PackLibrary
from bot.content.packs.symbols import Symbols
from bot.content.packs.yamlfile import SHIPPED_PROMPTS
from bot.content.symbols import SymbolPictures
from bot.messages import Ask, Reply
from channels.segments import sms_cost
from channels.telegram.render import TEXT_LIMIT, render_telegram
from channels.twilio_sms.render import render_sms
from channels.twilio_voice.render import KEY_REPEAT, KEY_SKIP, SIDE_QUESTIONS, pages_of, prompt_for
from channels.twilio_voice.words import VoiceWords
from channels.webchat.preview import render_text

LISTS = load_wordlists()
LIMITS = LISTS.channels
SYMBOLS = Symbols.load(SHIPPED_PROMPTS)
LIBRARY = PackLibrary.load(SHIPPED_PROMPTS)
VOICE = VoiceWords.shipped()


@dataclass(frozen=True)
class Case:
    pack: str
    language: str
    ask: Ask
    # Budgets a nationally set question is exempt from (prompts/wordlists/standards.yaml): its words
    # may not be shortened, so there only the plain SMS has to fit.
    exempt: frozenset[str] = frozenset()

    def __str__(self) -> str:
        return f"{self.pack}/{self.ask.question_id}/{self.language}"


def _exempt(standard: str | None) -> frozenset[str]:
    return LISTS.standards[standard].exempt if standard else frozenset()


def _cases() -> list[Case]:
    cases: list[Case] = []
    for pack in LIBRARY.all():
        sent = PackMessages(pack, SHIPPED_PROMPTS, SYMBOLS)
        for language in pack.languages:
            cases.append(Case(pack.id, language, sent.consent(language)))
            cases.extend(
                Case(pack.id, language, sent.question(q, language), _exempt(q.standard)) for q in pack.questions
            )
    return cases


CASES = _cases()


def test_every_pack_is_covered() -> None:
    assert {case.pack for case in CASES} == {pack.id for pack in LIBRARY.all()}
    assert sum(1 for case in CASES if case.exempt) <= 2, "only the NHS Friends and Family Test is exempt"
    assert len(LIBRARY.all()) >= 5 and {"en", "cy"} <= {case.language for case in CASES}


SMS_CASES = [case for case in CASES if LIBRARY.get(case.pack).offered_on("sms")]


def test_only_packs_for_text_messages_are_priced_as_sms() -> None:
    assert {case.pack for case in SMS_CASES} == {p.id for p in LIBRARY.all("sms")}
    assert "phone" not in {case.pack for case in SMS_CASES}, "the phone pack is heard, never texted"


@pytest.mark.parametrize("case", SMS_CASES, ids=str)
def test_sms_is_plain_and_one_segment_a_question(case: Case) -> None:
    ask = case.ask
    plain = render_sms(Reply((ask,)))
    cost = sms_cost(plain)
    assert cost.encoding == "GSM-7", f"{case}: {cost}\n{plain}"
    most = LIMITS.sms_opening_segments if ask.question_id == "consent" else LIMITS.sms_segments
    if ask.question_id == "consent":
        sent = PackMessages(LIBRARY.get(case.pack), SHIPPED_PROMPTS, SYMBOLS)
        cost = sms_cost(render_sms(Reply((sent.intro(case.language), ask))))
    if "sms-budget" not in case.exempt:
        assert cost.segments <= most, f"{case}: {cost}\n{plain}"
    lines = plain.splitlines()
    if ask.kind == "yesno":
        assert not any(line[:1].isdigit() for line in lines[1:]), f"{case}: yes or no shows no numbers"
        assert ask.hint in lines and ("YES" in ask.hint or "IE" in ask.hint), f"{case}: {ask.hint}"
    else:
        for choice in ask.choices:
            assert f"{choice.key} {choice.label}" in lines and choice.emoji not in plain
        keys = [c.key for c in ask.choices]
        assert all(key in ask.hint for key in keys), f"{case}: the hint names the numbers: {ask.hint}"


@pytest.mark.parametrize("case", SMS_CASES, ids=str)
def test_sms_symbols_when_turned_on_go_on_the_left(case: Case) -> None:
    ask = case.ask
    lines = render_sms(Reply((ask,)), plain=False).splitlines()
    assert lines[0] == f"{ask.emoji} {ask.text}"
    for choice in () if ask.kind == "yesno" else ask.choices:
        assert f"{choice.key} {choice.emoji} {choice.label}" in lines, f"{case}: picture left of the words"


@pytest.mark.parametrize("case", CASES, ids=str)
def test_telegram_has_an_emoji_and_word_button_for_each_choice(case: Case) -> None:
    ask = case.ask
    messages = render_telegram(Reply((ask,)))
    assert messages and all(len(m.text) <= TEXT_LIMIT for m in messages)
    assert messages[0].symbol == ask.symbol, "the symbol card goes before the question"
    buttons = messages[-1].buttons
    assert [b.value for b in buttons] == [c.value for c in ask.choices]
    for button, choice in zip(buttons, ask.choices, strict=True):
        assert button.label == f"{choice.emoji} {choice.label}" and button.question_id == ask.question_id
        shown = len(regex.findall(r"\X", button.label))
        if "telegram-button" not in case.exempt:
            assert shown <= LIMITS.telegram_label, f"{case}: {button.label!r} is {shown} characters"


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_phone_names_each_choice_before_its_key_in_about_25_words(case: Case) -> None:
    ask = case.ask
    for page in range(pages_of(ask)):
        prompt = prompt_for(ask, VOICE, page)
        spoken = " ".join(prompt.lines)
        # The fixed words ("For …, press 1", "press 9") are the same for every question; the budget is
        # for what the person must hold in mind: the question and the choices read on this page.
        fixed = " ".join(prompt_for(_blank(ask), VOICE, page).lines)
        own_words = word_count(spoken) - word_count(fixed)
        if "ivr-budget" not in case.exempt:
            assert own_words <= LIMITS.ivr_words, f"{case} page {page + 1}: {own_words} words\n{spoken}"
        shown = [c for c in ask.choices if c.value in prompt.values]
        for key, choice in enumerate(shown, start=1):
            line = next(line for line in prompt.lines if choice.label in line and str(key) in line)
            assert line.index(choice.label) < line.rindex(str(key)), f"{case}: '{line}' names the key first"
        if ask.choices:
            assert any(KEY_REPEAT in line for line in prompt.lines[-2:]), f"{case}: 9 repeats"
            skippable = ask.question_id not in SIDE_QUESTIONS
            assert any(KEY_SKIP in line for line in prompt.lines[-1:]) == skippable, f"{case}: 0 skips"


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_web_chat_shows_buttons_with_symbols(case: Case, pictures: SymbolPictures) -> None:
    ask = case.ask
    text = render_text(Reply((ask,)))
    assert f"{ask.emoji} {ask.text}" in text
    for choice in ask.choices:
        assert f"[ {choice.emoji} {choice.label} ]" in text
        assert pictures.url(choice.symbol), f"{case}: {choice.symbol} has no picture for the web chat"
    assert pictures.url(ask.symbol), f"{case}: {ask.symbol} has no picture for the web chat"


@pytest.fixture(scope="module")
def pictures() -> SymbolPictures:
    return SymbolPictures(SYMBOLS, SHIPPED_PROMPTS)


def _blank(ask: Ask) -> Ask:
    return replace(ask, text="", choices=tuple(replace(c, label="") for c in ask.choices))
