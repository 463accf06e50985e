from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from participants.models import TeachingAssignment
from participants.teaching_import import (
    BAD_DATE,
    DATES_OUT_OF_ORDER,
    UNKNOWN_STAFF,
    UNKNOWN_STUDENT,
    default_mapping,
    import_assignments,
)
from tests.factories import StaffMemberFactory, StudentFactory
from toolkit.tables import ImportRefused, read_table

HEADER = "Teacher ID,Student ID,Course,Start Date,End Date\n"


@pytest.fixture
def people(db):
    StaffMemberFactory(staff_id="T1")
    StudentFactory(local_id="S1")
    StudentFactory(local_id="S2")


def load(text):
    table = read_table(text.encode(), "t.csv")
    return table, default_mapping(table.headers)


def test_assignments_import_and_reimport_changes_nothing(people):
    text = HEADER + "T1,S1,English 9,2026-08-15,2027-06-10\nT1,S2,English 9,2026-08-15,\n"
    assert import_assignments(*load(text)) == {"created": 2, "updated": 0, "unchanged": 0}
    assert import_assignments(*load(text)) == {"created": 0, "updated": 0, "unchanged": 2}
    assert TeachingAssignment.objects.get(student__local_id="S1").ends_on == dt.date(2027, 6, 10)


def test_every_bad_row_is_listed_and_nothing_written(people):
    text = HEADER + ("T1,S1,English 9,2026-08-15,\n" "T9,S1,Math,2026-08-15,\n" "T1,S9,Math,2026-08-15,\n"
                     "T1,S2,Math,soon,\n" "T1,S2,Art,2026-08-15,2026-01-01\n")
    with pytest.raises(ImportRefused) as refusal:
        import_assignments(*load(text))
    messages = {(e.row, e.message) for e in refusal.value.errors}
    assert messages == {
        (3, UNKNOWN_STAFF.format(value="T9")), (4, UNKNOWN_STUDENT.format(value="S9")),
        (5, BAD_DATE.format(value="soon")), (6, DATES_OUT_OF_ORDER),
    }
    assert not TeachingAssignment.objects.exists()


def test_the_command_reports_problems(people, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(HEADER + "T9,S1,Math,2026-08-15,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_teaching", str(path))
