"""The session a runner request is about, read in one statement of plain SQL.

Every note save and every poll of the runner starts here: the session, with its protocol and program (as
`select_related` gives them) for the runner's page, the person's role in the program and, for a poll, the
count and latest change of the session's notes (from the (session, updated_at) index). A note save and a
poll read the session alone: the protocol's and program's wide rows (the protocol's translations, a JSON of
the whole protocol in each language) cost more to plan, send and convert than the rest of a poll's query.
Built with the ORM, the same query cost more Python than the rest of a note save together (about 0.9 of
1.5 ms in the view); here the statement is made once per process and the rows are turned into model
instances with the fields' own converters, as the ORM does. Who may use what it returns is decided by the
caller (interviews/views/runner.py), with the same rules as programs.access.
"""

from __future__ import annotations

from functools import cache

from django.db import connection

from interviews.models import Note, Protocol, Session
from programs.models import Membership, Program
from toolkit import sql_rows
from toolkit.sql_rows import columns as model_columns
from toolkit.sql_rows import converted, instance

_JOINED = {"protocol": (Protocol, "p"), "program": (Program, "g")}


def _column(model, name: str, alias: str = "") -> str:
    quoted = connection.ops.quote_name(model._meta.get_field(name).column)
    return f"{alias}.{quoted}" if alias else quoted


def _models(joined: tuple[str, ...]) -> list[tuple[type, str]]:
    return [(Session, "s"), *(_JOINED[name] for name in joined)]


@cache
def _statement(vendor: str, version: bool, joined: tuple[str, ...]) -> str:
    quote = connection.ops.quote_name
    columns = [column for model, alias in _models(joined) for column in model_columns(model, alias)]
    columns.append(f"(SELECT {_column(Membership, 'role', 'm')} FROM {quote(Membership._meta.db_table)} m "
                   f"WHERE {_column(Membership, 'program', 'm')} = {_column(Session, 'program', 's')} "
                   f"AND {_column(Membership, 'user', 'm')} = %s)")
    if version:
        notes = f"FROM {quote(Note._meta.db_table)} n WHERE {_column(Note, 'session', 'n')} = {_column(Session, 'id', 's')}"
        columns += [f"(SELECT COUNT(*) {notes})", f"(SELECT MAX({_column(Note, 'updated_at', 'n')}) {notes})"]
    protocol = (f"INNER JOIN {quote(Protocol._meta.db_table)} p ON {_column(Protocol, 'id', 'p')} = {_column(Session, 'protocol', 's')} "
                if "protocol" in joined else "")
    return (f"SELECT {', '.join(columns)} FROM {quote(Session._meta.db_table)} s {protocol}"
            f"INNER JOIN {quote(Program._meta.db_table)} g ON {_column(Program, 'id', 'g')} = {_column(Session, 'program', 's')} "
            f"WHERE {_column(Session, 'id', 's')} = %s AND {_column(Program, 'slug', 'g')} = %s")


def runner_session(*, user_id: int, slug: str, pk: int, version: bool = False,
                   joined: tuple[str, ...] = ("protocol", "program")) -> Session | None:
    """Session `pk` if it belongs to program `slug`, with the relations named in `joined` loaded (`protocol`,
    `program`; one not joined is read when first used, as without select_related), `role` (the person's
    role in the program, None off its team) and, with `version`, `notes_count` and `notes_latest`; None
    when there is no such session."""
    if not -(2**63) <= pk < 2**63:
        return None
    with connection.cursor() as cursor:
        sql_rows.execute(cursor, _statement(connection.vendor, version, joined), [user_id, pk, slug])
        row = cursor.fetchone()
    if row is None:
        return None
    values = iter(row)
    session = instance(Session, "s", values)
    for name in joined:
        model, alias = _JOINED[name]
        setattr(session, name, instance(model, alias, values))
    session.role = next(values)
    if version:
        session.notes_count = next(values) or 0
        session.notes_latest = converted(Note, "updated_at", "n", next(values))
    return session
