"""Property: for random small programs, every count that the suppression hides keeps at least two values
consistent with everything published together, and so does every small count a reader could otherwise
work out by subtracting shown ones (a complement such as "6 of 7", a grade from its school's total).

The check is by brute force and independent of how the suppression reasons: it enumerates every roster
of the same size that could have produced the published page (every way of filling the student types),
keeps those that agree with each shown count and each "fewer than N" / "withheld", and collects the
values each hidden count takes among them."""

from __future__ import annotations

import itertools
from functools import cache

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.disclosure import Structure, nesting, suppress_publication
from analysis.suppression import Hidden

THRESHOLD = 3


def _world_nested():
    # Grades 9 and 10 are taught only at school A, grade 6 only at B: a reader knows that.
    places = [("A", "Grade 9"), ("A", "Grade 10"), ("B", "Grade 6")]
    types = []
    for (school, grade), gender, raised in itertools.product(places, ["F", "M"], [False, True]):
        types.append(({"school": (school,), "grade": (grade,), "gender": (gender,)}, {"theme": raised}))
    return types, ("school", "grade", "gender"), frozenset()


def _world_partial():
    # Grade 9 at both high schools, grade 6 only at the middle school: a partial nesting, as in a
    # district with two high schools and a K-8.
    places = [("A", "Grade 9"), ("B", "Grade 9"), ("C", "Grade 6"), ("C", "Grade 7")]
    types = []
    for (school, grade), raised in itertools.product(places, [False, True]):
        for english in ("Yes", "No"):
            types.append(({"school": (school,), "grade": (grade,), "english_learner": (english,)}, {"theme": raised}))
    return types, ("school", "grade", "english_learner"), frozenset()


def _world_groups():
    # One single-valued attribute, one where a student may be in several groups, two themes.
    types = []
    for school, groups, first, second in itertools.product(["A", "B"], [("G1",), ("G2",), ("G1", "G2")],
                                                          [False, True], [False, True]):
        types.append(({"school": (school,), "group": groups}, {"one": first, "two": second}))
    return types, ("school", "group"), frozenset({"group"})


WORLDS = {"nested": _world_nested(), "partial": _world_partial(), "groups": _world_groups()}


@cache
def _rosters(kinds: int, size: int) -> np.ndarray:
    """Every way of filling `kinds` student types with `size` students, as counts per type."""
    rows = []
    for combo in itertools.combinations_with_replacement(range(kinds), size):
        rows.append(np.bincount(combo, minlength=kinds))
    return np.array(rows, dtype=np.int16)


def _quantities(types, criteria, multi_valued, keys):
    """Each count a page can publish (or a reader can form), as a 0/1 row over the student types."""
    rows = {("interviewed", "", "")}
    categories = {c: sorted({v for features, _ in types for v in features[c]}) for c in criteria}
    for c in criteria:
        for v in categories[c]:
            rows.add(("interviewed", c, v))
            for key in keys:
                rows |= {(key, c, v), ("not " + key, c, v)}
    for key in keys:
        rows |= {(key, "", ""), ("not " + key, "", "")}
    rows = sorted(rows)
    matrix = np.zeros((len(rows), len(types)), dtype=np.int16)
    for j, (features, raised) in enumerate(types):
        for i, (what, c, v) in enumerate(rows):
            member = True if not c else v in features[c]
            if what == "interviewed":
                matrix[i, j] = member
            elif what.startswith("not "):
                matrix[i, j] = member and not raised[what[4:]]
            else:
                matrix[i, j] = member and raised[what]
    return rows, matrix


def _published_constraints(publication, rows, keys):
    """For each row: (low, high) a reader knows, or None when it is not published."""
    t = publication.threshold
    known = {}

    def put(row, cell):
        if cell.hidden == Hidden.SHOWN:
            known[row] = (cell.value, cell.value)
        elif cell.hidden == Hidden.SMALL:
            known[row] = (0, t - 1)
        elif cell.hidden == Hidden.COMPLEMENTARY:
            known[row] = (t, 10**6)

    put(("interviewed", "", ""), publication.interviewed)
    for c, cells in publication.interviewed_cells.items():
        for v, cell in cells.items():
            put(("interviewed", c, v), cell)
    for key in keys:
        put((key, "", ""), publication.raised_totals[key])
        for c, cells in publication.raised_cells[key].items():
            for v, cell in cells.items():
                put((key, c, v), cell)
    return known


