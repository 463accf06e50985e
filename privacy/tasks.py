"""The nightly retention purge (see CELERY_BEAT_SCHEDULE): a thin shell over privacy.retention."""

from __future__ import annotations

from celery import shared_task

from privacy.retention import purge_expired
from privacy.upload_files import remove_old_upload_files


@shared_task(name="privacy.purge_expired", acks_late=True)
def purge_expired_task() -> dict:
    files = remove_old_upload_files()
    purged, failed = purge_expired()
    if failed:
        raise RuntimeError("Retention purge failed for " + ", ".join(p.slug for p, _why in failed))
    return {"purged": [p.program.slug for p in purged], "upload_files_removed": files}
