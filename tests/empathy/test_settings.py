"""Settings come from the environment: each case imports the real settings in a fresh process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_DIR

READ_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
from empathy.celery import app
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "name": str(settings.DATABASES["default"]["NAME"]),
    "host": settings.DATABASES["default"].get("HOST", ""),
    "debug": settings.DEBUG,
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": app.conf.broker_url,
    "cache": settings.CACHES["default"]["BACKEND"],
    "email": settings.EMAIL_BACKEND,
    "acks_late": app.conf.task_acks_late,
    "reject_on_worker_lost": app.conf.task_reject_on_worker_lost,
    "prefetch": app.conf.worker_prefetch_multiplier,
    "serializer": app.conf.task_serializer,
    "accept": app.conf.accept_content,
    "soft_limit": app.conf.task_soft_time_limit,
    "hard_limit": app.conf.task_time_limit,
    "visibility": app.conf.broker_transport_options["visibility_timeout"],
    "idle_minutes": settings.SESSION_IDLE_TIMEOUT_MINUTES,
}))
"""

CONTROLLED = (
    "DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_BACKEND", "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests for their own process only
)
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k3y-" + "x9Qz" * 16,
    "ALLOWED_HOSTS": "empathy.district.example",
}


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    clean["DJANGO_SETTINGS_MODULE"] = "empathy.settings"
    return subprocess.run([sys.executable, "-c", code], cwd=PROJECT_DIR, env={**clean, **env},
                          capture_output=True, text=True, timeout=60)


def read_settings(**env: str) -> dict:
    result = run_python(READ_SETTINGS, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_defaults_use_sqlite_in_the_project_folder_and_eager_celery():
    values = read_settings(DEBUG="true")
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(PROJECT_DIR / "db.sqlite3")
    assert values["eager"] is True
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"
    assert values["cache"] == "django.core.cache.backends.db.DatabaseCache"


def test_database_url_selects_postgresql():
    values = read_settings(DEBUG="true", DATABASE_URL="postgres://empathy:secret@db.internal:5432/empathy")
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "empathy"
    assert values["host"] == "db.internal"


def test_redis_url_turns_on_the_broker_and_turns_off_eager_mode():
    values = read_settings(DEBUG="true", REDIS_URL="redis://127.0.0.1:6390/3")
    assert values["eager"] is False
    assert values["broker"] == "redis://127.0.0.1:6390/3"
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"


def test_celery_is_configured_never_to_lose_a_task():
    values = read_settings(DEBUG="true")
    assert values["acks_late"] is True
    assert values["reject_on_worker_lost"] is True
    assert values["prefetch"] == 1
    assert values["serializer"] == "json" and values["accept"] == ["json"]
    assert values["soft_limit"] < values["hard_limit"] < values["visibility"]


def test_secret_key_is_required_when_debug_is_off():
    result = run_python(READ_SETTINGS, DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr


def test_a_misspelt_boolean_fails_loudly():
    result = run_python(READ_SETTINGS, DEBUG="ture")
    assert result.returncode != 0
    assert "DEBUG='ture' is not a boolean" in result.stderr


def test_allowed_hosts_and_idle_timeout_come_from_the_environment():
    values = read_settings(**{**PRODUCTION, "ALLOWED_HOSTS": "a.example, b.example", "SESSION_IDLE_TIMEOUT_MINUTES": "15"})
    assert values["debug"] is False
    assert values["allowed_hosts"] == ["a.example", "b.example"]
    assert values["idle_minutes"] == 15


def test_check_deploy_is_clean_with_production_values():
    clean = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_DIR, env={**clean, **PRODUCTION}, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout


@pytest.mark.parametrize(("soft", "hard", "code"), [("300", "300", "empathy.E001"), ("100", "4000", "empathy.E002")])
def test_unsafe_celery_time_limits_fail_the_system_check(soft, hard, code):
    clean = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=PROJECT_DIR,
        env={**clean, "DEBUG": "true", "CELERY_TASK_SOFT_TIME_LIMIT": soft, "CELERY_TASK_TIME_LIMIT": hard},
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    assert code in result.stderr
