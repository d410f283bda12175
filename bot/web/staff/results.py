"""Turning grouped counts into what staff read: per question, per channel, per time of day, over time.

The rule (RULE below, shown on every results page): a question's answers are shown when at least
`threshold` people answered it, in the whole pack or in the group being looked at (a channel, a month,
a week); with fewer, none of that group's answers are shown. Small answers inside a big enough group are
shown: "1 of 40 people said Poor" does not point at anyone, and hiding every small answer made a dozen
answers read as nothing but "fewer than 5".

Two protections stay:
- Subtraction. Groups split the same people (channels, months), and the whole pack's figure is shown:
  with one group hidden, the whole minus the others would give it back. So the group sizes pass through
  `suppression.suppress`: a second group is hidden beside a lone hidden one, until the hidden groups
  together hold at least `threshold` people. Every page that splits by the same groups gets the same
  answer, because it is worked out from the same counts.
- Sensitive questions (the pack marks them `sensitive: true`: how someone feels, whether they feel safe).
  When one of their answers comes from fewer than `threshold` people, the answers are merged the way the
  NHS Friends and Family Test reports them: positive, neutral (or don't know), negative, with the
  percentage positive; a merged group still that small is hidden with its complement. A choice's symbol
  says which way it leans (happy, unsure, unhappy…); a question whose choices do not all lean is not
  merged, and its small answers are hidden as before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from bot.content.packs.model import Kind, Pack, Question
from bot.hours import WeeklyHours
from bot.web.staff.suppression import Figure, suppress, suppress_counts
from storage.staff.records import AnswerCount, GroupCount, SlotCount, TimeCounts
from storage.staff.results import SKIPPED, WROTE

CHANNEL_NAMES = {"sms": "SMS", "whatsapp": "WhatsApp", "telegram": "Telegram", "voice": "Phone call", "web": "Web chat"}
YES_NO = (("yes", "Yes"), ("no", "No"))
MAX_WEEKS = 26
RULE = (
    "We show a question's answers when at least {n} people answered it (in each group you compare); with fewer we "
    "show none of them, and we hide one more group when that is needed to stop anyone working a hidden one out."
)
MERGED_NOTE = (
    "Merged into positive, neutral and negative, as the NHS Friends and Family Test reports them, because this "
    "question is sensitive and some answers came from fewer than {n} people."
)
TOO_FEW = "Fewer than {n} people answered, so the answers are not shown."
COMPLEMENT = "Not shown, so that a smaller hidden group cannot be worked out by subtraction."

POSITIVE, NEUTRAL, NEGATIVE = "positive", "neutral", "negative"
SENTIMENT_LABELS = {POSITIVE: "Positive", NEUTRAL: "Neutral or don't know", NEGATIVE: "Negative"}
# Which way a choice leans, read from the symbol the pack gives it (the same pictures people see).
LEANING = {
    "very_happy": POSITIVE, "happy": POSITIVE, "yes": POSITIVE,
    "unsure": NEUTRAL, "question": NEUTRAL,
    "unhappy": NEGATIVE, "very_unhappy": NEGATIVE, "no": NEGATIVE,
}


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    figure: Figure
    percent: float | None


@dataclass(frozen=True, slots=True)
class Table:
    """A one-way table: rows that add up to `total`, already suppressed. `note` says why something is
    hidden or merged, in words for the page."""

    title: str
    rows: tuple[Row, ...]
    total: Figure
    note: str = ""
    merged: bool = False

    @property
    def labels(self) -> list[str]:
        return [row.label for row in self.rows]

    @property
    def hidden(self) -> bool:
        """The whole group is hidden: too few people, or hidden to protect another group."""
        return not self.total.shown


@dataclass(frozen=True, slots=True)
class QuestionResult:
    question: Question
    text: str
    answers: Table | None  # None for written answers
    skipped: Figure
    written: Figure | None  # written answers, for text questions
    positive: Row | None = None  # the Friends and Family Test figure: people whose answer was positive


@dataclass(frozen=True, slots=True)
class PackResult:
    pack: Pack
    title: str
    total: Figure
    questions: tuple[QuestionResult, ...]
    channels: Table
    office: Table
    hours: Table
    weeks: Table
    notes: list[str] = field(default_factory=list)


def table(title: str, items: Iterable[tuple[str, int]], threshold: int, *, shown: bool = True,
          note: str = "") -> Table:
    """Every row shown when the group is (at least `threshold` people, and `shown`); none otherwise."""
    pairs = list(items)
    base = sum(n for _, n in pairs)
    visible = shown and not 0 < base < threshold
    total = Figure(base, visible)
    rows = tuple(Row(label, Figure(n, visible), Figure(n, visible).percent_of(total)) for label, n in pairs)
    if not visible and not note:
        note = TOO_FEW.format(n=threshold) if base < threshold else COMPLEMENT
    return Table(title, rows, total, note if not visible else "")


def protected_table(title: str, items: Iterable[tuple[str, int]], threshold: int, *, note: str = "",
                    merged: bool = False) -> Table:
    """Small rows hidden, with complementary suppression: for a sensitive question's answers."""
    pairs = list(items)
    cells, total = suppress_counts([n for _, n in pairs], threshold=threshold)
    rows = tuple(Row(label, figure, figure.percent_of(total)) for (label, _), figure in zip(pairs, cells, strict=True))
    return Table(title, rows, total, note, merged)


