"""The upload pages answer a bomb with the plain refusal (200, not 500), in bounded time; the import page never reads the file."""

from __future__ import annotations

import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from participants.models import RosterUpload, Student
from participants.uploads import PROBLEMS_KEPT
from tests.participants.test_roster_views import GOOD, manager, upload  # noqa: F401
from tests.test_helpers import login
from tests.toolkit.bombs import MEGABYTE, SECONDS, batched, repeated, sheet_xml, write_xlsx, write_zip
from toolkit.limits import ARCHIVE_TOO_COMPRESSED, ARCHIVE_TOO_LARGE, CELL_TOO_LONG, TOO_MANY_COLUMNS

MILLION_COLUMNS = b",".join(b"c%d" % i for i in range(1_000_000)) + b"\n1\n"


def timed_post(client, url, data):
    started = time.monotonic()
    response = client.post(url, data)
    return response, time.monotonic() - started


def test_a_csv_of_a_million_columns_is_refused_on_the_upload_form(client, manager):  # noqa: F811
    login(client, manager)
    response, seconds = timed_post(client, reverse("roster_upload"),
                                   {"kind": "students", "file": SimpleUploadedFile("wide.csv", MILLION_COLUMNS)})
    assert response.status_code == 200 and escape(TOO_MANY_COLUMNS.format(limit=200)) in response.content.decode()
    assert seconds < SECONDS and not RosterUpload.objects.exists()


def test_a_csv_field_of_200_000_characters_is_refused_not_a_500(client, manager):  # noqa: F811
    login(client, manager)
    content = b"Student ID,First Name,Last Name,School,Grade\n1," + b"x" * 200_000 + b",Lopez,LHS,9\n"
    response = client.post(reverse("roster_upload"), {"kind": "students", "file": SimpleUploadedFile("r.csv", content)})
    assert response.status_code == 200 and escape(CELL_TOO_LONG.format(limit=10_000)) in response.content.decode()


def test_an_xlsx_of_3_million_rows_is_refused_on_the_upload_form(client, manager, tmp_path):  # noqa: F811
    path = write_xlsx(tmp_path / "rows.xlsx", sheet=sheet_xml(batched(b"<row><c><v>1</v></c></row>", 3_000_000)))
    login(client, manager)
    response, seconds = timed_post(client, reverse("roster_upload"),
                                   {"kind": "students", "file": SimpleUploadedFile("rows.xlsx", path.read_bytes())})
    message = ARCHIVE_TOO_COMPRESSED.format(name="xl/worksheets/sheet1.xml", limit=100)
    assert response.status_code == 200 and escape(message) in response.content.decode()
    assert seconds < SECONDS and not RosterUpload.objects.exists()


def test_a_oneroster_bundle_holding_300_mb_is_refused_with_nothing_imported(client, manager, tmp_path):  # noqa: F811
    path = write_zip(tmp_path / "bomb.zip", {"users.csv": repeated(b"100001,Ana,Lopez\n" * 60_000, 300 * MEGABYTE)})
    login(client, manager)
    response, seconds = timed_post(client, reverse("oneroster_upload"),
                                   {"bundle": SimpleUploadedFile("export.zip", path.read_bytes())})
    assert response.status_code == 200 and escape(ARCHIVE_TOO_LARGE.format(limit=100)) in response.content.decode()
    assert seconds < SECONDS and not Student.objects.exists()


def test_the_import_page_shows_what_was_stored_and_never_reads_the_file(client, manager, monkeypatch):  # noqa: F811
    login(client, manager)
    location = upload(client, GOOD)["Location"]
    stored = RosterUpload.objects.get()
    stored.file.storage.delete(stored.file.name)

    def no_reading(*args, **kwargs):
        raise AssertionError("a page view read the upload")

    monkeypatch.setattr("participants.uploads.read_table", no_reading)
    page = client.get(location).content.decode()
    assert "2 rows, no problems found" in page and "“Student ID”" in page and "<td>Lopez</td>" in page


def test_a_changed_mapping_is_checked_in_the_task_and_the_page_reloads_when_done(
        client, manager, django_capture_on_commit_callbacks):  # noqa: F811
    login(client, manager)
    location = upload(client, b"Student ID,First Name,Last Name,School,Grade,Campus\n1,Ana,Lopez,XXX,9,LHS\n")["Location"]
    assert RosterUpload.objects.get().problem_count == 1  # School XXX is unknown
    data = {f"column_{i}": f for i, f in enumerate(["local_id", "first_name", "last_name", "", "grade", "school"])}
    with django_capture_on_commit_callbacks() as queued:
        client.post(location, {**data, "action": "check"})
    assert RosterUpload.objects.get().status == RosterUpload.Status.CHECKING
    assert "Checking every row with the new columns" in client.get(location).content.decode()
    queued[0]()  # the Celery task (eager), as the commit would start it
    item = RosterUpload.objects.get()
    assert item.status == RosterUpload.Status.UPLOADED and item.problem_count == 0 and item.mapping["Campus"] == "school"
    polled = client.get(location + "?progress=1&after=checking", headers={"HX-Request": "true"})
    assert polled["HX-Refresh"] == "true"
    assert "1 row, no problems found" in client.get(location).content.decode()


def test_only_the_first_problems_are_kept_and_the_page_says_how_many_there_were(client, manager):  # noqa: F811
    rows = b"".join(b"%d,Ana,Lopez,XXX,9\n" % i for i in range(PROBLEMS_KEPT + 100))
    login(client, manager)
    location = upload(client, b"Student ID,First Name,Last Name,School,Grade\n" + rows)["Location"]
    item = RosterUpload.objects.get()
    assert item.problem_count == PROBLEMS_KEPT + 100 and len(item.errors) == PROBLEMS_KEPT
    page = client.get(location).content.decode()
    assert f"{PROBLEMS_KEPT + 100} problems found" in page and f"The first {PROBLEMS_KEPT} of {PROBLEMS_KEPT + 100}" in page


def test_a_page_for_200_columns_of_cells_at_the_cap_stays_small(client, manager):  # noqa: F811
    header = b",".join(b"Column %d" % i for i in range(200)) + b"\n"
    content = header + (b",".join([b"x" * 10_000] * 200) + b"\n") * 8
    login(client, manager)
    location = upload(client, content)["Location"]
    page = client.get(location).content
    assert len(content) > 15 * MEGABYTE and len(page) < MEGABYTE
