"""The hot paths' statements are prepared once per PostgreSQL connection (toolkit/sql_rows.execute), and
give what the same statement gives unprepared: on a new connection they are prepared again, a rollback keeps
them, the query log shows the statement, and with DB_PREPARED_STATEMENTS off nothing is prepared."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.factories import ProgramFactory
from toolkit import sql_rows

pytestmark = pytest.mark.django_db

STATEMENT = 'SELECT "slug", "name" FROM "interviews_program" WHERE "id" = %s AND "slug" LIKE %s'


def prepared_here() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def run(statement: str, params: list):
    with connection.cursor() as cursor:
        sql_rows.execute(cursor, statement, params)
        return cursor.fetchall()


def test_placeholders_are_numbered_and_a_literal_percent_kept():
    assert sql_rows.numbered("SELECT %s, %s WHERE a LIKE '5%%' AND b = %s") == "SELECT $1, $2 WHERE a LIKE '5%' AND b = $3"
    assert sql_rows.numbered("SELECT 1") == "SELECT 1"
    with pytest.raises(ValueError, match="lone %"):
        sql_rows.numbered("SELECT 5 % 2")


@pytest.mark.postgres
def test_a_statement_is_prepared_once_a_connection_and_answers_as_unprepared():
    program = ProgramFactory()
    pattern = program.slug[:2] + "%"
    with connection.cursor() as cursor:
        cursor.execute(STATEMENT, [program.pk, pattern])
        unprepared = cursor.fetchall()
    with CaptureQueriesContext(connection) as queries:
        first = run(STATEMENT, [program.pk, pattern])
        second = run(STATEMENT, [program.pk, pattern])
    assert first == second == unprepared == [(program.slug, program.name)]
    assert run(STATEMENT, [program.pk + 1, pattern]) == []
    # Two queries, not three: the PREPARE is not a query of the caller's. Each says what it ran.
    assert len(queries.captured_queries) == 2
    assert all(query["sql"].startswith("EXECUTE hot_path_") and STATEMENT in query["sql"] for query in queries.captured_queries)
    assert sum(sql_rows.numbered(STATEMENT) in text for text in prepared_here()) == 1


@pytest.mark.postgres
def test_a_rolled_back_transaction_keeps_the_prepared_statement():
    program = ProgramFactory()
    other = 'SELECT "name" FROM "interviews_program" WHERE "id" = %s'
    with pytest.raises(RuntimeError), transaction.atomic():
        assert run(other, [program.pk]) == [(program.name,)]
        raise RuntimeError("the request failed")
    assert run(other, [program.pk]) == [(program.name,)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_new_connection_prepares_again():
    program = ProgramFactory()
    statement = 'SELECT "id" FROM "interviews_program" WHERE "slug" = %s'
    assert run(statement, [program.slug]) == [(program.pk,)]
    old = connection.connection
    connection.close()  # as when CONN_MAX_AGE ends a connection: the next cursor opens a new one
    assert run(statement, [program.slug]) == [(program.pk,)]
    assert connection.connection is not old
    assert sum(sql_rows.numbered(statement) in text for text in prepared_here()) == 1


def test_on_sqlite_or_with_prepared_statements_off_the_statement_runs_as_it_is(settings):
    settings.DB_PREPARED_STATEMENTS = False
    program = ProgramFactory()
    statement = 'SELECT "name" FROM "interviews_program" WHERE "id" = %s AND 2 = 2'
    with CaptureQueriesContext(connection) as queries:
        assert run(statement, [program.pk]) == [(program.name,)]
    assert queries.captured_queries[0]["sql"].startswith('SELECT "name"')
    settings.DB_PREPARED_STATEMENTS = True
    if connection.vendor == "sqlite":  # SQLite's driver keeps its statements compiled: nothing to prepare
        with CaptureQueriesContext(connection) as queries:
            assert run(statement, [program.pk]) == [(program.name,)]
        assert queries.captured_queries[0]["sql"].startswith('SELECT "name"')
    else:
        assert not any(sql_rows.numbered(statement) in text for text in prepared_here())


@pytest.mark.postgres
def test_past_the_limit_a_connection_runs_statements_unprepared(monkeypatch):
    program = ProgramFactory()
    run('SELECT "name" FROM "interviews_program" WHERE "id" = %s AND 3 = 3', [program.pk])
    monkeypatch.setattr(sql_rows, "MAX_PREPARED", len(sql_rows._prepared[connection.connection]))
    statement = 'SELECT "name" FROM "interviews_program" WHERE "id" = %s AND 4 = 4'
    assert run(statement, [program.pk]) == [(program.name,)]
    assert not any(sql_rows.numbered(statement) in text for text in prepared_here())
