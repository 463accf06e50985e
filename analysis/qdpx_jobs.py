"""A .qdpx import as background work: the upload kept through the storage API, read by a Celery task.

`start_import` keeps the uploaded file and a small JSON record beside it under JOB_FOLDER, and enqueues
`analysis.import_project` once the request's transaction commits. The task (`run_import`) reads the file
through the storage API, imports it in the language of the person who sent it, writes what came of it into
the record (the new program's short name, the counts, what was not imported, or the refusal) and deletes the
file at once, whatever happened. The status page reads the record only for the person who started the
import; a finished record is deleted once shown (the list of what was not imported may hold the names of the
other tool's cases), or after JOB_KEEP_HOURS by the next import, like every file left behind.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from dataclasses import asdict, dataclass, field

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from analysis.qdpx_import import ProjectRefused, import_project
from audit.log import record
from audit.models import AuditAction
from participants.models import School

JOB_FOLDER = "qdpx-imports"
JOB_KEEP_HOURS = 24
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
QUEUED, READY, FAILED = "queued", "ready", "failed"
SCHOOL_GONE = gettext_lazy("The school chosen for the project's students no longer exists. Import the project again.")


@dataclass
class ImportJob:
    token: str
    user_id: int
    file_name: str
    name: str
    school_id: int
    default_grade: int | None
    language: str
    created_at: str
    status: str = QUEUED
    error: str = ""
    program_slug: str = ""
    counts: dict = field(default_factory=dict)
    not_imported: list[str] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"{JOB_FOLDER}/{self.token}.qdpx"

    @property
    def meta_path(self) -> str:
        return f"{JOB_FOLDER}/{self.token}.json"

    @property
    def finished(self) -> bool:
        return self.status in (READY, FAILED)


def _save(job: ImportJob) -> None:
    if default_storage.exists(job.meta_path):
        default_storage.delete(job.meta_path)
    default_storage.save(job.meta_path, ContentFile(json.dumps(asdict(job)).encode()))


def _load(token: str) -> ImportJob | None:
    if not TOKEN.match(token or ""):
        return None
    meta = f"{JOB_FOLDER}/{token}.json"
    if not default_storage.exists(meta):
        return None
    with default_storage.open(meta, "rb") as stored:
        return ImportJob(**json.loads(stored.read()))


def start_import(*, upload: File, user, name: str, school: School, default_grade: int | None,
                 language: str) -> ImportJob:
    """Keep the upload and enqueue its import; the job's token names the status page."""
    from analysis.tasks import import_project_task

    discard_stale()
    job = ImportJob(token=secrets.token_urlsafe(16), user_id=user.pk,
                    file_name=(upload.name or "project.qdpx").replace("\\", "/").rsplit("/", 1)[-1][:200],
                    name=name, school_id=school.pk, default_grade=default_grade, language=language,
                    created_at=timezone.now().isoformat())
    upload.seek(0)
    default_storage.save(job.path, upload)
    _save(job)
    transaction.on_commit(lambda: import_project_task.delay(job.token))
    return job


def run_import(token: str) -> ImportJob | None:
    """The task's work: import the kept file, record the outcome, delete the file."""
    job = _load(token)
    if job is None or job.finished:
        return job
    user = get_user_model().objects.filter(pk=job.user_id).first()
    school = School.objects.filter(pk=job.school_id).first()
    with translation.override(job.language):
        try:
            if school is None or user is None:
                raise ProjectRefused(SCHOOL_GONE)
            with default_storage.open(job.path, "rb") as stored:
                content = stored.read()
            result = import_project(content=content, file_name=job.file_name, name=job.name, user=user, school=school,
                                    default_grade=job.default_grade)
        except ProjectRefused as refusal:
            job.status, job.error = FAILED, str(refusal)
        else:
            job.status, job.program_slug, job.not_imported = READY, result.program.slug, result.not_imported
            job.counts = {"sessions": result.sessions, "notes": result.notes, "students": result.students,
                          "codes": result.codes, "codings": result.codings, "themes": result.themes}
            record(action=AuditAction.IMPORT, actor=user, obj=result.program, program=result.program,
                   detail={"format": "qdpx", "file": job.file_name, **job.counts,
                           "not_imported": len(result.not_imported)})
        finally:
            if default_storage.exists(job.path):
                default_storage.delete(job.path)
    _save(job)
    return job


def job_for(*, token: str, user) -> ImportJob | None:
    """The job `token` when `user` started it; None otherwise (the page answers 404)."""
    job = _load(token)
    return job if job is not None and job.user_id == user.pk else None


def forget(job: ImportJob) -> None:
    for path in (job.path, job.meta_path):
        if default_storage.exists(path):
            default_storage.delete(path)


def discard_stale(*, now: dt.datetime | None = None) -> int:
    """Delete the files and records of imports older than JOB_KEEP_HOURS; how many files went."""
    now = now or timezone.now()
    try:
        _folders, files = default_storage.listdir(JOB_FOLDER)
    except (FileNotFoundError, NotImplementedError):
        return 0
    gone = 0
    for name in files:
        path = f"{JOB_FOLDER}/{name}"
        try:
            modified = default_storage.get_modified_time(path)
        except (FileNotFoundError, NotImplementedError):
            continue
        if now - modified > dt.timedelta(hours=JOB_KEEP_HOURS):
            default_storage.delete(path)
            gone += 1
    return gone
