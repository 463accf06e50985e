from __future__ import annotations

import logging

from django.apps import AppConfig
from django.conf import settings

logger = logging.getLogger("empathy")


class EmpathyConfig(AppConfig):
    name = "empathy"
    verbose_name = "Empathy interviews"

    def ready(self) -> None:
        from empathy import checks  # noqa: F401  (registers system checks)

        if settings.CELERY_TASK_ALWAYS_EAGER:
            logger.info("Background jobs: no REDIS_URL set, so Celery tasks run in-process (eager).")
        else:
            logger.info("Background jobs: Celery sends tasks to the Redis broker; start a worker.")
