from __future__ import annotations

import subprocess

import pytest
from celery.exceptions import Retry
from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse

from analysis.coding import apply_code
from analysis.models import Theme
from analysis.themes import add_quote, candidate_quotes
from audit.models import AuditAction, AuditEvent
from empathy.celery import app
from participants.models import Student
from reports.models import Report, ReportKind, ReportStatus
from reports.render import render_report, storage_name
from reports.tasks import render_report_task
from tests.test_helpers import login


@pytest.fixture(autouse=True)
def _own_media_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf_text(report: Report) -> str:
    with report.file.open("rb") as handle:
        content = handle.read()
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


@pytest.fixture
def themed(coded):
    """The coded program with a theme, its quotes, and a note carrying markup and outside links."""
    trap = coded.notes[2]
    trap.text = 'The library <img src="file:///etc/passwd"> is calm <img src="http://example.org/x.png"> and safe.'
    trap.save(update_fields=["text"])
    for note in coded.notes[:12]:
        apply_code(note=note, code=coded.codes["Noise"], coder=coded.team.analyst, stance="challenge")
    theme = Theme.objects.create(program=coded.team.program, name="The cafeteria is loud",
                                 insight="Lunch is too loud to talk.", root_causes="One lunch period for everyone.")
    theme.codes.add(coded.codes["Noise"])
    for application in candidate_quotes(theme)[:3]:
        add_quote(theme, application=application)
    return coded


