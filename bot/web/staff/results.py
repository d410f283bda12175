"""Turning grouped counts into what staff read: per question, per channel, per time of day, over time.

Every figure passes through `suppression`: a count from fewer than the threshold is hidden, and so is
anything that would let it be worked out by subtraction. Charts are drawn from the same suppressed
figures, so a chart never shows what its table hides.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from bot.content.packs.model import Kind, Pack, Question
from bot.hours import WeeklyHours
from bot.web.staff.suppression import Figure, Suppressed, suppress, suppress_counts
from storage.staff.records import AnswerCount, SlotCount, TimeCounts
from storage.staff.results import SKIPPED, WROTE

CHANNEL_NAMES = {"sms": "SMS", "whatsapp": "WhatsApp", "telegram": "Telegram", "voice": "Phone call", "web": "Web chat"}
YES_NO = (("yes", "Yes"), ("no", "No"))
MAX_WEEKS = 26


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    figure: Figure
    percent: float | None


@dataclass(frozen=True, slots=True)
class Table:
    """A one-way table: rows that add up to `total`, already suppressed."""

    title: str
    rows: tuple[Row, ...]
    total: Figure

    @property
    def labels(self) -> list[str]:
        return [row.label for row in self.rows]


@dataclass(frozen=True, slots=True)
class Grid:
    """A two-way table (e.g. month by answer), suppressed along rows and columns."""

    title: str
    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    table: Suppressed


@dataclass(frozen=True, slots=True)
class QuestionResult:
    question: Question
    text: str
    answers: Table | None  # None for written answers
    skipped: Figure
    written: Figure | None  # written answers, for text questions


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


def table(title: str, items: Iterable[tuple[str, int]], threshold: int) -> Table:
    pairs = list(items)
    cells, total = suppress_counts([n for _, n in pairs], threshold=threshold)
    rows = tuple(Row(label, figure, figure.percent_of(total)) for (label, _), figure in zip(pairs, cells, strict=True))
    return Table(title, rows, total)


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


def question_result(question: Question, counts: list[AnswerCount], threshold: int) -> QuestionResult:
    by_value: dict[str, int] = defaultdict(int)
    for item in counts:
        by_value[item.value] += item.count
    skipped = suppress_counts([by_value.get(SKIPPED, 0)], threshold=threshold)[1]
    text = english(question.text)
    if question.kind is Kind.TEXT:
        written = suppress_counts([by_value.get(WROTE, 0)], threshold=threshold)[1]
        return QuestionResult(question, text, None, skipped, written)
    categories = _categories(question, by_value)
    answers = table(text, ((label, by_value.get(value, 0)) for value, label in categories), threshold)
    return QuestionResult(question, text, answers, skipped, None)


def has_trend(question: Question) -> bool:
    return question.kind in (Kind.CHOICE, Kind.SCALE, Kind.YESNO)


def question_trend(question: Question, months: list[AnswerCount], threshold: int) -> Grid:
    """Month by answer, suppressed along every month and every answer (skips left out)."""
    per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for item in months:
        if item.month is not None and item.value not in (SKIPPED, WROTE):
            per[item.month][item.value] += item.count
    categories = _categories(question, {value for counts in per.values() for value in counts})
    ordered = sorted(per)
    grid = [[per[month].get(value, 0) for value, _ in categories] for month in ordered]
    return Grid(
        f"{english(question.text)}: by month",
        tuple(_month_name(m) for m in ordered),
        tuple(label for _, label in categories),
        suppress(grid, threshold=threshold),
    )


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
