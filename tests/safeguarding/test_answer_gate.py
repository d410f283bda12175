"""The answer gate: an everyday answer the second opinion alone flagged is read as the answer; risk still
gets help first (bot/engine/answer_gate.py).

Most tests put a stand-in second opinion in front of the shipped lists, one that flags every message
("the model flags everything"): whatever the shipped model.json says today, they show what the gate does
with a finding from the model alone. The lists still run, so a message they match keeps its rule.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from safeguarding_kit import LIBRARY, TUESDAY_10AM, Person, context, last_ask

from bot.engine import answer_gate
from bot.engine.context import Handover
from bot.engine.events import AnswerGiven, RiskDetected
from bot.engine.state import Awaiting, Conversation, Stage
from bot.engine.turn import Turn
from bot.messages import Channel, Inbound
from bot.safeguarding.detect import Detector
from bot.safeguarding.finding import SECOND_OPINION, Finding, Hit, Level
from bot.safeguarding.loading import Safeguarding, shipped_safeguarding

SHIPPED = shipped_safeguarding()


@dataclass
class FlagsEverything:
    """The shipped lists, then a second opinion that reads every message as urgent."""

    lists: Detector

    def detect(self, text: str) -> Finding:
        found = self.lists.detect(text)
        if any(not hit.rule.startswith(SECOND_OPINION) for hit in found.hits):
            return found
        return Finding(Level.URGENT, (Hit(f"{SECOND_OPINION}urgent", Level.URGENT),))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.lists, name)


EAGER = replace(SHIPPED, detector=cast(Detector, FlagsEverything(SHIPPED.detector)))


def at(pack_id: str, question_id: str, safeguarding: Safeguarding = EAGER, **state: Any) -> Person:
    """A person on `question_id` of `pack_id`, as if they had answered the questions before it."""
    pack = LIBRARY.get(pack_id)
    assert pack is not None and pack.question(question_id) is not None
    conversation = Conversation(
        language="en", pack_id=pack_id, pack_version=pack.version, stage=Stage.QUESTION, submission_id="sub-0",
        question_id=question_id, last_asked=question_id, last_seen=TUESDAY_10AM, **state,
    )
    return Person(safeguarding=safeguarding, conversation=conversation)


def helped(step: Any) -> bool:
    return any(isinstance(event, RiskDetected) for event in step.events)


def stored(step: Any) -> list[str | None]:
    return [event.value for event in step.events if isinstance(event, AnswerGiven)]


@pytest.mark.parametrize(("pack", "question", "reply", "value"), [
    ("waiting_list", "updates", "go on then", "yes"),
    ("waiting_list", "updates", "ye go on", "yes"),
    ("parent_carer", "informed", "now and then", "a_little"),
    ("children", "come_again", "dim eisiau dod eto", "unhappy"),  # Welsh: don't want to come again
])
def test_an_everyday_answer_the_model_alone_flagged_is_stored(pack: str, question: str, reply: str, value: str) -> None:
    step = at(pack, question).send(reply)
    assert not helped(step), "no crisis text for an answer"
    assert stored(step) == [value]


@pytest.mark.parametrize("reply", ["not right now", "nah not for me"])
def test_not_right_now_at_a_yes_no_question_is_a_no_asked_back_then_stored(reply: str) -> None:
    person = at("parent_carer", "involvement")
    step = person.send(reply)
    assert not helped(step)
    if stored(step) == ["no"]:
        return  # the meanings read it as a plain No
    ask = last_ask(step)
    assert ask is not None and ask.question_id == "confirm" and "No" in ask.text
    assert stored(person.send("yes")) == ["no"]


@pytest.mark.parametrize(("pack", "question", "reply"), [
    ("waiting_list", "updates", "not right now"), ("waiting_list", "updates", "go on then"),
    ("waiting_list", "updates", "ye go on"), ("waiting_list", "updates", "nah not for me"),
    ("waiting_list", "updates", "dont want them"), ("parent_carer", "next_steps", "nope no one said"),
    ("parent_carer", "involvement", "not at the moment"), ("parent_carer", "contact", "took forever to get through"),
    ("children", "come_again", "i dont want to come again"), ("children", "come_again", "dont wanna come back"),
    ("children", "come_again", "sad i have to come again"),
    ("easy_words", "safe", "yes i feel safe"),  # the question's own words said back (held-out set 8)
])
def test_with_the_shipped_model_the_everyday_answers_get_no_crisis_text(pack: str, question: str, reply: str) -> None:
    assert not helped(at(pack, question, safeguarding=SHIPPED).send(reply))


@pytest.mark.parametrize(("pack", "question", "reply"), [
    ("children", "safe", "no"),  # the pack marks No to "Do you feel safe?" for support
    ("children", "safe", "not safe"),
    ("children", "safe", "i dont feel safe here"),  # the question's words, turned round: still help
    ("children", "feel_here", "sad"),  # the unhappy answer the pack marks for support
    ("waiting_list", "updates", "I want to die"),  # a rule of the lists
    ("waiting_list", "updates", "i want 2 die"),
    ("parent_carer", "involvement", "i cant go on"),  # read as "go on", but the negation keeps the help
    ("parent_carer", "involvement", "i have a rope"),  # "I have" reads as yes; "rope" is nobody's answer
    ("parent_carer", "involvement", "no no one would even miss me"),  # longer than an answer
    ("parent_carer", "better", "not right now"),  # a text question has no "plainly an answer"
    ("waiting_list", "feeling", "im in crisis right now"),
    # A plea for help or "cant go on" at a yes or no point: the reading finds "please" (yes) or "go on"
    ("children", "safe", "Please help me"),
    ("waiting_list", "updates", "please help"),
    ("parent_carer", "next_steps", "i cant go on"),
    ("parent_carer", "hear_back", "i cant cope"),
    ("children", "kind", "helpa fi"),
    # A hedge is not plainly an answer
    ("parent_carer", "involvement", "maybe"),
    ("children", "come_again", "not sure"),
    # Words that only appear inside a meaning phrase ("hit and miss", "write home about") are not answers
    ("children", "kind", "Nobody would miss me"),
    ("waiting_list", "updates", "there is no food at home"),
])
def test_a_risk_message_that_is_also_a_plausible_answer_still_gets_help(pack: str, question: str, reply: str) -> None:
    step = at(pack, question).send(reply)
    assert helped(step)
    assert step.reply.support


def test_a_rule_keeps_the_help_even_when_the_words_are_an_answer() -> None:
    step = at("children", "come_again", safeguarding=SHIPPED).send("I want to die")
    risk = next(event for event in step.events if isinstance(event, RiskDetected))
    assert risk.rules[0] == "en.suicide_intent"


def test_consent_carry_on_and_the_menu_read_their_answers() -> None:
    person = Person(safeguarding=EAGER)
    person.send("WAITING")
    started = person.send("go on then")
    assert not helped(started) and person.conversation.stage is Stage.QUESTION
    helped_first = person.send("I want to kill myself")
    assert helped(helped_first) and person.conversation.awaiting is Awaiting.CARRY_ON
    again = person.send("ye go on")
    assert not helped(again) and person.conversation.awaiting is None
    hello = Person(safeguarding=EAGER).send("hiya")
    assert not helped(hello)
    assert last_ask(hello) is not None and last_ask(hello).question_id == "menu"


@pytest.mark.parametrize("reply", ["Please help me", "i cant go on", "i cant cope"])
def test_a_plea_for_help_gets_help_at_consent_carry_on_and_did_you_mean(reply: str) -> None:
    consent = Person(safeguarding=EAGER)
    consent.send("WAITING")
    assert helped(consent.send(reply))
    asked_back = at("waiting_list", "checkins", awaiting=Awaiting.CONFIRM, pending="no")
    assert helped(asked_back.send(reply))


def test_a_pack_named_at_the_menu_with_an_age_is_started_though_the_model_flagged_it() -> None:
    person = Person(safeguarding=EAGER)
    step = person.send("for my son hes 6")
    assert not helped(step)
    assert person.conversation.pack_id == "children"


def _turn(conversation: Conversation, text: str, **ctx: Any) -> Turn:
    base = replace(context(TUESDAY_10AM), safeguarding=EAGER, **ctx)
    return Turn(conversation, Inbound(text=text, channel=Channel.SMS, received_at=TUESDAY_10AM), base)


def test_a_stopped_conversation_or_a_person_from_the_team_keeps_the_help() -> None:
    conversation = at("waiting_list", "updates").conversation
    finding = EAGER.detector.detect("go on then")
    assert answer_gate.set_aside(_turn(conversation, "go on then"), "go on then", finding)
    assert not answer_gate.set_aside(_turn(replace(conversation, stopped=True), "go on then"), "go on then", finding)
    handed_over = _turn(conversation, "go on then", handover=Handover(7, True))
    assert not answer_gate.set_aside(handed_over, "go on then", finding)


# Answers, risk words, and others: any mix, at any point, with any rule in the finding.
WORDS = st.sampled_from([
    "go", "on", "then", "not", "right", "now", "no", "yes", "nah", "dont", "want", "them", "1", "2", "good",
    "happy", "die", "kill", "myself", "rope", "hopeless", "i", "cant", "again", "sad", "safe", "hiya", "ok",
])
POINTS = st.sampled_from([
    Conversation(),
    Conversation(awaiting=Awaiting.MENU),
    *(replace(at(p, q).conversation, awaiting=a) for p, q in (
        ("waiting_list", "updates"), ("parent_carer", "informed"), ("children", "come_again"),
        ("parent_carer", "better"), ("waiting_list", "feeling"),
    ) for a in (None, Awaiting.CONFIRM, Awaiting.CARRY_ON)),
])
RULES = st.sampled_from(["en.suicide_intent", "en.self_harm_intent", "cy.suicide_intent", "en.lonely_or_rejected"])


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=8), POINTS, RULES, st.sampled_from(list(Level)[1:]), st.booleans())
def test_a_message_with_a_rule_finding_is_never_set_aside(
    words: list[str], point: Conversation, rule: str, level: Level, model_too: bool
) -> None:
    text = " ".join(words)
    hits = (Hit(rule, level), *((Hit(f"{SECOND_OPINION}urgent", Level.URGENT),) if model_too else ()))
    finding = Finding(max((h.level for h in hits), key=lambda lv: lv.rank), hits)
    assert not finding.second_opinion_only
    assert not answer_gate.set_aside(_turn(point, text), text, finding)


def test_every_short_reviewed_risky_message_gets_help_at_every_answer_point() -> None:
    """bench/safeguarding_gate.py in small: the messages short enough for the gate to weigh at all."""
    from bench.safeguarding_gate import Remembering, points, risky_messages
    from bench.safeguarding_gate import helped as bench_helped
    from bench.understanding import load_prompts

    prompts = load_prompts()
    remembering = replace(SHIPPED, detector=cast(Detector, Remembering(SHIPPED.detector)))
    short = [m for m in risky_messages() if len(m.split()) <= answer_gate.MOST_WORDS]
    assert len(short) > 150, "the reviewed sets hold many short risky messages"
    missed = [
        (point.name, text) for text in short if remembering.detector.detect(text).risky
        for point in points(prompts) if not bench_helped(prompts, remembering, point, text)
    ]
    assert missed == []
