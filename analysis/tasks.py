from __future__ import annotations

from celery import shared_task

from analysis.suggestions import compute


@shared_task(name="analysis.compute_suggestions")
def compute_suggestions(run_id: int) -> str:
    return compute(run_id).status
