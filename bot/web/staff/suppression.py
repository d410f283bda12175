"""Small-number suppression for count tables, with complementary suppression.

A count from fewer than `threshold` people is hidden (primary suppression). Hiding it is not enough when
the table also shows the total: total minus the other cells gives it back. So every line of the table
(each row and each column, with its total) that has exactly one hidden number gets a second one hidden
too, the smallest shown cell, or the total when no cell is left; this repeats until no line has a lone
hidden number, because hiding a cell for one line can leave a lone hidden number in another.

Two hidden numbers are not always enough: hiding a 2 and a 1 beside a shown total still tells anyone that
3 people are in those two cells together. So a line whose total is shown also keeps hiding cells until
its hidden cells add up to `threshold` or more (or to nothing).

The results screens use this on the sizes of groups (how many people answered a question on each
channel, or in each month), not on every answer: see `bot.web.staff.results`.

    >>> t = suppress([[12, 3, 9]], threshold=5)   # one row: cells and their total 24
    >>> t.cell(0, 1).shown, t.cell(0, 2).shown    # 3 is hidden, and so is 9, so 24 - 12 gives nothing
    (False, False)

Zeros are shown: a zero is nobody's answer. A total below the threshold is itself hidden.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Figure:
    value: int
    shown: bool

    def percent_of(self, total: Figure) -> float | None:
        """This figure as a percentage of `total`, or None when either is hidden (or the total is 0)."""
        if not (self.shown and total.shown) or total.value == 0:
            return None
        return 100.0 * self.value / total.value


@dataclass(frozen=True, slots=True)
class Suppressed:
    """A table after suppression: `cells[r][c]`, `row_totals[r]`, `column_totals[c]`, `total`."""

    cells: tuple[tuple[Figure, ...], ...]
    row_totals: tuple[Figure, ...]
    column_totals: tuple[Figure, ...]
    total: Figure
    threshold: int

    def cell(self, row: int, column: int) -> Figure:
        return self.cells[row][column]

    @property
    def hidden(self) -> int:
        """How many cells and totals are hidden."""
        figures = [f for row in self.cells for f in row] + [*self.row_totals, *self.column_totals, self.total]
        return sum(1 for f in figures if not f.shown)


def suppress(rows: Sequence[Sequence[int]], *, threshold: int) -> Suppressed:
    """Suppress a table of counts whose row, column and grand totals are all shown alongside it."""
    if threshold < 1:
        raise ValueError("the threshold is at least 1")
    width = len(rows[0]) if rows else 0
    if any(len(row) != width for row in rows):
        raise ValueError("every row needs the same number of cells")
    if any(value < 0 for row in rows for value in row):
        raise ValueError("counts cannot be negative")
    grid = [list(row) for row in rows]
    row_totals = [sum(row) for row in grid]
    column_totals = [sum(row[c] for row in grid) for c in range(width)]
    total = sum(row_totals)

    def small(value: int) -> bool:
        return 0 < value < threshold

    hidden_cells = {(r, c) for r, row in enumerate(grid) for c, value in enumerate(row) if small(value)}
    hidden_rows = {r for r, value in enumerate(row_totals) if small(value)}
    hidden_columns = {c for c, value in enumerate(column_totals) if small(value)}
    hide_total = small(total)

    # Each line: its cells (as grid positions) and how to read and hide its total.
    lines: list[tuple[list[tuple[int, int]], str, int]] = []
    lines += [([(r, c) for c in range(width)], "row", r) for r in range(len(grid))]
    lines += [([(r, c) for r in range(len(grid))], "column", c) for c in range(width)]
    # The totals themselves form two more lines: row totals sum to the grand total, and so do columns.
    changed = True
    while changed:
        changed = False
        for cells, kind, index in lines:
            total_hidden = index in (hidden_rows if kind == "row" else hidden_columns)
            unknown = sum(1 for cell in cells if cell in hidden_cells) + (1 if total_hidden else 0)
            hidden_sum = sum(grid[r][c] for r, c in cells if (r, c) in hidden_cells)
            # With the total shown, the hidden cells' sum is known: it must not be a small number either.
            small_sum = not total_hidden and small(hidden_sum)
            if unknown != 1 and not small_sum:
                continue
            changed = True
            candidates = [cell for cell in cells if cell not in hidden_cells]
            if candidates:
                # The smallest other cell gives away least; a non-zero one hides more than a zero does.
                hidden_cells.add(min(candidates, key=lambda cell: _cost(grid[cell[0]][cell[1]])))
            else:
                (hidden_rows if kind == "row" else hidden_columns).add(index)
        for totals, hidden, count in (
            (row_totals, hidden_rows, len(grid)),
            (column_totals, hidden_columns, width),
        ):
            unknown = len(hidden) + (1 if hide_total else 0)
            small_sum = not hide_total and small(sum(totals[i] for i in hidden))
            if (unknown == 1 or small_sum) and count:
                changed = True
                shown = [i for i in range(count) if i not in hidden]
                if shown:
                    hidden.add(min(shown, key=lambda i: _cost(totals[i])))
                else:
                    hide_total = True

    def figure(value: int, hidden: bool) -> Figure:
        return Figure(value, not hidden)

    return Suppressed(
        cells=tuple(
            tuple(figure(value, (r, c) in hidden_cells) for c, value in enumerate(row)) for r, row in enumerate(grid)
        ),
        row_totals=tuple(figure(value, r in hidden_rows) for r, value in enumerate(row_totals)),
        column_totals=tuple(figure(value, c in hidden_columns) for c, value in enumerate(column_totals)),
        total=figure(total, hide_total),
        threshold=threshold,
    )


def _cost(value: int) -> tuple[bool, int]:
    """Which figure to hide next: the smallest non-zero one gives away least and protects most."""
    return (value == 0, value)


def suppress_counts(counts: Sequence[int], *, threshold: int) -> tuple[tuple[Figure, ...], Figure]:
    """One line of counts and their total: (cells, total)."""
    table = suppress([list(counts)], threshold=threshold)
    return table.cells[0] if table.cells else (), table.total
