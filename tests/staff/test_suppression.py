"""Small numbers are hidden, and so is whatever would let a hidden number be worked out by subtraction."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.web.staff.suppression import suppress, suppress_counts


def shown(figures) -> list[int | None]:
    return [f.value if f.shown else None for f in figures]


def test_a_count_from_fewer_than_five_people_is_hidden():
    cells, _ = suppress_counts([40, 3, 20], threshold=5)
    assert not cells[1].shown


def test_the_subtraction_case_hides_a_second_cell_so_the_total_gives_nothing_away():
    # Shown: 40, 20 and the total 63 would give 63 - 40 - 20 = 3. The smallest other cell goes too.
    cells, total = suppress_counts([40, 3, 20], threshold=5)
    assert shown(cells) == [40, None, None]
    assert total.shown and total.value == 63


def test_when_no_other_cell_is_left_the_line_total_is_hidden():
    # One answer column, two months: hiding March's 3 means hiding April's 20 (else 23 - 20 = 3), and then
    # April's own row total would give its 20 back, so that total goes too.
    table = suppress([[3], [20]], threshold=5)
    assert [table.cell(r, 0).shown for r in range(2)] == [False, False]
    assert [f.shown for f in table.row_totals] == [False, False]
    assert table.column_totals[0].shown and table.total.value == 23


def test_a_total_from_fewer_than_five_people_hides_everything_under_it():
    cells, total = suppress_counts([2, 1], threshold=5)
    assert shown(cells) == [None, None]
    assert not total.shown


def test_two_small_cells_protect_each_other():
    cells, total = suppress_counts([30, 2, 4], threshold=5)
    assert shown(cells) == [30, None, None]
    assert total.shown


def test_zero_is_shown_and_is_not_a_small_number():
    cells, total = suppress_counts([30, 0, 12], threshold=5)
    assert shown(cells) == [30, 0, 12]
    assert total.value == 42 and total.shown


def test_percentages_of_hidden_cells_are_hidden_too():
    cells, total = suppress_counts([40, 3, 20], threshold=5)
    assert cells[0].percent_of(total) == pytest.approx(100 * 40 / 63)
    assert cells[1].percent_of(total) is None


def test_a_two_way_table_is_protected_along_rows_and_columns():
    # Months x answers. The 2 in row 0 must not be recoverable from its row or its column.
    table = suppress([[20, 2, 30], [25, 10, 40]], threshold=5)
    assert not table.cell(0, 1).shown
    row0 = [f.shown for f in table.cells[0]]
    column1 = [table.cell(r, 1).shown for r in range(2)]
    assert row0.count(False) >= 2
    assert column1.count(False) + (0 if table.column_totals[1].shown else 1) >= 2


def test_threshold_from_settings_is_used():
    cells, _ = suppress_counts([10, 6, 9], threshold=7)
    assert not cells[1].shown


def _line_ok(hidden_cells: list[bool], total_hidden: bool) -> bool:
    unknown = hidden_cells.count(True) + (1 if total_hidden else 0)
    return unknown != 1


tables = st.integers(1, 4).flatmap(
    lambda width: st.lists(st.lists(st.integers(0, 30), min_size=width, max_size=width), min_size=1, max_size=4)
)


@given(tables, st.integers(3, 10))
def test_no_line_ever_has_a_single_hidden_number(rows, threshold):
    table = suppress(rows, threshold=threshold)
    for r, row in enumerate(table.cells):
        assert _line_ok([not f.shown for f in row], not table.row_totals[r].shown)
        # Every count from 1 to threshold - 1 people is hidden.
        assert all(not f.shown for f in row if 0 < f.value < threshold)
    for c in range(len(rows[0])):
        assert _line_ok([not table.cell(r, c).shown for r in range(len(rows))], not table.column_totals[c].shown)
    assert _line_ok([not f.shown for f in table.row_totals], not table.total.shown)
    assert _line_ok([not f.shown for f in table.column_totals], not table.total.shown)


@given(tables, st.integers(3, 10))
def test_what_is_shown_is_the_true_count(rows, threshold):
    table = suppress(rows, threshold=threshold)
    assert [[f.value for f in row] for row in table.cells] == rows
    assert table.total.value == sum(map(sum, rows))


def test_two_small_hidden_cells_that_add_up_to_a_small_number_hide_a_third():
    # 2 and 1 hidden beside a shown total of 43 would still say "3 people are in those two".
    cells, total = suppress_counts([40, 2, 1], threshold=5)
    assert shown(cells) == [None, None, None]
    assert not total.shown or total.value == 43


@given(tables, st.integers(3, 10))
def test_hidden_cells_beside_a_shown_total_never_add_up_to_a_small_number(rows, threshold):
    table = suppress(rows, threshold=threshold)
    lines = [(list(row), table.row_totals[r]) for r, row in enumerate(table.cells)]
    lines += [([table.cell(r, c) for r in range(len(rows))], table.column_totals[c]) for c in range(len(rows[0]))]
    for figures, total in lines:
        if total.shown:
            hidden = sum(f.value for f in figures if not f.shown)
            assert hidden == 0 or hidden >= threshold
