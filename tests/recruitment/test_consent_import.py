from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recruitment.consent_import import BAD_DATE, BAD_STATUS, DUPLICATE, NOT_INVITED, import_consent
from recruitment.models import ConsentStatus, Invitation, InvitationStatus
from tests.factories import StudentFactory
from tests.test_helpers import login
from toolkit.tables import ImportRefused, read_table

HEADER = "Student ID,Parent Consent,Parent Consent Date,Student Assent,Method\n"


@pytest.fixture
def invited(team):
    for local_id in ("A1", "A2", "A3"):
        Invitation.objects.create(program=team.program, student=StudentFactory(local_id=local_id))
    StudentFactory(local_id="OUT")
    return team


def table(text):
    return read_table(text.encode(), "consent.csv")


def test_consent_is_recorded_with_dates_and_method(invited):
    counts = import_consent(program=invited.program, table=table(
        HEADER + "A1,Yes,2026-10-01,granted,Signed form\nA2,declined,,pending,Phone\n"))
    assert counts == {"updated": 2, "unchanged": 0}
    a1 = Invitation.objects.get(student__local_id="A1")
    assert a1.status == InvitationStatus.CONSENTED and a1.parent_consent_on == dt.date(2026, 10, 1)
    assert a1.parent_consent_method == "Signed form"
    assert Invitation.objects.get(student__local_id="A2").status == InvitationStatus.DECLINED


def test_reimporting_the_same_file_changes_nothing(invited):
    text = HEADER + "A1,Yes,2026-10-01,granted,Signed form\n"
    import_consent(program=invited.program, table=table(text))
    assert import_consent(program=invited.program, table=table(text)) == {"updated": 0, "unchanged": 1}


def test_every_bad_row_is_listed_and_nothing_recorded(invited):
    text = HEADER + ("A1,Yes,2026-10-01,granted,\n" "OUT,Yes,,granted,\n" "A2,maybe,,granted,\n"
                     "A3,Yes,yesterday,granted,\n" "A1,No,,granted,\n")
    with pytest.raises(ImportRefused) as refusal:
        import_consent(program=invited.program, table=table(text))
    found = {(e.row, e.message) for e in refusal.value.errors}
    assert found == {
        (3, NOT_INVITED.format(value="OUT")), (4, BAD_STATUS.format(value="maybe")),
        (5, BAD_DATE.format(value="yesterday")), (6, DUPLICATE.format(value="A1", first_row=2)),
    }
    assert not Invitation.objects.filter(parent_consent=ConsentStatus.GRANTED).exists()


def test_lead_imports_consent_in_the_browser(client, invited):
    login(client, invited.lead)
    url = reverse("consent_import", kwargs={"slug": invited.program.slug})
    response = client.post(url, {"file": SimpleUploadedFile("c.csv", (HEADER + "A1,Yes,,Yes,\n").encode())})
    assert response.status_code == 302
    assert Invitation.objects.get(student__local_id="A1").can_be_scheduled


def test_a_bad_consent_file_shows_every_problem_on_the_page(client, invited):
    login(client, invited.lead)
    url = reverse("consent_import", kwargs={"slug": invited.program.slug})
    response = client.post(url, {"file": SimpleUploadedFile("c.csv", (HEADER + "OUT,Yes,,Yes,\n").encode())})
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 problem in the consent file. Nothing was recorded." in page and "is not in this program" in page


@pytest.mark.parametrize("persona", ["facilitator", "analyst", "viewer"])
def test_only_leads_import_consent(client, invited, persona):
    login(client, getattr(invited, persona))
    url = reverse("consent_import", kwargs={"slug": invited.program.slug})
    response = client.post(url, {"file": SimpleUploadedFile("c.csv", (HEADER + "A1,Yes,,Yes,\n").encode())})
    assert response.status_code == 403
    assert not Invitation.objects.get(student__local_id="A1").can_be_scheduled
