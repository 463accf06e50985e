"""The .qdpx import as a task: the upload kept through the storage API and deleted once read, a rerun of a
finished job changes nothing, and files left behind go after JOB_KEEP_HOURS."""

from __future__ import annotations

import datetime as dt

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from analysis.qdpx_jobs import FAILED, JOB_KEEP_HOURS, READY, discard_stale, run_import, start_import
from programs.models import Program
from tests.analysis.qdpx_helpers import qdpx
from tests.factories import SchoolFactory

TINY = ('<Project xmlns="urn:QDA-XML:project:1.0" name="p"><Sources><TextSource guid="0a1b2c3d-0000-4000-8000-'
        '00000000000a" name="One"><PlainTextContent>Words.</PlainTextContent></TextSource></Sources></Project>')


def _start(team, content: bytes, name: str = "From a task"):
    return start_import(upload=SimpleUploadedFile("p.qdpx", content), user=team.lead, name=name,
                        school=SchoolFactory(), default_grade=None, language="en")


def test_the_task_imports_the_kept_file_then_deletes_it(team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = _start(team, qdpx(TINY))
    assert default_storage.exists(job.path) and len(callbacks) == 1
    done = run_import(job.token)
    assert done.status == READY and Program.objects.get(slug=done.program_slug).name == "From a task"
    assert done.counts["notes"] == 1 and not default_storage.exists(job.path)


def test_a_rerun_of_a_finished_job_changes_nothing(team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = _start(team, qdpx(TINY))
    assert run_import(job.token).status == READY
    assert Program.objects.filter(name="From a task").count() == 1


def test_a_refused_file_is_recorded_as_failed_and_deleted(team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = _start(team, b"no zip")
    again = run_import(job.token)
    assert again.status == FAILED and "zip" in again.error and not default_storage.exists(job.path)


def test_files_left_behind_go_after_the_keep_time(team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = _start(team, qdpx(TINY))
    assert discard_stale() == 0
    later = timezone.now() + dt.timedelta(hours=JOB_KEEP_HOURS + 1)
    assert discard_stale(now=later) >= 2
    assert not default_storage.exists(job.path) and not default_storage.exists(job.meta_path)
    assert run_import(job.token) is None
