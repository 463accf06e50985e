from __future__ import annotations

import io
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from participants.models import RosterUpload, Student, TeachingAssignment
from tests.conftest import ONEROSTER_V1P1
from tests.factories import SchoolFactory, StaffMemberFactory, StudentFactory, UserFactory
from tests.test_helpers import count_queries, login

GOOD = b"Student ID,First Name,Last Name,School,Grade\n1,Ana,Lopez,LHS,9\n2,Ben,Kim,LHS,10\n"
BAD = b"Student ID,First Name,Last Name,School,Grade\n1,Ana,Lopez,LHS,9\n2,Ben,Kim,XXX,10\n3,Cy,Do,LHS,15\n"


@pytest.fixture
def manager(db):
    user = UserFactory(username="roster-manager")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_student", "add_student"]))
    SchoolFactory(code="LHS", name="Lincoln High")
    return user


def upload(client, content, name="roster.csv", kind="students"):
    return client.post(reverse("roster_upload"), {"kind": kind, "file": SimpleUploadedFile(name, content)})


def test_people_without_roster_permission_get_403(client, team):
    login(client, team.analyst)
    assert client.get(reverse("roster")).status_code == 403
    assert client.get(reverse("roster_upload")).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    assert client.get(reverse("roster")).status_code == 302


def test_upload_check_then_import(client, manager, django_capture_on_commit_callbacks):
    login(client, manager)
    response = upload(client, GOOD)
    item = RosterUpload.objects.get()
    assert response["Location"] == reverse("roster_import", kwargs={"pk": item.pk})
    page = client.get(response["Location"]).content.decode()
    assert "2 rows, no problems found" in page and "“Student ID”" in page
    assert not Student.objects.exists()
    data = {f"column_{i}": f for i, f in enumerate(["local_id", "first_name", "last_name", "school", "grade"])}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"], {**data, "action": "import"})
    item.refresh_from_db()
    assert item.status == RosterUpload.Status.IMPORTED and item.summary["created"] == 2
    assert Student.objects.count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()
    assert "Imported." in client.get(response["Location"]).content.decode()


def test_a_bad_file_lists_every_problem_and_imports_nothing(client, manager):
    login(client, manager)
    location = upload(client, BAD)["Location"]
    page = client.get(location).content.decode()
    assert "2 problems found. Nothing has been imported." in page
    assert "is not a school code or name we know" in page and "is not a grade from K to 12" in page
    data = {f"column_{i}": f for i, f in enumerate(["local_id", "first_name", "last_name", "school", "grade"])}
    client.post(location, {**data, "action": "import"})
    assert not Student.objects.exists()


def test_changing_the_mapping_is_kept(client, manager):
    login(client, manager)
    location = upload(client, GOOD)["Location"]
    data = {f"column_{i}": f for i, f in enumerate(["local_id", "first_name", "", "school", "grade"])}
    client.post(location, {**data, "action": "check"})
    page = client.get(location).content.decode()
    assert "No column is mapped to Last name, which is required." in page
    assert RosterUpload.objects.get().mapping["Last Name"] == ""


def test_a_file_that_is_not_a_table_is_refused_on_the_form(client, manager):
    login(client, manager)
    response = upload(client, b"\xff\xfe\x00garbage", name="roster.csv")
    assert response.status_code == 200
    assert "not UTF-8" in response.content.decode()
    response = upload(client, b"x", name="roster.pdf")
    assert "Upload a .csv or .xlsx file." in response.content.decode()


def test_the_roster_page_shows_names_and_is_audited(client, manager):
    StudentFactory(first_name="Zadie", last_name="Quill")
    login(client, manager)
    page = client.get(reverse("roster")).content.decode()
    assert "Quill, Zadie" in page
    assert AuditEvent.objects.filter(action=AuditAction.VIEW_STUDENT_NAMES, actor=manager).exists()


def test_the_roster_page_keeps_a_constant_number_of_queries(client, manager):
    login(client, manager)
    StudentFactory.create_batch(3)
    small = count_queries(lambda: client.get(reverse("roster")))
    StudentFactory.create_batch(40)
    large = count_queries(lambda: client.get(reverse("roster")))
    assert small == large


