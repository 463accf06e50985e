from __future__ import annotations

from celery import shared_task

from analysis.assistant import retrain
from analysis.qdpx_jobs import run_import
from analysis.suggestions import compute


@shared_task(name="analysis.import_project", acks_late=True)
def import_project_task(token: str) -> str:
    """Import the .qdpx kept for the job `token` into a new program (analysis/qdpx_jobs.py)."""
    job = run_import(token)
    return job.status if job else ""


@shared_task(name="analysis.compute_suggestions")
def compute_suggestions(run_id: int) -> str:
    return compute(run_id).status


@shared_task(name="analysis.retrain_assistant")
def retrain_assistant(program_id: int) -> str:
    """Teach the coding assistant the program's coding as it is now, then refresh its proposals."""
    model = retrain(program_id=program_id)
    return model.status if model else ""
