from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from participants.models import Gender, Student
from participants.roster import (
    BAD_GPA,
    BAD_GRADE,
    DUPLICATE_ID,
    MISSING_VALUE,
    UNKNOWN_SCHOOL,
    ImportRefused,
    default_mapping,
    import_students,
)
from tests.factories import SchoolFactory
from toolkit.tables import NOT_UTF8, TableUnreadable, read_table

HEADER = "Student ID,First Name,Last Name,School,Grade,Gender,Race/Ethnicity,EL,SpEd,GPA,Groups,Foster Youth\n"
GOOD = (
    HEADER
    + "1001,Ana,Lopez,LHS,9,F,Hispanic or Latino,Y,N,3.2,AVID;Band,N\n"
    + "1002,Ben,Okafor,Lincoln High,10th,M,Black or African American|White,N,Y,,Band,Y\n"
    + "1003,Cy,Tran,RMS,K,X,Asian,N,N,4.0,,\n"
)


@pytest.fixture
def schools(db):
    return SchoolFactory(code="LHS", name="Lincoln High"), SchoolFactory(code="RMS", name="Roosevelt Middle")


def load(text: str, name: str = "roster.csv"):
    table = read_table(text.encode("utf-8"), name)
    return table, default_mapping(table.headers)


def test_a_good_file_imports_every_field(schools):
    summary = import_students(*load(GOOD))
    assert (summary.created, summary.updated, summary.unchanged, summary.groups_created) == (3, 0, 0, 2)
    ana = Student.objects.get(local_id="1001")
    assert (ana.first_name, ana.grade, ana.gender, ana.english_learner, ana.gpa) == ("Ana", 9, Gender.FEMALE, True, Decimal("3.20"))
    assert sorted(g.name for g in ana.groups.all()) == ["AVID", "Band"]
    assert ana.extra_attributes == {"foster_youth": False}
    ben = Student.objects.get(local_id="1002")
    assert ben.race_ethnicity == ["Black or African American", "White"] and ben.grade == 10 and ben.gpa is None
    assert Student.objects.get(local_id="1003").grade == 0
    assert ana.pseudonym and "Ana" not in ana.pseudonym


def test_reimporting_the_same_file_changes_nothing(schools):
    import_students(*load(GOOD))
    before = list(Student.objects.order_by("local_id").values())
    summary = import_students(*load(GOOD))
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)
    assert list(Student.objects.order_by("local_id").values()) == before


def test_an_updated_file_updates_by_local_id(schools):
    import_students(*load(GOOD))
    pseudonym = Student.objects.get(local_id="1001").pseudonym
    summary = import_students(*load(GOOD.replace("1001,Ana,Lopez,LHS,9", "1001,Ana,Lopez,LHS,10").replace("AVID;Band", "AVID")))
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 2)
    ana = Student.objects.get(local_id="1001")
    assert ana.grade == 10 and ana.pseudonym == pseudonym
    assert [g.name for g in ana.groups.all()] == ["AVID"]


def test_every_bad_row_is_listed_and_nothing_is_written(schools):
    bad = (
        HEADER
        + "2001,Dee,Ng,LHS,9,F,Asian,N,N,3.1,,\n"          # fine, but must not be written
        + "2002,Eve,Ruiz,Nowhere High,9,F,Asian,N,N,3.1,,\n"  # unknown school
        + "2003,Fay,Kim,LHS,14,F,Asian,N,N,3.1,,\n"        # grade out of range
        + "2004,Gus,Lee,LHS,9,M,Asian,N,N,three,,\n"       # GPA not a number
        + "2001,Hal,Ito,LHS,9,M,Asian,N,N,2.0,,\n"         # duplicate local id
        + "2005,,Park,LHS,9,M,Asian,N,N,2.0,,\n"           # empty required field
    )
    with pytest.raises(ImportRefused) as refusal:
        import_students(*load(bad))
    found = {(e.row, e.column, e.message) for e in refusal.value.errors}
    assert (3, "School", UNKNOWN_SCHOOL.format(value="Nowhere High", known="LHS, RMS")) in found
    assert (4, "Grade", BAD_GRADE.format(value="14")) in found
    assert (5, "GPA", BAD_GPA.format(value="three")) in found
    assert (6, "Student ID", DUPLICATE_ID.format(value="2001", first_row=2)) in found
    assert (7, "First Name", MISSING_VALUE.format(label="First name")) in found
    assert len(found) == 5
    assert not Student.objects.exists()


def test_a_file_that_is_not_utf8_is_refused_with_advice():
    with pytest.raises(TableUnreadable, match="not UTF-8"):
        read_table("Student ID,First Name\n1,Zoë\n".encode("utf-16"), "roster.csv")
    assert "CSV UTF-8" in NOT_UTF8


def test_a_missing_required_column_is_reported(schools):
    table = read_table(b"Student ID,First Name,School,Grade\n1,A,LHS,9\n", "r.csv")
    with pytest.raises(ImportRefused) as refusal:
        import_students(table, default_mapping(table.headers))
    assert refusal.value.errors[0].message == "No column is mapped to Last name, which is required."


def test_xlsx_rosters_import_like_csv(schools):
    workbook = Workbook()
    sheet = workbook.active
    for line in GOOD.strip().splitlines():
        sheet.append([int(c) if c.isdigit() else c for c in line.split(",")])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table(buffer.getvalue(), "roster.xlsx")
    assert import_students(table, default_mapping(table.headers)).created == 3
    assert Student.objects.get(local_id="1001").grade == 9


def test_the_command_imports_and_reports_problems(schools, tmp_path, capsys):
    good = tmp_path / "roster.csv"
    good.write_text(GOOD, encoding="utf-8")
    call_command("import_roster", str(good))
    assert Student.objects.count() == 3
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "3001,Ann,Bo,ZZZ,9,F,Asian,N,N,3,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_roster", str(bad))
    assert "row 2, School" in capsys.readouterr().err


def test_the_command_accepts_a_column_mapping(schools, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("Pupil No,First Name,Last Name,School,Grade\n77,A,B,LHS,9\n", encoding="utf-8")
    call_command("import_roster", str(path), "--map", "Pupil No=local_id")
    assert Student.objects.filter(local_id="77").exists()


def test_xlsx_date_cells_are_read_as_iso_dates():
    import datetime as dt

    workbook = Workbook()
    workbook.active.append(["Start Date", "Plain"])
    workbook.active.append([dt.datetime(2026, 8, 15), 9.0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_table(buffer.getvalue(), "t.xlsx").rows == [["2026-08-15", "9"]]
