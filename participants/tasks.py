from __future__ import annotations

from celery import shared_task

from participants.uploads import run_import


@shared_task(name="participants.import_roster_upload")
def import_roster_upload(upload_id: int) -> str:
    return run_import(upload_id).status
