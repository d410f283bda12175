"""Whatever people send, in whatever order and after however long, the engine answers kindly and keeps
its records straight. Hypothesis plays thousands of conversations to hold it to that."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from engine_kit import FIXTURE_PROMPTS, TUESDAY_10AM, make_context
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bot.content.packs.library import SHIPPED_PROMPTS, PackLibrary, Symbols, SystemTexts
from bot.engine.engine import handle, menu
from bot.engine.events import (
    AnswerGiven,
    AnswerWithdrawn,
    ForgetConfirmed,
    Started,
    Stopped,
    SubmissionFinished,
    SubmissionStarted,
)
from bot.engine.state import Conversation, Stage
from bot.messages import Ask, Channel, Inbound, Say

LIBRARY = PackLibrary(PackLibrary.load(SHIPPED_PROMPTS).all() + PackLibrary.load(FIXTURE_PROMPTS).all())
TEXTS = SystemTexts.load(SHIPPED_PROMPTS)
SYMBOLS = Symbols.load(SHIPPED_PROMPTS)

_VALUES = sorted({c.value for p in LIBRARY.all() for q in p.questions for c in q.choices} | {"yes", "no"})
_WORDS = sorted(
    {w for w in TEXTS.commands} | {w for w in TEXTS.language_switches} | TEXTS.yes_words | TEXTS.no_words
    | {k for p in LIBRARY.all() for k in p.keywords}
    | {label for p in LIBRARY.all() for q in p.questions for c in q.choices for label in c.label.values()}
    | {str(n) for n in range(-2, 30)} | {"two", "dau", "5 stars", "not good", "six weeks", "😀", "👍🏽", "1️⃣"}
)
_NASTY = ["", " ", "\u202e\u202dhi", "\x00\x07\x1b[2J", "\ud800" if False else "\ufeff", "\n\n\t", "👍" * 500,
          "a" * 10_000, "STOP " * 3, "9" * 5000, "٣", "\u0000STOP"]
_GAPS = st.sampled_from([timedelta(0), timedelta(minutes=5), timedelta(hours=7), timedelta(days=3),
                         timedelta(days=15), timedelta(days=400)])


def _messages() -> st.SearchStrategy[tuple[Inbound, timedelta, bool]]:
    text = st.one_of(
        st.sampled_from(_WORDS), st.sampled_from(_WORDS), st.sampled_from(_WORDS), st.sampled_from(_NASTY),
        st.text(max_size=40), st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    )
    secret = st.from_regex(r"\A[A-Za-z]{6}[0-9]{6}[A-Za-z]{4}\Z")  # words nobody would send as an answer
    inbound = st.builds(
        lambda words, choice, media, start, channel, private: (
            (private if private else words), choice, media, start, channel, bool(private)
        ),
        text, st.one_of(st.none(), st.sampled_from([*_VALUES, *(p.id for p in LIBRARY.all()), "en", "zz"])),
        st.sampled_from([(), ("picture",), ("voice note", "picture")]),
        st.one_of(st.none(), st.sampled_from(["demo", "kinds", "nothing"])),
        st.sampled_from(list(Channel)),
        st.one_of(st.none(), st.none(), secret),
    )

    def build(parts: tuple[Any, ...], gap: timedelta) -> tuple[Inbound, timedelta, bool]:
        words, choice, media, start, channel, private = parts
        message = Inbound(text=words, channel=channel, received_at=TUESDAY_10AM, choice=choice, media=media,
                          start_pack=start)
        return message, gap, private

    return st.builds(build, inbound, _GAPS)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10,
)
_SAVED = st.one_of(
    st.just(None),
    st.dictionaries(
        st.sampled_from(["stage", "pack_id", "question_id", "submission_id", "history", "answers", "tries",
                         "pack_version", "awaiting", "last_seen", "language", "stopped", "answered"]),
        st.one_of(_JSON, st.sampled_from(["question", "consent", "idle", "demo", "overall", "menu", "forget",
                                          "language", "2025-03-01T10:00:00+00:00", "cy"])),
    ),
)


class Ledger:
    """What the host would have stored, to check that every event makes sense."""

    def __init__(self) -> None:
        self.open: set[str] = set()
        self.seen: set[str] = set()

    def apply(self, events: tuple[Any, ...]) -> None:
        for happened in events:
            match happened:
                case SubmissionStarted():
                    assert happened.submission_id not in self.seen, "a submission id is used twice"
                    self.open.add(happened.submission_id)
                    self.seen.add(happened.submission_id)
                case AnswerGiven() | AnswerWithdrawn():
                    assert happened.submission_id in self.open, "an answer for a submission that is not open"
                case SubmissionFinished():
                    assert happened.submission_id in self.open, "a submission finished twice or never started"
                    self.open.discard(happened.submission_id)


def _shown(messages: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for message in messages:
        if isinstance(message, Say):
            parts.append(message.text)
        elif isinstance(message, Ask):
            parts.extend([message.text, message.hint, *(c.label for c in message.choices)])
    return "\n".join(parts)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    saved=_SAVED,
    opening=st.sampled_from([[], ["DEMO", "yes"], ["KINDS", "ok"], ["ENGONLY", "y"], ["cymraeg", "demo", "ie"]]),
    script=st.lists(_messages(), min_size=1, max_size=25),
)
def test_any_conversation_is_answered_and_recorded_consistently(
    saved: dict[str, Any] | None, opening: list[str], script: list[tuple[Inbound, timedelta, bool]]
) -> None:
    script = [
        (Inbound(text=words, channel=Channel.SMS, received_at=TUESDAY_10AM), timedelta(0), False)
        for words in opening
    ] + script
    conversation = Conversation.from_dict(saved)
    ledger = Ledger()
    if conversation.submission_id:
        ledger.open.add(conversation.submission_id)  # opened before this test began
        ledger.seen.add(conversation.submission_id)
    now: datetime = TUESDAY_10AM
    for number, (message, gap, private) in enumerate(script):
        now += gap
        ctx = make_context(LIBRARY, TEXTS, SYMBOLS, now, new_id=f"sub-{number}")
        before = conversation.to_dict()
        step = handle(conversation, message, ctx)
        assert conversation.to_dict() == before, "the engine changed the state it was given"

        assert step.reply.messages, "every message gets an answer"
        assert all(m.text for m in step.reply.messages)
        shown = _shown(step.reply.messages)
        if private:
            assert message.text not in shown, "a reply repeated what the person wrote"

        ledger.apply(step.events)
        after = step.conversation
        if any(isinstance(e, Stopped) for e in step.events):
            assert after.stopped
        if any(isinstance(e, Started) for e in step.events):
            assert not after.stopped
        if any(isinstance(e, ForgetConfirmed) for e in step.events):
            assert not after.in_pack and not after.answers and after.language is None
        if after.stage is Stage.QUESTION:
            assert after.submission_id in ledger.open and after.question_id
            pack = LIBRARY.get(after.pack_id)
            assert pack is not None and pack.question(after.question_id or "") is not None
        else:
            assert after.submission_id is None
        for value in after.answers.values():
            assert value in _VALUES or value.lstrip("-").replace(".", "", 1).isdigit(), "free text in the state"
        saved_state = json.loads(json.dumps(after.to_dict()))
        assert Conversation.from_dict(saved_state) == after, "the state does not survive being saved"
        assert after.last_seen == now
        conversation = after
    event("reached a question" if ledger.seen else "never consented")


@settings(max_examples=200, deadline=None)
@given(saved=_SAVED)
def test_any_saved_state_loads_without_error(saved: dict[str, Any] | None) -> None:
    conversation = Conversation.from_dict(saved)
    assert Conversation.from_dict(conversation.to_dict()) == conversation


def test_the_menu_lists_every_pack_with_its_symbol() -> None:
    ctx = make_context(LIBRARY, TEXTS, SYMBOLS, TUESDAY_10AM)
    (ask,) = menu(ctx, "en").messages
    assert isinstance(ask, Ask) and ask.question_id == "menu"
    assert [c.value for c in ask.choices] == [p.id for p in LIBRARY.all()]
    assert [c.key for c in ask.choices] == [str(n) for n in range(1, len(LIBRARY.all()) + 1)]
    assert all(c.emoji for c in ask.choices)
    (welsh,) = menu(ctx, "cy").messages
    assert isinstance(welsh, Ask) and welsh.text == TEXTS.get("menu_question", "cy")


def test_a_menu_with_no_packs_says_so() -> None:
    ctx = make_context(PackLibrary([]), TEXTS, SYMBOLS, TUESDAY_10AM)
    (say,) = menu(ctx, None).messages
    assert isinstance(say, Say) and "no questions" in say.text
