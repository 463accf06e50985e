"""The report task: a thin shell over reports.render, safe to deliver twice and to kill midway."""

from __future__ import annotations

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.models import Report
from reports.render import mark_failed, render_report, report_language

TRANSIENT = (OSError, DatabaseError)
TOO_LONG = gettext_lazy("Rendering took too long. Try fewer themes, or ask IT to raise CELERY_TASK_SOFT_TIME_LIMIT.")


@shared_task(
    bind=True, name="reports.render", acks_late=True, reject_on_worker_lost=True,
    max_retries=settings.REPORT_MAX_RETRIES, default_retry_delay=5,
)
def render_report_task(self, report_id: int) -> str:
    try:
        return render_report(report_id).status
    except SoftTimeLimitExceeded:
        with _speaking_for(report_id):
            mark_failed(report_id, str(TOO_LONG))
        raise
    except TRANSIENT as exc:
        if self.request.retries >= self.max_retries:
            with _speaking_for(report_id):
                mark_failed(report_id, _("Rendering failed after %(tries)d tries: %(error)s") % {
                    "tries": self.request.retries + 1, "error": exc})
            raise
        countdown = min(settings.REPORT_RETRY_BACKOFF_MAX_SECONDS, 5 * 2 ** self.request.retries)
        raise self.retry(exc=exc, countdown=countdown) from exc
    except Exception as exc:
        with _speaking_for(report_id):
            mark_failed(report_id, _("Rendering failed: %(error)s") % {"error": exc})
        raise


def _speaking_for(report_id: int):
    """The report's language, for the reason a failure writes on it (English when the row cannot be read)."""
    try:
        return translation.override(report_language(Report.objects.select_related("program").get(pk=report_id)))
    except Exception:  # noqa: BLE001 - the database may be what failed
        return translation.override(settings.LANGUAGE_CODE)


def enqueue(report_id: int) -> None:
    """Send the task once the report row is committed. In laptop mode the task runs right here;
    a failure is already written on the report, so it must not break the page that asked."""
    import logging

    from django.db import transaction

    def send() -> None:
        try:
            render_report_task.delay(report_id)
        except Exception:
            if not render_report_task.app.conf.task_always_eager:
                raise
            logging.getLogger("empathy").exception("Report %s failed to render in-process", report_id)

    transaction.on_commit(send)
