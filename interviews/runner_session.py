"""The session a runner request is about, read in one statement of plain SQL.

Every note save and every poll of the runner starts here: the session with its protocol and program (as
`select_related` gives them), the person's role in the program and, for a poll, the count and latest change
of the session's notes (from the (session, updated_at) index). Built with the ORM, the same query cost more
Python than the rest of a note save together (about 0.9 of 1.5 ms in the view); here the statement is made
once per process and the rows are turned into model instances with the fields' own converters, as the ORM
does. Who may use what it returns is decided by the caller (interviews/views/runner.py), with the same
rules as programs.access.
"""

from __future__ import annotations

from functools import cache

from django.db import connection

from interviews.models import Note, Protocol, Session
from programs.models import Membership, Program
from toolkit.sql_rows import columns as model_columns
from toolkit.sql_rows import converted, instance

_JOINED = ((Session, "s"), (Protocol, "p"), (Program, "g"))


def _column(model, name: str, alias: str = "") -> str:
    quoted = connection.ops.quote_name(model._meta.get_field(name).column)
    return f"{alias}.{quoted}" if alias else quoted


@cache
def _statement(vendor: str, version: bool) -> str:
    quote = connection.ops.quote_name
    columns = [column for model, alias in _JOINED for column in model_columns(model, alias)]
    columns.append(f"(SELECT {_column(Membership, 'role', 'm')} FROM {quote(Membership._meta.db_table)} m "
                   f"WHERE {_column(Membership, 'program', 'm')} = {_column(Session, 'program', 's')} "
                   f"AND {_column(Membership, 'user', 'm')} = %s)")
    if version:
        notes = f"FROM {quote(Note._meta.db_table)} n WHERE {_column(Note, 'session', 'n')} = {_column(Session, 'id', 's')}"
        columns += [f"(SELECT COUNT(*) {notes})", f"(SELECT MAX({_column(Note, 'updated_at', 'n')}) {notes})"]
    return (f"SELECT {', '.join(columns)} FROM {quote(Session._meta.db_table)} s "
            f"INNER JOIN {quote(Protocol._meta.db_table)} p ON {_column(Protocol, 'id', 'p')} = {_column(Session, 'protocol', 's')} "
            f"INNER JOIN {quote(Program._meta.db_table)} g ON {_column(Program, 'id', 'g')} = {_column(Session, 'program', 's')} "
            f"WHERE {_column(Session, 'id', 's')} = %s AND {_column(Program, 'slug', 'g')} = %s")


def runner_session(*, user_id: int, slug: str, pk: int, version: bool = False) -> Session | None:
    """Session `pk` if it belongs to program `slug` and has a protocol, with `protocol` and `program` loaded,
    `role` (the person's role in the program, None off its team) and, with `version`, `notes_count` and
    `notes_latest`; None when there is no such session."""
    if not -(2**63) <= pk < 2**63:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_statement(connection.vendor, version), [user_id, pk, slug])
        row = cursor.fetchone()
    if row is None:
        return None
    values = iter(row)
    loaded = {alias: instance(model, alias, values) for model, alias in _JOINED}
    session = loaded["s"]
    session.protocol, session.program = loaded["p"], loaded["g"]
    session.role = next(values)
    if version:
        session.notes_count = next(values) or 0
        session.notes_latest = converted(Note, "updated_at", "n", next(values))
    return session
