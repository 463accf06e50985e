"""Retention: past its date a program's student-level data is removed and a deletion record says what."""

from __future__ import annotations

import datetime as dt
import io
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from analysis.codebook import usage_counts
from analysis.coding import apply_code
from audit.models import AuditAction, AuditEvent, DeletionRecord
from empathy.celery import app
from interviews.followups import make_slips
from interviews.models import FollowUpLink, Note, NoteRevision
from privacy import retention
from privacy.tasks import purge_expired_task
from recruitment.models import Invitation
from reports.models import Report, ReportKind, ReportStatus
from reports.render import render_report
from tests.test_helpers import login


def _end(program, ends_on, retention_until=None):
    program.starts_on, program.ends_on, program.retention_until = ends_on - dt.timedelta(days=90), ends_on, retention_until
    program.save()


def test_the_default_retention_date_is_a_named_time_after_the_end(team, settings):
    settings.RETENTION_DAYS_AFTER_END = 365
    _end(team.program, dt.date(2026, 6, 30))
    assert team.program.keep_until == dt.date(2027, 6, 30)
    team.program.retention_until = dt.date(2026, 12, 31)
    assert team.program.keep_until == dt.date(2026, 12, 31)


def test_a_retention_date_before_the_end_is_refused(team):
    _end(team.program, dt.date(2026, 6, 30))
    team.program.retention_until = dt.date(2026, 6, 1)
    with pytest.raises(ValidationError, match="kept at least until the program ends"):
        team.program.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        team.program.save()


def test_the_lead_sets_the_retention_date_on_the_program_form(client, team, settings):
    settings.RETENTION_DAYS_AFTER_END = 200
    login(client, team.lead)
    url = reverse("program_edit", args=[team.program.slug])
    assert "Leave empty for 200 days after the end date." in client.get(url).content.decode()
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    # Dates relative to today, so the test does not start failing when a fixed date passes.
    today = timezone.localdate()
    starts, ends, keep = today - dt.timedelta(days=30), today + dt.timedelta(days=60), today + dt.timedelta(days=400)
    data.update(schools=[], retention_until=(ends - dt.timedelta(days=1)).isoformat(), starts_on=starts.isoformat(),
                ends_on=ends.isoformat())
    response = client.post(url, data)
    assert response.status_code == 200 and "kept at least until the program ends" in response.content.decode()
    data["retention_until"] = keep.isoformat()
    assert client.post(url, data).status_code == 302
    team.program.refresh_from_db()
    assert team.program.retention_until == keep
    page = client.get(reverse("program_dashboard", args=[team.program.slug])).content.decode()
    assert "Student data kept until" in page and f"{keep:%b} {keep.day}, {keep.year}" in page


def test_which_programs_have_expired(team, settings):
    settings.RETENTION_DAYS_AFTER_END = 30
    _end(team.program, dt.date(2026, 1, 31))
    assert list(retention.expired_programs(dt.date(2026, 3, 2))) == []  # the default date is March 2
    assert list(retention.expired_programs(dt.date(2026, 3, 3))) == [team.program]
    _end(team.program, dt.date(2026, 1, 31), retention_until=dt.date(2026, 12, 31))
    assert list(retention.expired_programs(dt.date(2026, 12, 31))) == []
    assert list(retention.expired_programs(dt.date(2027, 1, 1))) == [team.program]


