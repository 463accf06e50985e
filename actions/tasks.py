from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from actions.plan import send_digests


@shared_task(name="actions.send_action_digests")
def send_action_digests() -> int:
    return send_digests(timezone.localdate()).sent
