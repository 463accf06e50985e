"""A parent asks about their child: the program's lead, who is also the district's privacy officer (the
role that sees every program's words and deletes a student), finds the student on the roster, downloads
everything, corrects a misspelt name, then deletes the student; the program's audit page shows each step."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect

from participants.models import Student
from participants.roles import PRIVACY_OFFICER, grant_district_role
from tests.browser.helpers import signed_in
from tests.conftest import PROJECT_DIR

pytestmark = pytest.mark.browser
SHOTS = PROJECT_DIR / "test-artifacts" / "screenshots"


def test_a_lead_answers_a_parents_request(browser, live_server, coded, transactional_db, tmp_path):
    lead, program = coded.team.lead, coded.team.program
    grant_district_role(lead, PRIVACY_OFFICER)
    student, note = coded.students[0], coded.notes[0]
    student.first_name, student.last_name = "Jonh", "Parker"
    student.save()
    context, page = signed_in(browser, live_server, lead.username, accept_downloads=True)

    page.goto("/roster/")
    page.get_by_label("Search").fill("Parker")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name="Parker, Jonh").click()
    expect(page.get_by_role("heading", name="Jonh Parker")).to_be_visible()
    expect(page.get_by_text(note.text)).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download everything (CSV)").click()
    saved = tmp_path / "student.csv"
    download.value.save_as(saved)
    rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert ["record", "", "", "Last name", "Parker"] in rows and any(row[4] == note.text for row in rows)

    page.get_by_role("link", name="Correct the record").click()
    page.get_by_label("First name").fill("John")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.get_by_text("The record is corrected.")).to_be_visible()
    expect(page.get_by_role("heading", name="John Parker")).to_be_visible()

    page.get_by_role("link", name="Delete this student").click()
    page.get_by_label("Type the student's local id to confirm").fill("not it")
    page.get_by_role("button", name="Delete the student and their words").click()
    expect(page.get_by_text("Type the student's local id exactly as shown to confirm.")).to_be_visible()
    page.get_by_label("Type the student's local id to confirm").fill(student.local_id)
    page.get_by_role("button", name="Delete the student and their words").click()
    expect(page.get_by_text("John Parker is deleted")).to_be_visible()
    assert not Student.objects.filter(pk=student.pk).exists()

    page.goto(f"/programs/{program.slug}/audit/")
    for action in ("Exported data", "Corrected a student record", "Deleted data"):
        expect(page.get_by_role("cell", name=action).first).to_be_visible()
    expect(page.get_by_text("A student's record deleted on request")).to_be_visible()
    expect(page.get_by_text("John")).to_have_count(0)  # the log holds the pseudonym, never the name
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "audit-after-deletion.png"), full_page=True)
    context.close()