def test_purging_removes_student_level_data_and_records_it(coded, tmp_path, settings):
    settings.RETENTION_GRACE_DAYS = 0  # the grace period has its own tests (test_retention_grace.py)
    program = coded.team.program
    _end(program, dt.date(2025, 6, 30), retention_until=dt.date(2025, 12, 31))
    coded.session.participants.add(*coded.students)
    NoteRevision.objects.create(note=coded.notes[0], version=1, text="draft")
    apply_code(note=coded.notes[0], code=coded.codes["Noise"], coder=coded.team.analyst, start=0, end=9)
    make_slips(coded.session, user=coded.team.lead)
    counts = usage_counts(program)
    report = Report.objects.create(program=program, kind=ReportKind.THEMATIC)
    render_report(report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.READY
    report_bytes = report.file.read()

    out = io.StringIO()
    call_command("purge_expired", "--today", "2026-01-01", stdout=out)

    assert "Purged belonging-pilot" in out.getvalue() and "24 notes emptied" in out.getvalue()
    assert not Note.objects.filter(session__program=program).exclude(text="").exists()
    assert not Note.objects.filter(session__program=program, student__isnull=False).exists()
    assert not NoteRevision.objects.exists() and not Invitation.objects.filter(program=program).exists()
    assert not FollowUpLink.objects.exists() and coded.session.participants.count() == 0
    assert usage_counts(program) == counts  # counts in past analyses stay
    program.refresh_from_db()
    assert program.purged_at is not None
    deletion = DeletionRecord.objects.get(reason=DeletionRecord.Reason.RETENTION)
    assert deletion.program_slug == program.slug and deletion.removed["notes_emptied"] == 24
    assert deletion.removed["consent_records"] == 24 and deletion.removed["retention_date"] == "2025-12-31"
    event = AuditEvent.objects.get(action=AuditAction.PURGE)
    assert event.actor is None and event.program_slug == program.slug
    # The report already made stays as it was, and it carries no name.
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and report.file.read() == report_bytes
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(report_bytes)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for student in coded.students:
        assert student.last_name not in text and student.local_id not in text


def test_purging_twice_does_nothing_the_second_time(coded, settings):
    settings.RETENTION_GRACE_DAYS = 0
    _end(coded.team.program, dt.date(2025, 6, 30), retention_until=dt.date(2025, 12, 31))
    first, _ = retention.purge_expired(dt.date(2026, 1, 1))
    second, _ = retention.purge_expired(dt.date(2026, 1, 2))
    assert len(first) == 1 and second == []
    assert DeletionRecord.objects.count() == 1


def test_a_program_not_yet_expired_is_untouched(coded):
    _end(coded.team.program, dt.date(2026, 6, 30), retention_until=dt.date(2027, 6, 30))
    purged, failed = retention.purge_expired(dt.date(2026, 12, 1))
    assert purged == [] and failed == []
    assert Note.objects.exclude(text="").count() == 24


def test_dry_run_says_what_would_go_and_removes_nothing(coded):
    _end(coded.team.program, dt.date(2025, 6, 30), retention_until=dt.date(2025, 12, 31))
    out = io.StringIO()
    call_command("purge_expired", "--dry-run", "--today", "2026-01-01", stdout=out)
    assert "Would purge belonging-pilot" in out.getvalue() and "24 notes with words" in out.getvalue()
    assert Note.objects.exclude(text="").count() == 24 and not DeletionRecord.objects.exists()


def test_one_failing_program_does_not_stop_the_others(coded, team, monkeypatch, settings):
    from tests.factories import ProgramFactory

    settings.RETENTION_GRACE_DAYS = 0
    broken = ProgramFactory(slug="broken", starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2024, 6, 1),
                            retention_until=dt.date(2024, 7, 1))
    _end(coded.team.program, dt.date(2025, 6, 30), retention_until=dt.date(2025, 12, 31))
    real = retention.erase_notes

    def erase_notes(notes):
        if notes.filter(session__program=broken).exists() or not notes.exists():
            raise RuntimeError("disk full")
        return real(notes)

    monkeypatch.setattr(retention, "erase_notes", erase_notes)
    with pytest.raises(CommandError, match="broken: disk full"):
        call_command("purge_expired", "--today", "2026-01-01", stdout=io.StringIO())
    coded.team.program.refresh_from_db()
    broken.refresh_from_db()
    assert coded.team.program.purged_at is not None and broken.purged_at is None


def test_the_purge_is_a_nightly_beat_task(coded, settings):
    settings.RETENTION_GRACE_DAYS = 0
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "privacy.purge_expired" in schedule and "privacy.purge_expired" in app.tasks
    _end(coded.team.program, dt.date(2020, 6, 30), retention_until=dt.date(2020, 12, 31))
    assert purge_expired_task.delay().get() == {"purged": [coded.team.program.slug], "upload_files_removed": 0}


def _upload(name: str, status, days_ago: int, tmp_media):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from participants.models import RosterUpload

    upload = RosterUpload.objects.create(original_name=name, status=status, row_count=1,
                                         errors=[{"row": 2, "message": "“Ana Lopez” ..."}])
    upload.file.save(name, ContentFile(b"Student ID,First Name\nN1,Ana\n"))
    RosterUpload.objects.filter(pk=upload.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
    upload.refresh_from_db()
    return upload


def test_uploaded_roster_files_are_removed_after_the_keep_days(db, settings, tmp_path, client):
    from django.contrib.auth.models import Permission
    from django.core.files.storage import default_storage

    from participants.models import RosterUpload
    from tests.factories import UserFactory

    settings.MEDIA_ROOT, settings.UPLOAD_KEEP_DAYS = tmp_path, 30
    old = _upload("old.csv", RosterUpload.Status.IMPORTED, 31, tmp_path)
    abandoned = _upload("abandoned.csv", RosterUpload.Status.UPLOADED, 40, tmp_path)
    recent = _upload("recent.csv", RosterUpload.Status.IMPORTED, 3, tmp_path)
    importing = _upload("importing.csv", RosterUpload.Status.IMPORTING, 90, tmp_path)
    checking = _upload("checking.csv", RosterUpload.Status.CHECKING, 90, tmp_path)  # a task is reading it
    old_name = old.file.name
    dry = io.StringIO()
    call_command("purge_expired", "--dry-run", stdout=dry)
    assert "2 uploaded roster file(s) older than 30 days would be removed." in dry.getvalue()
    assert default_storage.exists(old_name)
    out = io.StringIO()
    call_command("purge_expired", stdout=out)
    assert "2 uploaded roster file(s) older than 30 days removed." in out.getvalue()
    for upload in (old, abandoned, recent, importing, checking):
        upload.refresh_from_db()
    assert not checking.file_removed_at
    assert not default_storage.exists(old_name) and old.file.name == "" and old.errors == [] and old.file_removed_at
    assert abandoned.file_removed_at and not recent.file_removed_at and not importing.file_removed_at
    assert recent.file and default_storage.exists(recent.file.name)
    # Its page says what happened instead of failing on the missing file.
    user = UserFactory()
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_student", "add_student"]))
    login(client, user)
    page = client.get(reverse("roster_import", args=[old.pk])).content.decode()
    assert "The file was removed on" in page