@pytest.mark.parametrize("kind", [ReportKind.THEMATIC, ReportKind.INFOGRAPHIC, ReportKind.SLIDES])
def test_each_kind_renders_for_real_without_a_name_or_local_id(themed, kind):
    report = Report.objects.create(program=themed.team.program, kind=kind, options={"summary": "Leaders, read this."})
    render_report(report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and report.pages >= 1
    text = pdf_text(report)
    assert "The cafeteria is loud" in text
    for student in Student.objects.all():
        for secret in (student.first_name, student.last_name, student.local_id):
            assert secret not in text, secret
    if kind == ReportKind.INFOGRAPHIC:
        assert report.pages == 1


def test_the_thematic_report_carries_every_section_quotes_and_suppression(themed):
    report = Report.objects.create(program=themed.team.program, kind=ReportKind.THEMATIC, options={"summary": "Read me."})
    render_report(report.pk)
    report.refresh_from_db()
    text = " ".join(pdf_text(report).split())
    for section in ("Contents", "Executive summary", "Purpose and method", "Who we heard from",
                    "Findings:", "Appendix: the interview protocol", "Root causes the team sees"):
        assert section in text, section
    assert "12 students raised this (50% of those interviewed)" in text
    assert "— a 9th-grade student" in text or "— a student" in text
    assert "fewer than 5" in text
    assert "Page 2 of" in text


def test_note_markup_is_printed_as_text_and_nothing_is_fetched(themed, monkeypatch):
    fetched = []
    from toolkit import pdf as guide

    real = guide.static_file
    monkeypatch.setattr(guide, "static_file", lambda url: fetched.append(url) or real(url))
    theme = Theme.objects.get()
    application = themed.notes[2].codings.get()
    add_quote(theme, application=application)
    report = Report.objects.create(program=themed.team.program, kind=ReportKind.THEMATIC)
    render_report(report.pk)
    report.refresh_from_db()
    assert '<img src="file:///etc/passwd">' in pdf_text(Report.objects.get(pk=report.pk))
    assert fetched and all(url.startswith("static:/") for url in fetched)


def test_a_rerun_or_duplicate_delivery_leaves_exactly_one_file(themed):
    report = Report.objects.create(program=themed.team.program, kind=ReportKind.INFOGRAPHIC)
    render_report(report.pk)
    render_report(report.pk)
    folder, files = default_storage.listdir(f"reports/{themed.team.program.slug}")
    assert [f for f in files if f.startswith(f"report-{report.pk}-")] == [storage_name(report).rsplit("/", 1)[1]]


def test_a_render_delivered_too_often_is_failed_not_tried_again(themed, settings, client,
                                                                  django_capture_on_commit_callbacks):
    settings.REPORT_MAX_DELIVERIES = 3
    report = Report.objects.create(program=themed.team.program, kind=ReportKind.INFOGRAPHIC, status=ReportStatus.RENDERING,
                                   attempts=3)  # three deliveries started, none finished: a worker died each time
    render_report(report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and "stopped 3 times" in report.error and not report.file
    # Asking again starts a fresh count.
    login(client, themed.team.viewer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("report_retry", args=[themed.team.program.slug, report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and report.attempts == 1


def test_a_failure_records_its_reason(themed, monkeypatch):
    report = Report.objects.create(program=themed.team.program, kind=ReportKind.THEMATIC)
    monkeypatch.setattr("reports.tasks.render_report", lambda report_id: (_ for _ in ()).throw(ValueError("broken template")))
    with pytest.raises(ValueError):
        render_report_task.apply(args=[report.pk], throw=True)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and "broken template" in report.error


def test_transient_errors_retry_with_capped_backoff_then_fail_with_the_reason(themed, monkeypatch):
    report = Report.objects.create(program=themed.team.program, kind=ReportKind.THEMATIC)
    monkeypatch.setattr("reports.tasks.render_report", lambda report_id: (_ for _ in ()).throw(OSError("disk busy")))
    asked = []

    def fake_retry(exc=None, countdown=None, **kwargs):
        asked.append(countdown)
        return Retry(exc=exc, when=countdown)

    monkeypatch.setattr(render_report_task, "retry", fake_retry)
    for attempt in range(settings.REPORT_MAX_RETRIES):
        render_report_task.push_request(retries=attempt)
        try:
            with pytest.raises(Retry):
                render_report_task.run(report.pk)
        finally:
            render_report_task.pop_request()
        report.refresh_from_db()
        assert report.status != ReportStatus.FAILED
    assert asked == [min(settings.REPORT_RETRY_BACKOFF_MAX_SECONDS, 5 * 2 ** n) for n in range(settings.REPORT_MAX_RETRIES)]
    render_report_task.push_request(retries=settings.REPORT_MAX_RETRIES)
    try:
        with pytest.raises(OSError):
            render_report_task.run(report.pk)
    finally:
        render_report_task.pop_request()
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and "disk busy" in report.error


def test_retry_settings_stay_inside_the_visibility_timeout():
    assert render_report_task.acks_late and render_report_task.reject_on_worker_lost
    total_backoff = sum(min(settings.REPORT_RETRY_BACKOFF_MAX_SECONDS, 5 * 2 ** n) for n in range(settings.REPORT_MAX_RETRIES))
    worst_case = (settings.REPORT_MAX_RETRIES + 1) * settings.CELERY_TASK_TIME_LIMIT + total_backoff
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT
    assert worst_case < settings.CELERY_BROKER_VISIBILITY_TIMEOUT


def test_a_viewer_generates_and_downloads_and_the_download_is_audited(client, themed, django_capture_on_commit_callbacks):
    login(client, themed.team.viewer)
    url = reverse("report_list", kwargs={"slug": themed.team.program.slug})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"kind": "infographic", "threshold": 5, "patterns": "on", "summary": "x"})
    report = Report.objects.get()
    assert report.status == ReportStatus.READY and report.requested_by == themed.team.viewer
    response = client.get(reverse("report_download", kwargs={"slug": themed.team.program.slug, "pk": report.pk}))
    assert response["Content-Type"] == "application/pdf" and b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action=AuditAction.DOWNLOAD_REPORT, actor=themed.team.viewer).exists()


def test_a_threshold_below_the_minimum_is_refused(client, themed):
    login(client, themed.team.lead)
    page = client.post(reverse("report_list", kwargs={"slug": themed.team.program.slug}),
                       {"kind": "thematic", "threshold": 2}).content.decode()
    assert "The threshold can be 5 or more, never less." in page and not Report.objects.exists()


@pytest.mark.parametrize("persona", ["facilitator", "analyst"])
def test_reports_are_for_leads_and_viewers(client, themed, persona):
    login(client, getattr(themed.team, persona))
    assert client.get(reverse("report_list", kwargs={"slug": themed.team.program.slug})).status_code == 403


def test_a_report_of_another_program_is_not_downloadable(client, themed, team):
    report = Report.objects.create(program=themed.team.program, kind=ReportKind.INFOGRAPHIC)
    render_report(report.pk)
    login(client, team.outsider)
    assert client.get(reverse("report_download", kwargs={"slug": "elsewhere", "pk": report.pk})).status_code == 404


@pytest.mark.redis
def test_a_report_renders_on_a_real_worker(themed, celery_worker_queue):
    report = Report.objects.create(program=themed.team.program, kind=ReportKind.INFOGRAPHIC)
    result = render_report_task.apply_async(args=[report.pk], queue=celery_worker_queue)
    assert result.get(timeout=120) == ReportStatus.READY
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and pdf_text(report).strip()
    assert app.conf.task_always_eager is False


def test_the_report_is_a_tagged_pdf_and_records_what_it_was_made_from(themed, tmp_path):
    report = Report.objects.create(program=themed.team.program, kind=ReportKind.THEMATIC)
    render_report(report.pk)
    report.refresh_from_db()
    path = tmp_path / "r.pdf"
    with report.file.open("rb") as handle:
        path.write_bytes(handle.read())
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info
    assert report.data_summary == {"students": "24", "sessions": 1, "themes": 1, "threshold": 5, "protocol_version": 1}


def test_the_action_plan_appears_in_the_report_and_the_slides(themed):
    from actions.models import Idea
    from actions.plan import action_from_idea

    idea = Idea.objects.create(program=themed.team.program, title="Open a quiet lunch room")
    idea.themes.add(Theme.objects.get())
    action_from_idea(idea, owner=themed.team.lead, kind="project")
    for kind in (ReportKind.THEMATIC, ReportKind.SLIDES):
        report = Report.objects.create(program=themed.team.program, kind=kind)
        render_report(report.pk)
        text = " ".join(pdf_text(Report.objects.get(pk=report.pk)).split())
        assert "Open a quiet lunch room" in text


def test_rendering_a_report_with_charts_prints_no_weasyprint_warnings(themed, caplog):
    import logging

    report = Report.objects.create(program=themed.team.program, kind=ReportKind.THEMATIC)
    render_report(report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and report.pages >= 1
    # WeasyPrint warned about every SVG property of every chart (dozens of lines at each seed_demo).
    assert not [r for r in caplog.records if r.name.startswith("weasyprint") and r.levelno >= logging.WARNING]
