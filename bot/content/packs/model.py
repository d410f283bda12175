"""The question pack format.

A pack is a YAML file in `prompts/`. Example (abridged)::

    id: demo
    version: 1
    audience: parent_carer          # child | young_person | parent_carer | learning_disability
    channels: [sms, whatsapp, telegram, web]   # where it is offered; every channel when left out
    languages: [en, cy]
    needs_review: [cy]              # translations a native speaker has not checked yet
    title: {en: Tell us how we did, cy: Dywedwch wrthym sut aeth hi}
    keywords: [DEMO, FEEDBACK]
    symbol: message
    intro: {en: "...", cy: "..."}
    consent: {en: "Is it OK to ask you 4 short questions?", cy: "..."}
    outro: {en: "...", cy: "..."}
    questions:
      - id: overall
        kind: choice                # choice | scale | yesno | text | number
        text: {en: How was your visit?, cy: ...}
        symbol: star
        choices:
          - {value: good, label: {en: Good, cy: Da}, symbol: happy}
      - id: why
        kind: text
        text: {en: What could we do better?}
        optional: true
        when: {question: overall, in: [poor]}

Texts are maps from language code to words. Every language in `languages` must be present in every
text. Scale questions are choices whose values are whole numbers, in order (best first: 3, 2, 1).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
LangCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")]
ChoiceValue = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_]{0,39}$")]
Keyword = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{2,20}$")]
Text = dict[LangCode, Annotated[str, StringConstraints(min_length=1, max_length=1000)]]


class Audience(StrEnum):
    CHILD = "child"
    YOUNG_PERSON = "young_person"
    PARENT_CARER = "parent_carer"
    # Children and young people with learning disabilities, and their families: the simplest words,
    # a picture for every idea, three choices at most.
    LEARNING_DISABILITY = "learning_disability"


class PackChannel(StrEnum):
    """The channels a pack can be offered on (the same names as `bot.messages.Channel`)."""

    SMS = "sms"
    WHATSAPP = "whatsapp"
    TELEGRAM = "telegram"
    VOICE = "voice"
    WEB = "web"


class Kind(StrEnum):
    CHOICE = "choice"
    SCALE = "scale"
    YESNO = "yesno"
    TEXT = "text"
    NUMBER = "number"


class Unit(StrEnum):
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"


class Purpose(StrEnum):
    """What a yes/no answer consents to; the service keeps contact details only for these."""

    HEAR_BACK = "hear_back"  # tell me what you did about it ("you said, we did")
    UPDATES = "updates"  # broadcast updates
    INVOLVEMENT = "involvement"  # help shape the service
    CHECKINS = "checkins"  # recurring check-ins while waiting


class _Strict(BaseModel):
    # YAML reads `value: 1` as a number; a choice value or label is still words to us.
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


class PackChoice(_Strict):
    value: ChoiceValue
    label: Text
    symbol: Identifier
    # What this answer means (prompts/meanings/meanings.yaml), when its label alone does not say: a label
    # such as "Not good" already means bad. People's words for those meanings then pick this answer.
    means: list[Identifier] = Field(default_factory=list)
    # This answer's own words, in each language, beyond its label and its meanings: {en: [brill, mint]}.
    words: dict[LangCode, list[Annotated[str, StringConstraints(min_length=1, max_length=80)]]] = Field(
        default_factory=dict
    )


class Condition(_Strict):
    """Show a question only when an earlier answer's value is one of `in_`."""

    question: Identifier
    in_: list[str] = Field(alias="in", min_length=1)


MAX_CHOICES = 5
MAX_STANDARD_CHOICES = 6  # the NHS Friends and Family Test has 6 answers


