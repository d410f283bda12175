"""Bar charts drawn as HTML: a label, a bar, and the figure in words ("8 of 12 people, 67%").

They used to be pygal SVG pictures 800 px wide: shrunk onto a 390 px phone their 14 px labels came out
at about 6 px, a hidden figure was a gap that read as nothing (so "Did we listen?" looked like everyone
said "A lot" when 5 of 12 answers were hidden), and zooming to 200% zoomed nothing. Here the words are
page text, so they reflow on a phone and grow with the browser's zoom and text size. The bar itself is
a one-rectangle inline SVG whose width is an SVG attribute (not a style), so the page's strict
Content-Security-Policy (`style-src 'self'`, no inline styles) is untouched and no script runs.

A hidden figure is never drawn as a bar of any length: its row says "Hidden" in words, with a hatched
empty track. Each chart stands beside a table with the same figures, which is what a screen reader
reads; the chart itself is one image to assistive technology, labelled to say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bot.web.staff.results import ComparedQuestion, Row, Table
from bot.web.staff.suppression import Figure

Scale = Literal["base", "largest"]


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    shown: bool
    width: float  # 0 to 100: the bar's length as a share of the track
    words: str  # what the bar says, e.g. "8 of 12 people, 67%", or "Hidden"


@dataclass(frozen=True, slots=True)
class Chart:
    title: str
    bars: tuple[Bar, ...]
    note: str = ""  # why things are hidden or merged

    @property
    def drawable(self) -> bool:
        """A chart helps only when at least one bar has a length; otherwise the table says it all."""
        return any(bar.shown and bar.width > 0 for bar in self.bars)


def people(n: int) -> str:
    return f"{n:,} {'person' if n == 1 else 'people'}"


def share_words(figure: Figure, total: Figure) -> str:
    """ "8 of 12 people, 67%": a percentage always with its base."""
    if not figure.shown:
        return "Hidden"
    if not total.shown or total.value == 0:
        return people(figure.value)
    percent = 100.0 * figure.value / total.value
    shown = "under 1%" if 0 < percent < 1 else f"{round(percent)}%"
    return f"{figure.value:,} of {people(total.value)}, {shown}"


def _width(figure: Figure, top: int) -> float:
    if not figure.shown or top <= 0:
        return 0.0
    return round(100.0 * figure.value / top, 2)


def bars(table: Table, *, scale: Scale = "base", labels: Sequence[str] | None = None) -> Chart:
    """A bar per row of `table`. `scale="base"` draws each bar as a share of everyone who answered (the
    right scale for answers: a full bar means everyone); "largest" stretches the biggest row to the full
    width (for counts over time or by hour, where the shares are all small)."""
    rows: Sequence[Row] = table.rows
    if scale == "base":
        top = table.total.value if table.total.shown else 0
    else:
        top = max((row.figure.value for row in rows if row.figure.shown), default=0)
    names = list(labels) if labels is not None else [row.label for row in rows]
    drawn = tuple(
        Bar(name, row.figure.shown, _width(row.figure, top), share_words(row.figure, table.total))
        for name, row in zip(names, rows, strict=True)
    )
    return Chart(table.title, drawn, table.note)


def compared(question: ComparedQuestion, group_labels: Sequence[str]) -> list[tuple[str, Chart]]:
    """One small chart a group, for a question compared across groups."""
    return [
        (label, bars(result.answers))
        for label, result in zip(group_labels, question.results, strict=True)
        if result.answers is not None
    ]


def over_time(question: ComparedQuestion, group_labels: Sequence[str]) -> list[Chart]:
    """A question over time: for a question whose answers lean (good … poor), one chart of the positive
    share each period; otherwise one chart an answer. Each bar is a share of that period's people."""
    results = question.results
    tables = [r.answers for r in results]
    if not results or any(t is None for t in tables):
        return []
    if all(r.positive is not None or (r.answers is not None and r.answers.hidden) or _empty(r.answers)
           for r in results) and any(r.positive is not None for r in results):
        drawn = []
        for label, result in zip(group_labels, results, strict=True):
            assert result.answers is not None
            total = result.answers.total
            figure = result.positive.figure if result.positive is not None else Figure(0, total.shown)
            drawn.append(Bar(label, figure.shown and total.shown, _width(figure, total.value if total.shown else 0),
                             share_words(figure, total) if total.shown else "Hidden"))
        return [Chart("Positive answers (as the Friends and Family Test counts them)", tuple(drawn))]
    first = next(t for t in tables if t is not None)
    charts = []
    for index, row in enumerate(first.rows):
        drawn = []
        for label, table in zip(group_labels, tables, strict=True):
            assert table is not None
            figure = table.rows[index].figure if index < len(table.rows) else Figure(0, table.total.shown)
            drawn.append(Bar(label, figure.shown, _width(figure, table.total.value if table.total.shown else 0),
                             share_words(figure, table.total)))
        charts.append(Chart(f"“{row.label}”", tuple(drawn)))
    return charts


def _empty(table: Table | None) -> bool:
    return table is not None and table.total.value == 0
