"""A roster naming schools the district does not have: listed with their rows, created only when confirmed,
in the same all-or-nothing import."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from participants.models import RosterUpload, School, Student
from participants.roster import UNKNOWN_SCHOOL, ImportRefused, default_mapping, import_students, validate_students
from tests.factories import SchoolFactory, UserFactory
from tests.test_helpers import login
from toolkit.tables import read_table

HEADER = "Student ID,First Name,Last Name,School,Grade\n"
NEW = HEADER + "1,Ana,Lopez,LHS,9\n2,Ben,Kim,North High,10\n3,Cy,Do,north high,11\n4,Dee,Ray,Elm K-8,6\n"
COLUMNS = {f"column_{i}": f for i, f in enumerate(["local_id", "first_name", "last_name", "school", "grade"])}


def load(text: str):
    table = read_table(text.encode("utf-8"), "roster.csv")
    return table, default_mapping(table.headers)


@pytest.fixture
def lincoln(db):
    return SchoolFactory(code="LHS", name="Lincoln High")


def test_unknown_schools_are_listed_with_their_row_counts(lincoln):
    validation = validate_students(*load(NEW))
    assert validation.unknown_schools == {"Elm K-8": 1, "North High": 2}
    assert any(e.message.startswith(UNKNOWN_SCHOOL.split("“")[0]) and "North High" in e.message for e in validation.errors)


def test_without_confirmation_the_rows_are_refused_and_nothing_is_created(lincoln):
    with pytest.raises(ImportRefused):
        import_students(*load(NEW))
    assert School.objects.count() == 1 and not Student.objects.exists()


def test_confirmed_schools_are_created_with_the_students_and_their_grades(lincoln):
    summary = import_students(*load(NEW), new_schools=["North High", "Elm K-8"])
    assert (summary.created, summary.schools_created) == (4, 2)
    north = School.objects.get(name="North High")
    assert (north.code, north.lowest_grade, north.highest_grade) == ("North High", 10, 11)
    assert set(north.students.values_list("local_id", flat=True)) == {"2", "3"}


def test_a_refused_import_creates_no_confirmed_school(lincoln):
    bad = NEW + "5,Eve,Fox,North High,15\n"
    with pytest.raises(ImportRefused):
        import_students(*load(bad), new_schools=["North High", "Elm K-8"])
    assert School.objects.count() == 1 and not Student.objects.exists()


def test_only_the_confirmed_values_are_created(lincoln):
    with pytest.raises(ImportRefused) as refusal:
        import_students(*load(NEW), new_schools=["North High"])
    assert [e.row for e in refusal.value.errors] == [5]
    assert not School.objects.filter(name="North High").exists()


def test_the_command_creates_the_schools_it_is_told_to(lincoln, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(NEW)
    with pytest.raises(CommandError):
        call_command("import_roster", str(roster), stderr=io.StringIO())
    out = io.StringIO()
    call_command("import_roster", str(roster), "--create-school", "North High", "--create-school", "Elm K-8", stdout=out)
    assert "2 new schools" in out.getvalue() and School.objects.count() == 3


@pytest.fixture
def manager(lincoln):
    user = UserFactory(username="roster-manager")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_student", "add_student"]))
    return user


def test_the_import_page_offers_to_create_the_schools_then_imports_them(
        client, manager, django_capture_on_commit_callbacks):
    login(client, manager)
    response = client.post(reverse("roster_upload"), {"kind": "students", "file": SimpleUploadedFile("r.csv", NEW.encode())})
    url = response["Location"]
    page = client.get(url).content.decode()
    assert "North High</strong> · 2 rows" in page and "Elm K-8</strong> · 1 row" in page
    assert "Create these schools with this import" in page
    upload = RosterUpload.objects.get()
    with django_capture_on_commit_callbacks(execute=True):  # checked again without the box: still refused
        client.post(url, {**COLUMNS, "action": "check"})
    upload.refresh_from_db()
    assert upload.status == RosterUpload.Status.REFUSED and upload.new_schools == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**COLUMNS, "action": "check", "create_schools": "on"})
    upload.refresh_from_db()
    assert upload.status == RosterUpload.Status.UPLOADED and upload.new_schools == ["Elm K-8", "North High"]
    assert "This import creates these schools" in client.get(url).content.decode()
    assert School.objects.count() == 1  # nothing is created before the import runs
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**COLUMNS, "action": "import", "keep_new_schools": "on"})
    upload.refresh_from_db()
    assert upload.status == RosterUpload.Status.IMPORTED and upload.summary["schools_created"] == 2
    assert Student.objects.count() == 4 and School.objects.count() == 3
    assert "2 new schools" in client.get(url).content.decode()
