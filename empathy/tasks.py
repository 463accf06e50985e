from __future__ import annotations

import socket

from celery import shared_task
from django.db import connection


@shared_task(name="empathy.health")
def health() -> dict[str, str]:
    """Prove that a worker can take a job and reach the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (one,) = cursor.fetchone()
    return {"status": "ok" if one == 1 else "database-error", "worker": socket.gethostname(), "database": connection.vendor}
