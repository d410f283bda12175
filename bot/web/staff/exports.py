"""Results as CSV and as a spreadsheet (XLSX), with the same suppression as the screen.

Spreadsheet programs run a cell that starts with = + - @ (or a tab or carriage return before one) as a
formula, which a crafted answer could use to run commands or leak data (CSV injection). Every text cell
that starts with one of those characters gets a leading apostrophe, the usual neutraliser; numbers are
written as numbers. A hidden figure is words ("hidden", or "fewer than N" for a total), never the number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from openpyxl import Workbook
from openpyxl.styles import Font

from bot.web.staff.numbers import count_words, percent_words, row_words
from bot.web.staff.results import PackResult, Table
from bot.web.staff.suppression import Figure

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER = ("Section", "Question", "Answer", "People", "Percent")
Cell = str | int


def neutralise(text: str) -> str:
    """Text a spreadsheet will show as text, never run as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _count(figure: Figure, threshold: int) -> Cell:
    return figure.value if figure.shown else count_words(figure, threshold)


def _table_rows(section: str, question: str, table: Table, threshold: int) -> Iterator[tuple[Cell, ...]]:
    for row in table.rows:
        count: Cell = row.figure.value if row.figure.shown else row_words(row.figure)
        yield section, question, row.label, count, percent_words(row.percent) if row.figure.shown else "hidden"
    whole = percent_words(100.0 if table.total.shown else None)
    yield section, question, "Total", _count(table.total, threshold), whole


def rows(result: PackResult, threshold: int) -> Iterator[tuple[Cell, ...]]:
    yield "Summary", "", "Everyone who answered", _count(result.total, threshold), ""
    for q in result.questions:
        if q.answers is not None:
            yield from _table_rows("Question", q.text, q.answers, threshold)
            if q.answers.note:
                yield "Question", q.text, "Note", q.answers.note, ""
        if q.written is not None:
            yield "Question", q.text, "Wrote an answer", _count(q.written, threshold), ""
        yield "Question", q.text, "Skipped", _count(q.skipped, threshold), ""
    for section, table in (
        ("Channel", result.channels),
        ("Office hours", result.office),
        ("Time of day", result.hours),
        ("Week", result.weeks),
    ):
        yield from _table_rows(section, table.title, table, threshold)


def _safe(row: tuple[Cell, ...]) -> list[Cell]:
    return [neutralise(cell) if isinstance(cell, str) else cell for cell in row]


def to_csv(result: PackResult, threshold: int) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in rows(result, threshold):
        writer.writerow(_safe(row))
    return out.getvalue()


def to_xlsx(result: PackResult, threshold: int) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Results"
    sheet.append(list(HEADER))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(result, threshold):
        sheet.append(_safe(row))
    for cell in sheet.iter_rows(min_row=2):
        for item in cell:
            if isinstance(item.value, str):
                item.data_type = "s"  # openpyxl would otherwise store a leading "=" as a formula
    for column, width in zip("ABCDE", (16, 48, 36, 14, 12), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