def leanings(question: Question) -> dict[str, str] | None:
    """value -> positive / neutral / negative, when every choice's symbol leans one way and the choices
    have both a positive and a negative end; otherwise None (the question cannot be merged honestly)."""
    if question.kind is Kind.YESNO or question.kind not in (Kind.CHOICE, Kind.SCALE):
        return None
    found = {choice.value: LEANING.get(choice.symbol) for choice in question.choices}
    if not found or None in found.values():
        return None
    leaning = {value: lean for value, lean in found.items() if lean is not None}
    if POSITIVE not in leaning.values() or NEGATIVE not in leaning.values():
        return None
    return leaning


def answer_table(question: Question, by_value: dict[str, int], threshold: int, *, shown: bool = True) -> Table:
    """One group's answers to one question, under the rule in the module docstring."""
    text = english(question.text)
    pairs = [(label, by_value.get(value, 0)) for value, label in _categories(question, by_value)]
    base = sum(n for _, n in pairs)
    if not shown or 0 < base < threshold or not question.sensitive:
        return table(text, pairs, threshold, shown=shown)
    if not any(0 < n < threshold for _, n in pairs):
        return table(text, pairs, threshold)
    leaning = leanings(question)
    if leaning is None:
        return protected_table(text, pairs, threshold)
    merged = merge(leaning, by_value)
    return protected_table(text, merged, threshold, note=MERGED_NOTE.format(n=threshold), merged=True)


def merge(leaning: dict[str, str], by_value: dict[str, int]) -> list[tuple[str, int]]:
    per = dict.fromkeys(SENTIMENT_LABELS, 0)
    other = 0
    for value, n in by_value.items():
        if value in (SKIPPED, WROTE):
            continue
        if value in leaning:
            per[leaning[value]] += n
        else:
            other += n
    rows = [(SENTIMENT_LABELS[lean], n) for lean, n in per.items()]
    return rows + ([("Answers no longer offered", other)] if other else [])


def positive_row(question: Question, answers: Table, by_value: dict[str, int]) -> Row | None:
    """How many people gave a positive answer, of everyone who answered (the Friends and Family Test's
    "percentage positive"); None when the question does not lean or the figure is hidden."""
    leaning = leanings(question)
    if leaning is None or answers.hidden:
        return None
    if answers.merged:
        row = answers.rows[0]
        return row if row.figure.shown else None
    count = sum(n for value, n in by_value.items() if leaning.get(value) == POSITIVE)
    figure = Figure(count, True)
    return Row("Positive", figure, figure.percent_of(answers.total))


def english(text: dict[str, str]) -> str:
    return text.get("en") or next(iter(text.values()))


def _categories(question: Question, seen: Iterable[str]) -> list[tuple[str, str]]:
    """(value, label) in the pack's order, then any value an older pack version had."""
    if question.kind is Kind.YESNO:
        known = list(YES_NO)
    elif question.kind is Kind.NUMBER:
        numbers = sorted({value for value in seen if value not in (SKIPPED, WROTE)}, key=_as_number)
        known = [(value, value) for value in numbers]
    else:
        known = [(choice.value, english(choice.label)) for choice in question.choices]
    values = {value for value, _ in known}
    extra = sorted(v for v in seen if v not in values and v not in (SKIPPED, WROTE))
    return known + [(value, f"{value} (no longer offered)") for value in extra]


