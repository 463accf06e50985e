"""Connection reuse (issue 21): on PostgreSQL a worker keeps its connection for a minute (DB_CONN_MAX_AGE)
and checks it before reuse, so a restarted server costs one failed request, not one per worker; SQLite opens
its file per request. The hot paths' statements are prepared on each connection unless DB_PREPARED_STATEMENTS
is off (toolkit/sql_rows.execute; tests/toolkit/test_prepared_statements.py)."""

from __future__ import annotations

import json

from tests.empathy.test_settings import run_python

READ = """
import json, django
django.setup()
from django.conf import settings
database = settings.DATABASES["default"]
print(json.dumps({"max_age": database["CONN_MAX_AGE"], "health_checks": database.get("CONN_HEALTH_CHECKS", False),
                  "prepared": settings.DB_PREPARED_STATEMENTS}))
"""


def read(**env: str) -> dict:
    result = run_python(READ, DJANGO_SETTINGS_MODULE="empathy.settings", SECRET_KEY="k" * 60, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_postgresql_keeps_and_checks_its_connection():
    assert read(DATABASE_URL="postgres://u:p@db.example:5432/empathy") == {"max_age": 60, "health_checks": True,
                                                                          "prepared": True}
    assert read(DATABASE_URL="postgres://u:p@db.example:5432/empathy", DB_CONN_MAX_AGE="300")["max_age"] == 300


def test_sqlite_opens_its_file_per_request():
    assert read(DATABASE_URL="sqlite:////tmp/empathy-test.sqlite3")["max_age"] == 0


def test_prepared_statements_can_be_turned_off_for_a_pooler_in_transaction_mode():
    assert read(DATABASE_URL="postgres://u:p@db.example:5432/empathy", DB_PREPARED_STATEMENTS="false")["prepared"] is False
