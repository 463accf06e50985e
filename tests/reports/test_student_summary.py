from __future__ import annotations

import subprocess

import pytest
from django.urls import reverse

from actions.models import Idea
from actions.plan import action_from_idea
from analysis.coding import apply_code
from analysis.models import Theme
from analysis.themes import add_quote, candidate_quotes
from participants.models import Student
from reports.models import Report, ReportKind, StudentSummaryLink
from reports.render import render_report
from tests.test_helpers import login


@pytest.fixture
def told(coded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    for note in coded.notes[:12]:
        apply_code(note=note, code=coded.codes["Noise"], coder=coded.team.analyst)
    theme = Theme.objects.create(program=coded.team.program, name="The cafeteria is loud", insight="Lunch is too loud to talk.")
    theme.codes.add(coded.codes["Noise"])
    add_quote(theme, application=candidate_quotes(theme)[0])
    idea = Idea.objects.create(program=coded.team.program, title="A quiet lunch room")
    idea.themes.add(theme)
    item = action_from_idea(idea, owner=coded.team.lead, kind="project")
    item.due_on = "2027-01-15"
    item.save()
    return coded


def test_a_lead_publishes_the_summary_and_anyone_with_the_link_reads_it(client, told):
    login(client, told.team.lead)
    client.post(reverse("student_summary_publishing", kwargs={"slug": told.team.program.slug}), {"action": "publish"})
    link = StudentSummaryLink.objects.get()
    assert len(link.token) >= 32
    client.logout()
    page = client.get(reverse("student_summary_page", kwargs={"token": link.token})).content.decode()
    assert "you said, we did" in page and "The cafeteria is loud" in page and "A quiet lunch room" in page
    assert "by Jan 15" in page and "12 students said this." in page
    for student in Student.objects.all():
        assert student.last_name not in page and student.local_id not in page


def test_unpublishing_stops_the_link(client, told):
    login(client, told.team.lead)
    url = reverse("student_summary_publishing", kwargs={"slug": told.team.program.slug})
    client.post(url, {"action": "publish"})
    token = StudentSummaryLink.objects.get().token
    client.post(url, {"action": "unpublish"})
    assert client.get(reverse("student_summary_page", kwargs={"token": token})).status_code == 404


def test_an_unknown_token_finds_nothing(client, db):
    assert client.get(reverse("student_summary_page", kwargs={"token": "guess"})).status_code == 404


@pytest.mark.parametrize("persona", ["facilitator", "analyst", "viewer"])
def test_only_a_lead_publishes(client, told, persona):
    login(client, getattr(told.team, persona))
    response = client.post(reverse("student_summary_publishing", kwargs={"slug": told.team.program.slug}), {"action": "publish"})
    assert response.status_code == 403 and not StudentSummaryLink.objects.exists()


def test_the_printable_summary_renders_through_the_reports_pipeline(told):
    report = Report.objects.create(program=told.team.program, kind=ReportKind.STUDENT_SUMMARY)
    render_report(report.pk)
    report.refresh_from_db()
    with report.file.open("rb") as handle:
        text = " ".join(subprocess.run(["pdftotext", "-", "-"], input=handle.read(), capture_output=True,
                                       check=True).stdout.decode().split())
    assert "you said, we did" in text and "A quiet lunch room" in text
    assert all(s.last_name not in text for s in Student.objects.all())


def test_the_printable_summary_fits_on_one_page(told):
    report = Report.objects.create(program=told.team.program, kind=ReportKind.STUDENT_SUMMARY)
    render_report(report.pk)
    report.refresh_from_db()
    assert report.pages == 1
