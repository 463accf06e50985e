"""When the coding assistant learns again: the one hook every change to a program's coding calls.

`schedule_retraining` is called by analysis/coding.py (apply_code, remove_coding, undo_last) and by the
assistant's own accept and reject; code that writes or deletes codings in bulk calls it once per change. It
is cheap on purpose, because it sits on the coding write path: one query (is a training already queued for
the program and not yet started?) and, at most once per debounce window, one insert and a Celery message
sent after the transaction commits. A training that has started has read its data (its `trained_at` is set
when it does), so a change made while it runs queues the next one. Nothing is kept in process memory: the
queued AssistantModel row is the debounce.

Without a worker (no REDIS_URL: Celery runs tasks inside the caller, the one-laptop default), a task sent from
the coding request would train inside that request. There `ASSISTANT_TRAINS_ON_PAGE_VIEW` is on: coding only
queues the row, and the next view of the workbench or the agreement page trains (`train_if_queued`), so coding
stays as fast as on a district's servers and a training costs one page view at most once per queued change."""

from __future__ import annotations

import datetime as dt
from functools import cache

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from analysis.models import AssistantModel
from toolkit import sql_rows

# The task waits this long after the first change, so a person coding note after note causes one training.
RETRAIN_DELAY_SECONDS = 30
# A queued training older than this is taken as lost (its worker died before starting) and queued again.
QUEUED_STALE_AFTER = dt.timedelta(minutes=15)


def queued_training(program_id: int):
    return AssistantModel.objects.filter(program_id=program_id, status=AssistantModel.Status.TRAINING,
                                         trained_at__isnull=True,
                                         requested_at__gte=timezone.now() - QUEUED_STALE_AFTER)


@cache
def _queued_statement(vendor: str) -> str:
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        return quote(AssistantModel._meta.get_field(name).column)

    return (f"SELECT 1 FROM {quote(AssistantModel._meta.db_table)} WHERE {column('program')} = %s "
            f"AND {column('status')} = %s AND {column('trained_at')} IS NULL AND {column('requested_at')} >= %s LIMIT 1")


def _queued_params(program_id: int) -> list:
    since = AssistantModel._meta.get_field("requested_at").get_db_prep_value(timezone.now() - QUEUED_STALE_AFTER,
                                                                             connection)
    return [program_id, AssistantModel.Status.TRAINING.value, since]


def training_queued(program_id: int) -> bool:
    """queued_training(program_id).exists() in plain SQL made once per process: asked on every coding."""
    with connection.cursor() as cursor:
        sql_rows.execute(cursor, _queued_statement(connection.vendor), _queued_params(program_id))
        return cursor.fetchone() is not None


def training_queued_expression(program_id: int) -> tuple[str, list]:
    """training_queued(program_id) as an SQL expression and its parameters, for a statement that has one
    more question to ask (a coding's INSERT asks it in its RETURNING)."""
    return f"EXISTS({_queued_statement(connection.vendor)})", _queued_params(program_id)


def schedule_retraining(*, program_id: int, queued: bool | None = None) -> None:
    """Queue a training unless one is queued; `queued` is the answer to that question when the caller has
    it already (asked in its own statement a moment ago), else it is asked here."""
    if training_queued(program_id) if queued is None else queued:
        return
    AssistantModel.objects.create(program_id=program_id)
    if settings.ASSISTANT_TRAINS_ON_PAGE_VIEW:
        return
    from analysis.tasks import retrain_assistant  # tasks import the domain modules that import this one

    transaction.on_commit(lambda: retrain_assistant.apply_async((program_id,), countdown=RETRAIN_DELAY_SECONDS))


def train_if_queued(*, program_id: int) -> None:
    """Without a worker: run the training a coding change queued (one query when there is none)."""
    if not settings.ASSISTANT_TRAINS_ON_PAGE_VIEW or not training_queued(program_id):
        return
    from analysis.tasks import retrain_assistant

    retrain_assistant.delay(program_id)
