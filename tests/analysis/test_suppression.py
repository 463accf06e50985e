from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from analysis.suppression import Hidden, exactly_determined, suppress


def shown(row):
    return [cell.display for cell in row.cells]


def test_small_counts_show_as_fewer_than_n():
    row = suppress([3, 40, 55], total=98, threshold=10)
    assert shown(row)[0] == "fewer than 10"


def test_a_lone_small_cell_gets_a_second_cell_withheld():
    row = suppress([3, 40, 55], total=98, threshold=10)
    assert shown(row) == ["fewer than 10", "withheld", "55"]
    assert row.total.display == "98"


def test_two_small_cells_protect_each_other_when_their_sum_leaves_room():
    row = suppress([3, 4, 40, 55], total=102, threshold=10)
    assert shown(row) == ["fewer than 10", "fewer than 10", "40", "55"]


def test_two_small_cells_whose_sum_pins_them_get_help():
    # 0 + 0 = 0 would tell a reader both are zero.
    row = suppress([0, 0, 40, 55], total=95, threshold=10)
    assert shown(row)[:2] == ["fewer than 10", "fewer than 10"]
    assert "withheld" in shown(row)


def test_a_withheld_cell_that_leaves_a_zero_recoverable_is_not_enough():
    # Hiding 0 and 10 would leave 10 = 0 + 10 with the 10 known to be at least 10: the 0 is exact.
    row = suppress([0, 10, 60], total=70, threshold=10)
    assert shown(row) == ["fewer than 10", "withheld", "withheld"]


def test_when_even_hiding_every_cell_leaves_one_exact_the_total_is_withheld():
    row = suppress([0, 5], total=5, threshold=5)
    assert shown(row) == ["fewer than 5", "withheld"] and row.total.display == "withheld"


def test_a_small_total_hides_everything():
    row = suppress([2, 5], total=7, threshold=10)
    assert row.total.display == "fewer than 10" and shown(row) == ["fewer than 10", "fewer than 10"]


def test_nothing_is_hidden_when_all_counts_are_large():
    assert shown(suppress([12, 40], total=52, threshold=10)) == ["12", "40"]


def test_cells_that_do_not_partition_the_total_hide_only_small_ones():
    row = suppress([3, 40, 55], total=80, threshold=10, partition=False)
    assert shown(row) == ["fewer than 10", "40", "55"]


@settings(max_examples=400, deadline=None)
@given(
    values=st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=7),
    threshold=st.integers(min_value=5, max_value=15),
)
def test_no_suppressed_count_can_be_recovered_from_what_is_shown(values, threshold):
    total = sum(values)
    row = suppress(values, total=total, threshold=threshold)
    hidden = [cell.hidden for cell in row.cells]
    # Every count below the threshold is hidden...
    assert all(cell.hidden != Hidden.SHOWN for cell, v in zip(row.cells, values) if v < threshold)
    if row.total.hidden == Hidden.SHOWN:
        # ...and none of the hidden ones is pinned down by the shown cells and total.
        assert exactly_determined(values, hidden, total=total, threshold=threshold) == []


@settings(max_examples=300, deadline=None)
@given(values=st.lists(st.integers(min_value=0, max_value=40), min_size=2, max_size=6),
       threshold=st.integers(min_value=5, max_value=12))
def test_brute_force_finds_at_least_two_consistent_values_for_each_hidden_cell(values, threshold):
    total = sum(values)
    assume(total >= threshold)
    row = suppress(values, total=total, threshold=threshold)
    secret = [i for i, cell in enumerate(row.cells) if cell.hidden != Hidden.SHOWN]
    assume(secret and len(secret) <= 3 and row.total.hidden == Hidden.SHOWN)
    known = total - sum(cell.value for cell in row.cells if cell.hidden == Hidden.SHOWN)

    def allowed(i, value):
        return value < threshold if row.cells[i].hidden == Hidden.SMALL else value >= threshold

    def assignments(index, left):
        if index == len(secret) - 1:
            if allowed(secret[index], left):
                yield [left]
            return
        for value in range(0, left + 1):
            if allowed(secret[index], value):
                for rest in assignments(index + 1, left - value):
                    yield [value, *rest]

    possible = list(assignments(0, known))
    for position in range(len(secret)):
        assert len({option[position] for option in possible}) >= 2
