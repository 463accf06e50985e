from __future__ import annotations

import pytest

from empathy.celery import app
from empathy.tasks import health


def test_health_task_runs_eagerly_without_a_broker(db):
    assert app.conf.task_always_eager is True
    result = health.delay()
    assert result.get(timeout=5)["status"] == "ok"


@pytest.mark.redis
def test_health_task_runs_on_a_real_worker_through_redis(celery_worker_queue):
    result = health.apply_async(queue=celery_worker_queue)
    answer = result.get(timeout=90)
    assert answer["status"] == "ok"
    assert answer["worker"]


def test_healthz_answers(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}
