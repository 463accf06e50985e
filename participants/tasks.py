from __future__ import annotations

from celery import shared_task

from participants.uploads import run_check, run_import


@shared_task(name="participants.import_roster_upload")
def import_roster_upload(upload_id: int) -> str:
    return run_import(upload_id).status


@shared_task(name="participants.check_roster_upload")
def check_roster_upload(upload_id: int) -> str:
    """Check every row of a stored upload under its (changed) mapping; the page shows the result."""
    return run_check(upload_id).status
