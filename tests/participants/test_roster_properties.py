"""Arbitrary files and cells through the roster import: a clear refusal or a whole import, never a crash
and never part of a file."""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from participants.models import School, Student
from participants.roster import default_mapping, import_students
from toolkit.tables import ImportRefused, TableUnreadable, read_table

HEADER = ["Student ID", "First Name", "Last Name", "School", "Grade"]
cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
grades = st.one_of(st.sampled_from(["K", "6", "9", "12", "13", "-1", "nine", ""]), cells)
rows = st.lists(st.tuples(st.one_of(st.from_regex(r"[0-9]{1,6}", fullmatch=True), cells), cells, cells,
                          st.sampled_from(["LHS", "lhs", "Lincoln High", "XXX", ""]), grades), max_size=8)


def as_csv(body) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(body)
    return buffer.getvalue().encode()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=rows)
def test_any_roster_is_imported_whole_or_refused_with_row_errors(db, body):
    School.objects.get_or_create(code="LHS", defaults={"name": "Lincoln High"})
    before = Student.objects.count()
    try:
        table = read_table(as_csv(body), "roster.csv")
        summary = import_students(table, default_mapping(table.headers))
    except TableUnreadable as problem:
        assert str(problem)
        assert Student.objects.count() == before
    except ImportRefused as refusal:
        assert refusal.errors and all(error.message for error in refusal.errors)
        assert Student.objects.count() == before
    else:
        assert summary.created + summary.updated + summary.unchanged == len(table.rows)


@settings(max_examples=60, deadline=None)
@given(content=st.binary(max_size=400), name=st.sampled_from(["a.csv", "a.xlsx", "a.txt"]))
def test_any_bytes_are_read_or_refused_plainly(content, name):
    try:
        table = read_table(content, name)
    except TableUnreadable as problem:
        assert str(problem)
    else:
        assert all(len(row) == len(table.headers) for row in table.rows)
