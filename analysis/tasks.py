from __future__ import annotations

from celery import shared_task

from analysis.suggestions import compute


@shared_task(name="analysis.compute_suggestions")
def compute_suggestions(run_id: int) -> str:
    return compute(run_id).status


@shared_task(name="analysis.send_action_digests")
def send_action_digests() -> int:
    from django.utils import timezone

    from analysis.actions import send_digests

    return send_digests(timezone.localdate()).sent
