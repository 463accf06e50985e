"""System checks for configuration mistakes that would otherwise surface as lost work."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.compatibility)
def check_celery_time_limits(app_configs, **kwargs):
    errors = []
    soft, hard = settings.CELERY_TASK_SOFT_TIME_LIMIT, settings.CELERY_TASK_TIME_LIMIT
    if soft >= hard:
        errors.append(
            Error(
                "CELERY_TASK_SOFT_TIME_LIMIT must be below CELERY_TASK_TIME_LIMIT.",
                hint="The soft limit lets a task record its failure before the hard limit kills it.",
                id="empathy.E001",
            )
        )
    if hard >= settings.CELERY_BROKER_VISIBILITY_TIMEOUT:
        errors.append(
            Error(
                "CELERY_TASK_TIME_LIMIT must be below CELERY_BROKER_VISIBILITY_TIMEOUT.",
                hint="Otherwise Redis hands a still-running task to a second worker.",
                id="empathy.E002",
            )
        )
    return errors