class Question(_Strict):
    id: Identifier
    kind: Kind
    text: Text
    symbol: Identifier
    optional: bool = False
    when: Condition | None = None
    choices: list[PackChoice] = Field(default_factory=list)
    min: int | None = None  # number questions
    max: int | None = None
    # What a number question counts, so "6 months" can be read as 26 weeks (asked back, as it is rough).
    unit: Unit | None = None
    max_length: int = Field(default=1000, ge=10, le=4000)  # text questions
    purpose: Purpose | None = None  # only on yes/no questions
    sensitive: bool = False  # the outro offers one line of help after a pack with such questions
    # Answers that get kind words, one line of help and the call-back offer before the next question:
    # "not_good" to "How are you feeling?", "no" to "Did you feel safe here?".
    support_when: list[str] = Field(default_factory=list)
    # A nationally set question kept word for word, such as nhs_fft (the NHS Friends and Family Test).
    # `said prompts check` holds its English wording to prompts/wordlists/standards.yaml and reports the
    # easy-read rules that standard is exempt from as warnings; it may have up to 6 choices.
    standard: Identifier | None = None

    @model_validator(mode="after")
    def _check_kind(self) -> Question:
        if self.kind in (Kind.CHOICE, Kind.SCALE):
            most = MAX_CHOICES if self.standard is None else MAX_STANDARD_CHOICES
            if not 2 <= len(self.choices) <= most:
                raise ValueError(
                    f"a {self.kind} question needs 2 to {most} choices, this one has {len(self.choices)}"
                )
            values = [c.value for c in self.choices]
            if len(set(values)) != len(values):
                raise ValueError("two choices share a value; give each choice its own value")
        elif self.choices:
            raise ValueError(f"a {self.kind} question has no choices; remove 'choices' or use kind: choice")
        if self.kind is Kind.SCALE:
            for c in self.choices:
                if not c.value.isdigit():
                    raise ValueError("scale choice values are whole numbers, for example 1, 2, 3")
            numbers = [int(c.value) for c in self.choices]
            # Either way round: the best answer usually comes first (3, 2, 1), so it keeps its key.
            if numbers not in (sorted(set(numbers)), sorted(set(numbers), reverse=True)):
                raise ValueError("scale choice values go in order, for example 3, 2, 1 or 1, 2, 3")
        if self.kind is Kind.NUMBER:
            if self.min is None or self.max is None or self.min > self.max:
                raise ValueError("a number question needs min and max, with min no bigger than max")
        elif self.min is not None or self.max is not None or self.unit is not None:
            raise ValueError("only number questions take min, max and unit")
        if self.purpose is not None and self.kind is not Kind.YESNO:
            raise ValueError("only yes/no questions can record a purpose")
        if self.support_when:
            allowed = ["yes", "no"] if self.kind is Kind.YESNO else [c.value for c in self.choices]
            unknown = [value for value in self.support_when if value not in allowed]
            if unknown:
                raise ValueError(
                    f"support_when names {', '.join(unknown)}, which this question cannot answer;"
                    f" use {', '.join(allowed) or 'a choice or yes/no question'}"
                )
        return self


class Pack(_Strict):
    id: Identifier
    version: int = Field(ge=1)
    audience: Audience
    # Where the pack is offered: each channel's menu lists only its packs, and a keyword or link for
    # a pack made for other channels does not start it. Every channel when left out.
    channels: list[PackChannel] = Field(default_factory=lambda: list(PackChannel), min_length=1)
    languages: list[LangCode] = Field(min_length=1)
    needs_review: list[LangCode] = Field(default_factory=list)
    title: Text
    # What choosing the pack does, as the phone menu says it: "tell us about our service" is read
    # "To tell us about our service, press 1". Without it the phone reads the title.
    action: Text | None = None
    keywords: list[Keyword] = Field(min_length=1)
    # What people call the pack at the menu, beyond its title and keywords, in each language: a title it
    # had before, or how people describe it ({en: [the waiting one, still waiting]}). See bot/engine/naming.py.
    names: dict[LangCode, list[Annotated[str, StringConstraints(min_length=1, max_length=60)]]] = Field(
        default_factory=dict
    )
    symbol: Identifier
    intro: Text
    consent: Text
    outro: Text
    questions: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def _check_pack(self) -> Pack:
        seen: set[str] = set()
        for q in self.questions:
            if q.id in seen:
                raise ValueError(f"question id '{q.id}' is used twice; each question needs its own id")
            if q.when is not None:
                self._check_condition(q, q.when, seen)
            seen.add(q.id)
        for lang in self.needs_review:
            if lang not in self.languages:
                raise ValueError(f"needs_review names '{lang}', which is not in languages")
        for where, text in self.texts():
            missing = [lang for lang in self.languages if lang not in text]
            if missing:
                raise ValueError(f"{where} has no words for language {', '.join(missing)}")
        return self

    def _check_condition(self, q: Question, when: Condition, seen: set[str]) -> None:
        if when.question not in seen:
            raise ValueError(
                f"question '{q.id}' depends on '{when.question}', which must be an earlier question"
            )
        earlier = self.question(when.question)
        assert earlier is not None
        # Only answers with a fixed set of values are remembered for conditions; a typo in `in` would
        # otherwise silently hide the question for ever.
        if earlier.kind in (Kind.TEXT, Kind.NUMBER):
            raise ValueError(
                f"question '{q.id}' depends on '{when.question}', a {earlier.kind} question;"
                " conditions can only use choice, scale or yes/no answers"
            )
        allowed = ["yes", "no"] if earlier.kind is Kind.YESNO else [c.value for c in earlier.choices]
        unknown = [value for value in when.in_ if value not in allowed]
        if unknown:
            raise ValueError(
                f"question '{q.id}' waits for '{', '.join(unknown)}', which question '{when.question}'"
                f" cannot answer; use {', '.join(allowed)}"
            )

    def texts(self) -> list[tuple[str, dict[str, str]]]:
        """Every translatable text with a readable place name, for checks."""
        out: list[tuple[str, dict[str, str]]] = [
            ("title", self.title), ("intro", self.intro), ("consent", self.consent), ("outro", self.outro)
        ]
        if self.action is not None:
            out.append(("action", self.action))
        for q in self.questions:
            out.append((f"question '{q.id}'", q.text))
            out.extend((f"question '{q.id}' choice '{c.value}'", c.label) for c in q.choices)
        return out

    def offered_on(self, channel: str | None) -> bool:
        """Whether the pack is for `channel`; None (no channel known) offers every pack."""
        return channel is None or str(channel) in {c.value for c in self.channels}

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)