def _check(world: str, picks: list[int]):
    types, criteria, multi_valued = WORLDS[world]
    keys = sorted(types[0][1])
    students = {i: types[kind][0] for i, kind in enumerate(picks)}
    raised = {key: {i for i, kind in enumerate(picks) if types[kind][1][key]} for key in keys}
    structure = Structure(criteria, multi_valued, nesting([f for f, _ in types], criteria=criteria,
                                                          multi_valued=multi_valued))
    roster_categories = {c: {v for features, _ in types for v in features[c]} for c in criteria}
    publication = suppress_publication(students=students, raised=raised, structure=structure, threshold=THRESHOLD,
                                       categories=roster_categories)
    for c in criteria:  # every category of the roster is listed, so the list says nothing
        assert set(publication.interviewed_cells[c]) == roster_categories[c]

    rows, matrix = _quantities(types, criteria, multi_valued, keys)
    truth = matrix @ np.bincount(picks, minlength=len(types))
    candidates = _rosters(len(types), len(picks)) @ matrix.T  # every roster's value of every row
    known = _published_constraints(publication, rows, keys)
    consistent = np.ones(len(candidates), dtype=bool)
    for i, row in enumerate(rows):
        if row in known:
            low, high = known[row]
            consistent &= (candidates[:, i] >= low) & (candidates[:, i] <= high)
    assert consistent.any(), "the true roster must be consistent with what was published"
    for i, row in enumerate(rows):
        shown = row in known and known[row][0] == known[row][1]
        small = 1 <= truth[i] < THRESHOLD
        if shown and not small:
            continue
        values = set(candidates[consistent, i].tolist())
        if shown:
            # A small count is never shown; only zero (nobody) and counts at the threshold are.
            assert truth[i] == 0 or truth[i] >= THRESHOLD, (row, truth[i])
        elif row in known or small:
            assert len(values) >= 2, (row, int(truth[i]), sorted(values), publication)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 11), min_size=THRESHOLD, max_size=8))
def test_no_hidden_or_small_count_can_be_worked_out_with_nested_grades(picks):
    _check("nested", picks)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 15), min_size=THRESHOLD, max_size=7))
def test_no_hidden_or_small_count_can_be_worked_out_with_partly_nested_grades(picks):
    _check("partial", picks)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 23), min_size=THRESHOLD, max_size=6))
def test_no_hidden_or_small_count_can_be_worked_out_with_groups_and_two_themes(picks):
    _check("groups", picks)


def test_the_reviewers_example_hides_the_third_grade_and_what_gives_it_away():
    # A school of 15 interviewed: grades of 6, 6 and 3 (threshold 5). Shown as 15, 6, 6 and "fewer
    # than 5", the 3 comes back by subtraction; it must not.
    students = {}
    for i, grade in enumerate(["Grade 9"] * 6 + ["Grade 10"] * 6 + ["Grade 11"] * 3):
        students[i] = {"school": ("Lincoln",), "grade": (grade,)}
    structure = Structure(("school", "grade"), frozenset(), nesting(students.values(), criteria=("school", "grade"),
                                                                     multi_valued=()))
    publication = suppress_publication(students=students, raised={}, structure=structure, threshold=5)
    grades = publication.interviewed_cells["grade"]
    assert grades["Grade 11"].hidden == Hidden.SMALL
    assert sum(cell.hidden != Hidden.SHOWN for cell in grades.values()) >= 2


def test_six_of_seven_is_not_published():
    # Seven interviewed, six raised it: "6 of 7" would say one student did not.
    students = {i: {"school": ("Lincoln",)} for i in range(7)}
    publication = suppress_publication(students=students, raised={"lunch": set(range(6))},
                                       structure=Structure(("school",), frozenset()), threshold=5)
    assert publication.raised_totals["lunch"].hidden == Hidden.COMPLEMENTARY
    assert publication.raised_totals["lunch"].display == "withheld"
