"""Uploaded roster files hold every student's row. They are needed only until the import is done:
the nightly purge removes them UPLOAD_KEEP_DAYS after upload, and deleting a student removes every
finished one at once. The upload's record stays, with its counts, and its page says the file went."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from participants.models import RosterUpload

IN_USE = (RosterUpload.Status.CHECKING, RosterUpload.Status.IMPORTING)  # a task is reading the file


def removable(*, uploaded_before: dt.datetime | None = None, finished_only: bool = False) -> QuerySet[RosterUpload]:
    """Uploads whose file is still kept, leaving alone those being imported."""
    uploads = RosterUpload.objects.filter(file_removed_at__isnull=True).exclude(status__in=IN_USE)
    if uploaded_before is not None:
        uploads = uploads.filter(created_at__lt=uploaded_before)
    if finished_only:
        uploads = uploads.exclude(status=RosterUpload.Status.UPLOADED)
    return uploads


def old_uploads(now: dt.datetime | None = None) -> QuerySet[RosterUpload]:
    return removable(uploaded_before=(now or timezone.now()) - dt.timedelta(days=settings.UPLOAD_KEEP_DAYS))


def remove_upload_files(uploads: QuerySet[RosterUpload]) -> int:
    """Delete these uploads' files and their row errors (which quote cells); return how many."""
    removed = 0
    for upload in uploads:
        if upload.file:
            upload.file.delete(save=False)
        RosterUpload.objects.filter(pk=upload.pk).update(file="", errors=[], file_removed_at=timezone.now())
        removed += 1
    return removed


def remove_old_upload_files(now: dt.datetime | None = None) -> int:
    return remove_upload_files(old_uploads(now))
