"""OneRoster bundles written for this project from the OneRoster 1.1 and 1.2 CSV tables."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from participants.models import Gender, School, StaffMember, Student, TeachingAssignment
from participants.oneroster import (
    BAD_GRADE,
    MISSING_FILE,
    NO_SCHOOL,
    NOT_A_BUNDLE,
    PARTIAL_TEACHING,
    UNKNOWN_REFERENCE,
    files_from_folder,
    files_from_zip,
    import_oneroster,
)
from tests.conftest import ONEROSTER_V1P1 as V1P1
from tests.conftest import ONEROSTER_V1P2 as V1P2
from toolkit.tables import ImportRefused

DURING_FALL = dt.date(2026, 11, 1)


def check_imported():
    assert set(School.objects.values_list("code", "name")) == {("RHS", "Riverside High School"), ("RMS", "Riverside Middle School")}
    students = {s.local_id: s for s in Student.objects.select_related("school")}
    assert set(students) == {"100001", "100002", "100003", "100004"}  # the tobedeleted row and the parent are left out
    ana, ben, cy, dee = (students[i] for i in ("100001", "100002", "100003", "100004"))
    assert (ana.first_name, ana.grade, ana.gender, ana.race_ethnicity, ana.school.code) == ("Ana", 9, Gender.FEMALE, ["Hispanic or Latino"], "RHS")
    assert ben.race_ethnicity == ["Asian", "Two or more races", "White"]
    assert (cy.grade, cy.gender) == (0, Gender.NONBINARY)
    assert (dee.grade, dee.gender, dee.race_ethnicity) == (7, Gender.UNSPECIFIED, [])
    staff = {s.staff_id: s for s in StaffMember.objects.prefetch_related("schools")}
    assert set(staff) == {"T-501", "T-502"} and staff["T-501"].email == "mrivera@rusd.example"
    assert {s.code for s in staff["T-502"].schools.all()} == {"RHS", "RMS"}
    # Current session only: Biology is in spring; Ben left English 9 in September.
    pairs = set(TeachingAssignment.objects.values_list("staff__staff_id", "student__local_id", "course", "starts_on", "ends_on"))
    assert pairs == {
        ("T-501", "100001", "English 9", dt.date(2026, 8, 15), dt.date(2026, 12, 20)),
        ("T-502", "100004", "Art", dt.date(2026, 8, 15), dt.date(2026, 12, 20)),
    }


def test_a_oneroster_1_1_bundle_imports_schools_students_staff_and_teaching(db):
    summary = import_oneroster(files_from_folder(V1P1), today=DURING_FALL)
    assert summary.students.created == 4 and summary.assignments_created == 2
    check_imported()


def test_a_oneroster_1_2_bundle_with_roles_csv_imports_the_same(db):
    import_oneroster(files_from_folder(V1P2), today=DURING_FALL)
    check_imported()


def test_reimporting_the_bundle_changes_nothing(db):
    import_oneroster(files_from_folder(V1P1), today=DURING_FALL)
    before = list(Student.objects.order_by("local_id").values())
    summary = import_oneroster(files_from_folder(V1P1), today=DURING_FALL)
    assert summary.students.unchanged == 4 and summary.students.created == summary.students.updated == 0
    assert summary.assignments_created == 0 and summary.assignments_unchanged == 2
    assert list(Student.objects.order_by("local_id").values()) == before


def test_fields_oneroster_does_not_carry_are_kept(db):
    import_oneroster(files_from_folder(V1P1), today=DURING_FALL)
    Student.objects.filter(local_id="100001").update(english_learner=True, gpa=Decimal("3.10"), extra_attributes={"foster_youth": True})
    import_oneroster(files_from_folder(V1P1), today=DURING_FALL)
    ana = Student.objects.get(local_id="100001")
    assert ana.english_learner and ana.gpa == Decimal("3.10") and ana.extra_attributes == {"foster_youth": True}


def test_a_zip_with_the_csvs_in_a_folder_imports(db):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in V1P1.glob("*.csv"):
            archive.write(path, f"export-2026-11-01/{path.name}")
    import_oneroster(files_from_zip(buffer.getvalue()), today=DURING_FALL)
    check_imported()


def broken(**changes: str | None) -> dict[str, bytes]:
    files = files_from_folder(V1P1)
    for name, text in changes.items():
        name = name.replace("_csv", ".csv")
        if text is None:
            files.pop(name, None)
        else:
            files[name] = text.encode()
    return files


def test_every_problem_in_a_broken_bundle_is_listed_and_nothing_written(db):
    users = (V1P1 / "users.csv").read_text().replace("100002,,,,,10", "100002,,,,,13").replace("u-s3,,,true,org-ms", "u-s3,,,true,org-nowhere")
    enrollments = (V1P1 / "enrollments.csv").read_text() + "e9,,,c-none,org-hs,u-s1,student,false,,\n"
    with pytest.raises(ImportRefused) as refusal:
        import_oneroster(broken(users_csv=users, enrollments_csv=enrollments), today=DURING_FALL)
    found = {(e.row, e.column, e.message) for e in refusal.value.errors}
    assert (3, "users.csv · grades", BAD_GRADE.format(value="13")) in found
    assert (4, "users.csv · orgSourcedIds", UNKNOWN_REFERENCE["org"].format(value="org-nowhere")) in found
    assert (4, "users.csv · orgSourcedIds", NO_SCHOOL) in found
    assert (9, "enrollments.csv · classSourcedId", UNKNOWN_REFERENCE["class"].format(value="c-none")) in found
    assert not Student.objects.exists() and not School.objects.exists() and not StaffMember.objects.exists()


def test_missing_files_are_named(db):
    with pytest.raises(ImportRefused) as refusal:
        import_oneroster(broken(users_csv=None, classes_csv=None), today=DURING_FALL)
    messages = [e.message for e in refusal.value.errors]
    assert MISSING_FILE.format(name="users.csv") in messages
    assert PARTIAL_TEACHING.format(missing="classes.csv") in messages


def test_a_file_that_is_not_a_zip_is_refused(db):
    with pytest.raises(ImportRefused) as refusal:
        files_from_zip(b"not a zip")
    assert refusal.value.errors[0].message == NOT_A_BUNDLE


def test_the_command_imports_a_folder_and_reports_problems(db, tmp_path):
    call_command("import_oneroster", str(V1P1))
    assert Student.objects.count() == 4
    (tmp_path / "orgs.csv").write_text((V1P1 / "orgs.csv").read_text())
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_oneroster", str(tmp_path))