def _as_number(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return float("inf")


def question_result(
    question: Question, counts: Iterable[AnswerCount | GroupCount], threshold: int, *, shown: bool = True
) -> QuestionResult:
    by_value: dict[str, int] = defaultdict(int)
    for item in counts:
        by_value[item.value] += item.count
    skipped = suppress_counts([by_value.get(SKIPPED, 0)], threshold=threshold)[1]
    text = english(question.text)
    if question.kind is Kind.TEXT:
        written = suppress_counts([by_value.get(WROTE, 0)], threshold=threshold)[1]
        if not shown:
            written = Figure(written.value, False)
        return QuestionResult(question, text, None, skipped, written)
    answers = answer_table(question, by_value, threshold, shown=shown)
    return QuestionResult(question, text, answers, skipped, None, positive_row(question, answers, by_value))


def has_trend(question: Question) -> bool:
    return question.kind in (Kind.CHOICE, Kind.SCALE, Kind.YESNO)


@dataclass(frozen=True, slots=True)
class Group:
    key: str  # "sms"; "2026-11"; "2026-11-23" (a week, by its Monday)
    label: str  # "SMS"; "November 2026"; "Week of 23 Nov 2026"


@dataclass(frozen=True, slots=True)
class ComparedQuestion:
    question: Question
    text: str
    results: tuple[QuestionResult, ...]  # one a group, in the comparison's order; empty with `note`
    note: str = ""

    @property
    def leans(self) -> bool:
        """Its answers lean positive or negative, so a "percentage positive" row makes sense."""
        return leanings(self.question) is not None

    @property
    def has_chart(self) -> bool:
        return any(r.answers is not None and not r.answers.hidden for r in self.results)


@dataclass(frozen=True, slots=True)
class Comparison:
    """The same questions, side by side for a few groups (channels, or months, or weeks)."""

    title: str
    by: str  # "channel", "month" or "week"
    groups: tuple[Group, ...]
    questions: tuple[ComparedQuestion, ...]


NOT_SPLIT = (
    "This question is sensitive and some of its answers came from fewer than {n} people, so it is not split "
    "into groups. The whole pack's results show it merged."
)


def visible_groups(bases: dict[str, int], threshold: int) -> dict[str, bool]:
    """Which groups may show their answers: every group of at least `threshold` people, less the ones
    hidden so that no hidden group can be worked out from the whole and the others."""
    keys = sorted(bases)
    if not keys:
        return {}
    protected = suppress([[bases[k] for k in keys]], threshold=threshold)
    return {key: protected.cell(0, i).shown for i, key in enumerate(keys)}


def _leaks(result: QuestionResult) -> bool:
    answers = result.answers
    return answers is not None and not answers.hidden and (
        answers.merged or any(not row.figure.shown for row in answers.rows)
    )


def compare(
    title: str,
    by: str,
    questions: Sequence[Question],
    counts: Iterable[GroupCount],
    groups: Sequence[Group],
    threshold: int,
) -> Comparison:
    """Each question for each of `groups`. `counts` must cover every group the answers fall in (all
    channels, all months), not only the ones shown: which groups are hidden depends on all of them."""
    per: dict[str, dict[str, list[GroupCount]]] = defaultdict(dict)
    for item in counts:
        per[item.question_id].setdefault(item.group, []).append(item)
    compared = []
    for question in questions:
        by_group = per.get(question.id, {})
        # Every group lists every value any group has, so the rows line up across groups (an answer only
        # an older pack version offered is a row everywhere, with zeros where nobody gave it).
        values = {c.value for items in by_group.values() for c in items}
        for g in groups:
            have = {c.value for c in by_group.get(g.key, [])}
            by_group.setdefault(g.key, []).extend(GroupCount(question.id, v, g.key, 0) for v in values - have)
        bases = {
            group: sum(c.count for c in items if c.value != SKIPPED) for group, items in by_group.items()
        }
        shown = visible_groups(bases, threshold)
        results = tuple(
            question_result(question, by_group.get(g.key, []), threshold, shown=shown.get(g.key, True))
            for g in groups
        )
        whole = question_result(question, [c for items in by_group.values() for c in items], threshold)
        if question.sensitive and (_leaks(whole) or any(_leaks(r) for r in results)):
            compared.append(ComparedQuestion(question, english(question.text), (), NOT_SPLIT.format(n=threshold)))
        else:
            compared.append(ComparedQuestion(question, english(question.text), results))
    return Comparison(title, by, tuple(groups), tuple(compared))


def channel_groups(counts: Iterable[GroupCount]) -> list[Group]:
    seen = {c.group for c in counts}
    order = [c for c in CHANNEL_NAMES if c in seen] + sorted(c for c in seen if c not in CHANNEL_NAMES)
    return [Group(c, CHANNEL_NAMES.get(c, c)) for c in order]


def month_group(month: str) -> Group:
    return Group(month, _month_name(month))


def week_group(monday: date) -> Group:
    return Group(f"{monday:%Y-%m-%d}", f"Week of {monday.day} {monday:%b %Y}")


def months_between(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    found = []
    while f"{year:04d}-{month:02d}" <= last:
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def period_groups(counts: Iterable[GroupCount], by: str, *, most_weeks: int = MAX_WEEKS) -> list[Group]:
    """Every month (or week) from the first answer to the last, empty ones too, so time reads evenly.
    Weeks: the last `most_weeks` of them."""
    keys = sorted({c.group for c in counts})
    if not keys:
        return []
    if by == "month":
        return [month_group(m) for m in months_between(keys[0], keys[-1])]
    last = date.fromisoformat(keys[-1])
    first = max(date.fromisoformat(keys[0]), last - timedelta(weeks=most_weeks - 1))
    return [week_group(first + timedelta(weeks=n)) for n in range((last - first).days // 7 + 1)]


def enough_for_weeks(question: Question, counts: Iterable[GroupCount], threshold: int) -> bool:
    """Week by week is worth showing when there are at least two weeks and no week's answers are hidden."""
    items = [c for c in counts if c.question_id == question.id]
    groups = period_groups(items, "week")
    if len(groups) < 2:
        return False
    bases: dict[str, int] = defaultdict(int)
    for c in items:
        if c.value != SKIPPED:
            bases[c.group] += c.count
    return all(visible_groups(dict(bases), threshold).values())


def _month_name(month: str) -> str:
    return datetime.strptime(month, "%Y-%m").strftime("%B %Y")


def pack_result(
    pack: Pack,
    counts: list[AnswerCount],
    times: TimeCounts,
    *,
    threshold: int,
    office_hours: WeeklyHours,
    today: date,
) -> PackResult:
    per_question: dict[str, list[AnswerCount]] = defaultdict(list)
    for item in counts:
        per_question[item.question_id].append(item)
    questions = tuple(question_result(q, per_question.get(q.id, []), threshold) for q in pack.questions)
    total = suppress_counts([sum(slot.count for slot in times.slots)], threshold=threshold)[1]
    return PackResult(
        pack=pack,
        title=english(pack.title),
        total=total,
        questions=questions,
        channels=channel_table(times.slots, threshold),
        office=office_table(times.slots, threshold, office_hours),
        hours=hour_table(times.slots, threshold),
        weeks=week_table(times.weeks, threshold, today),
    )


def channel_table(slots: Iterable[SlotCount], threshold: int, title: str = "Answers by channel") -> Table:
    per: dict[str, int] = defaultdict(int)
    for slot in slots:
        per[slot.channel] += slot.count
    order = [c for c in CHANNEL_NAMES if c in per] + sorted(c for c in per if c not in CHANNEL_NAMES)
    return table(title, ((CHANNEL_NAMES.get(c, c), per[c]) for c in order), threshold)


# A Monday: office hours are wall-clock times on weekdays, so any week will do to ask about one.
_A_MONDAY = date(2024, 1, 1)


def office_table(slots: Iterable[SlotCount], threshold: int, office_hours: WeeklyHours) -> Table:
    open_at: dict[tuple[int, int], bool] = {}
    inside = outside = 0
    for slot in slots:
        key = (slot.weekday, slot.hour)
        if key not in open_at:
            # The middle of the hour, so "09:00-17:00" counts 9 to 5 and an office opening at 09:30
            # counts that hour as open.
            moment = datetime.combine(_A_MONDAY + timedelta(days=slot.weekday), time(slot.hour, 30), office_hours.zone)
            open_at[key] = office_hours.is_open(moment)
        if open_at[key]:
            inside += slot.count
        else:
            outside += slot.count
    return table("Inside and outside office hours", (("In office hours", inside), ("Outside office hours", outside)),
                 threshold)


def hour_table(slots: Iterable[SlotCount], threshold: int) -> Table:
    per = [0] * 24
    for slot in slots:
        per[slot.hour] += slot.count
    return table("Time of day (local time)", ((f"{n:02d}:00 to {(n + 1) % 24:02d}:00", per[n]) for n in range(24)),
                 threshold)


def week_table(weeks: dict[date, int], threshold: int, today: date) -> Table:
    """Answers per week (weeks start on Monday), the last 26 weeks; anything older in one row, so the rows
    still add up to the total."""
    this_monday = today - timedelta(days=today.weekday())
    first = this_monday - timedelta(weeks=MAX_WEEKS - 1)
    per = {monday: n for monday, n in weeks.items() if monday >= first}
    earlier = sum(n for monday, n in weeks.items() if monday < first)
    if not per and not earlier:
        return table("Answers each week", (), threshold)
    rows = []
    monday = min(per) if per else this_monday
    while monday <= max([this_monday, *per]):
        rows.append((f"Week of {monday.day} {monday:%b %Y}", per.get(monday, 0)))
        monday += timedelta(weeks=1)
    if earlier:
        rows.insert(0, (f"Before {first.day} {first:%b %Y}", earlier))
    return table("Answers each week", rows, threshold)