def test_an_import_in_progress_shows_its_progress_to_htmx_polling(client, manager):
    login(client, manager)
    location = upload(client, GOOD)["Location"]
    RosterUpload.objects.update(status=RosterUpload.Status.IMPORTING, rows_checked=1)
    fragment = client.get(location + "?progress=1", headers={"HX-Request": "true"}).content.decode()
    assert "Importing… 1 of 2 rows checked." in fragment
    assert 'hx-trigger="every 1s"' in fragment and "<html" not in fragment
    RosterUpload.objects.update(status=RosterUpload.Status.IMPORTED, summary={"created": 2, "updated": 0, "unchanged": 0})
    fragment = client.get(location + "?progress=1", headers={"HX-Request": "true"}).content.decode()
    assert "Imported." in fragment and "hx-trigger" not in fragment


def test_the_import_button_appears_only_when_every_row_checks_out(client, manager):
    login(client, manager)
    assert 'value="import"' not in client.get(upload(client, BAD)["Location"]).content.decode()
    assert 'value="import"' in client.get(upload(client, GOOD)["Location"]).content.decode()


def test_teaching_assignments_upload_through_the_same_screen(client, manager, django_capture_on_commit_callbacks):
    StaffMemberFactory(staff_id="T1")
    StudentFactory(local_id="S1")
    login(client, manager)
    location = upload(client, b"Teacher ID,Student ID,Course,Start Date\nT1,S1,Math 7,2026-08-15\nT2,S1,Art,2026-08-15\n",
                      name="teaching.csv", kind="teaching")["Location"]
    page = client.get(location).content.decode()
    assert "Teaching assignments" in page and "No staff member has the id" in page
    assert "Keep as a district criterion" not in page
    data = {"column_0": "staff_id", "column_1": "local_id", "column_2": "course", "column_3": "starts_on"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(location, {**data, "action": "import"})
    assert not TeachingAssignment.objects.exists()
    location = upload(client, b"Teacher ID,Student ID,Course,Start Date\nT1,S1,Math 7,2026-08-15\n",
                      name="teaching.csv", kind="teaching")["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(location, {**data, "action": "import"})
    assert TeachingAssignment.objects.get().course == "Math 7"
    assert "1 new assignment, 0 updated" in client.get(location).content.decode()


def _bundle(folder, extra: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in folder.glob("*.csv"):
            archive.writestr(path.name, (extra or {}).get(path.name, path.read_text()))
    return buffer.getvalue()


def test_a_oneroster_bundle_imports_in_the_browser_and_is_audited(client, manager):
    login(client, manager)
    response = client.post(reverse("oneroster_upload"), {"bundle": SimpleUploadedFile("export.zip", _bundle(ONEROSTER_V1P1))})
    assert response.status_code == 302
    assert Student.objects.filter(local_id__startswith="10000").count() == 4
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT, detail__oneroster="export.zip").exists()


def test_a_broken_bundle_lists_its_problems_and_imports_nothing(client, manager):
    users = (ONEROSTER_V1P1 / "users.csv").read_text().replace("100002,,,,,10", "100002,,,,,13")
    login(client, manager)
    response = client.post(reverse("oneroster_upload"), {"bundle": SimpleUploadedFile("x.zip", _bundle(ONEROSTER_V1P1, {"users.csv": users}))})
    page = response.content.decode()
    assert "1 problem found. Nothing has been imported." in page and "is not a grade from K to 12" in page
    assert not Student.objects.exists()


def test_a_bundle_that_is_not_a_zip_is_refused_on_the_form(client, manager):
    login(client, manager)
    response = client.post(reverse("oneroster_upload"), {"bundle": SimpleUploadedFile("users.csv", b"a,b\n")})
    assert "Upload the .zip file" in response.content.decode()


def test_oneroster_upload_needs_the_roster_permission(client, team):
    login(client, team.viewer)
    assert client.get(reverse("oneroster_upload")).status_code == 403
