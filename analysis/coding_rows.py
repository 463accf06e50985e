"""What a coding reads, in plain SQL: the note and the code a coding names (each within the program, in one
statement), the note's codings and open proposals that a redrawn card shows (after an uncoding, a proposal's
decision or a refused coding), and the coding an undo takes off.

A coding is a click, repeated note after note; built with the ORM, these reads cost a coding more Python
than all the rest of it (about 8 of its 20 ms), for rows the database returned in a tenth of that. Each
statement is made once per process; rows become model instances with the fields' own converters, as the ORM
does (toolkit/sql_rows.py). What they return is what the ORM's queries in the workbench return: the tests
compare them (tests/analysis/test_coding_rows.py).
"""

from __future__ import annotations

from functools import cache

from django.db import connection

from analysis.models import Code, CodeApplication, CodeProposal
from interviews.models import Note, Session
from toolkit import sql_rows
from toolkit.sql_rows import columns, converted, instance

# What a coding uses of its note: apply_code checks the text and the session's program.
_NOTE_FIELDS = ("id", "session", "text")
_BIGINT = range(-(2**63), 2**63)


def _quote(model, name: str, alias: str = "") -> str:
    quoted = connection.ops.quote_name(model._meta.get_field(name).column)
    return f"{alias}.{quoted}" if alias else quoted


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@cache
def _note_statement(vendor: str) -> str:
    return (f"SELECT {', '.join(_quote(Note, name, 'n') for name in _NOTE_FIELDS)}, {_quote(Session, 'program', 's')} "
            f"FROM {_table(Note)} n INNER JOIN {_table(Session)} s ON {_quote(Session, 'id', 's')} = {_quote(Note, 'session', 'n')} "
            f"WHERE {_quote(Note, 'id', 'n')} = %s AND {_quote(Session, 'program', 's')} = %s")


def program_note(*, program_id: int, pk) -> Note | None:
    """Note `pk` (a UUID) if it was said in the program, with its id, session and text (the rest is read when
    first used, as with only()) and its session's id and program; None otherwise."""
    with connection.cursor() as cursor:
        sql_rows.execute(cursor, _note_statement(connection.vendor), [Note._meta.pk.get_db_prep_value(pk, connection), program_id])
        row = cursor.fetchone()
    return None if row is None else _note(row)


def _note(row) -> Note | None:
    """The note of a row that starts with _NOTE_FIELDS and ends with its session's program (None: no note)."""
    if row[0] is None:
        return None
    values = [converted(Note, name, "n", value) for name, value in zip(_NOTE_FIELDS, row)]
    note = Note.from_db(connection.alias, [Note._meta.get_field(name).attname for name in _NOTE_FIELDS], values)
    session = Session.from_db(connection.alias, ["id", "program_id"], [note.session_id, row[-1]])
    Note._meta.get_field("session").set_cached_value(note, session)
    return note


@cache
def _code_statement(vendor: str) -> str:
    return (f"SELECT {', '.join(columns(Code, 'c'))} FROM {_table(Code)} c "
            f"WHERE {_quote(Code, 'id', 'c')} = %s AND {_quote(Code, 'program', 'c')} = %s")


def program_code(*, program_id: int, pk: int) -> Code | None:
    """Code `pk` if it is one of the program's (retired or not: apply_code refuses a retired one by name)."""
    if pk not in _BIGINT:
        return None
    with connection.cursor() as cursor:
        sql_rows.execute(cursor, _code_statement(connection.vendor), [pk, program_id])
        row = cursor.fetchone()
    return None if row is None else instance(Code, "c", iter(row))


@cache
def _note_and_code_statement(vendor: str) -> str:
    # One row whatever is found: each of the two is joined to it, and is NULLs where the program has none.
    return (f"SELECT {', '.join(columns(Code, 'c'))}, {', '.join(_quote(Note, name, 'n') for name in _NOTE_FIELDS)}, "
            f"{_quote(Session, 'program', 's')} FROM (SELECT 1 AS one) AS asked "
            f"LEFT JOIN ({_table(Note)} n INNER JOIN {_table(Session)} s ON {_quote(Session, 'id', 's')} = "
            f"{_quote(Note, 'session', 'n')} AND {_quote(Session, 'program', 's')} = %s) ON {_quote(Note, 'id', 'n')} = %s "
            f"LEFT JOIN {_table(Code)} c ON {_quote(Code, 'id', 'c')} = %s AND {_quote(Code, 'program', 'c')} = %s")


def program_note_and_code(*, program_id: int, note_pk, code_pk: int) -> tuple[Note | None, Code | None]:
    """program_note and program_code in one statement: what a coding's form reads."""
    if code_pk not in _BIGINT:
        return program_note(program_id=program_id, pk=note_pk), None
    with connection.cursor() as cursor:
        sql_rows.execute(cursor, _note_and_code_statement(connection.vendor),
                         [program_id, Note._meta.pk.get_db_prep_value(note_pk, connection), code_pk, program_id])
        row = cursor.fetchone()
    code_width = len(Code._meta.concrete_fields)
    code = None if row[0] is None else instance(Code, "c", iter(row[:code_width]))
    return _note(row[code_width:]), code


def _with_code(model, alias: str) -> str:
    """SELECT each row of `model` (as `alias`) with its code's row (as c): what a chip shows."""
    return (f"SELECT {', '.join([*columns(model, alias), *columns(Code, 'c')])} FROM {_table(model)} {alias} "
            f"INNER JOIN {_table(Code)} c ON {_quote(Code, 'id', 'c')} = {_quote(model, 'code', alias)} ")


@cache
def _codings_statement(vendor: str) -> str:
    return (_with_code(CodeApplication, "a") + f"WHERE {_quote(CodeApplication, 'note', 'a')} = %s "
            f"ORDER BY {_quote(CodeApplication, 'start', 'a')}, {_quote(CodeApplication, 'id', 'a')}")


@cache
def _proposals_statement(vendor: str) -> str:
    return (_with_code(CodeProposal, "p") + f"WHERE {_quote(CodeProposal, 'note', 'p')} = %s AND {_quote(CodeProposal, 'status', 'p')} = %s "
            f"AND {_quote(Code, 'retired', 'c')} = %s "
            f"ORDER BY {_quote(CodeProposal, 'confidence', 'p')} DESC, {_quote(CodeProposal, 'id', 'p')}")


def _with_codes(model, alias: str, statement: str, params: list, note: Note | None = None) -> list:
    with connection.cursor() as cursor:
        sql_rows.execute(cursor, statement, params)
        rows = cursor.fetchall()
    found = []
    for row in rows:
        values = iter(row)
        item = instance(model, alias, values)
        model._meta.get_field("code").set_cached_value(item, instance(Code, "c", values))
        if note is not None:
            model._meta.get_field("note").set_cached_value(item, note)
        found.append(item)
    return found


def read_card(note: Note) -> None:
    """Load the note's codings (each with its code, in the order of the workbench's prefetch) as
    `note.codings.all()` and its open proposals of current codes (most confident first) as
    `note.open_proposals`, as the workbench page's prefetches give them, in two statements."""
    note_id = Note._meta.pk.get_db_prep_value(note.pk, connection)
    codings = _with_codes(CodeApplication, "a", _codings_statement(connection.vendor), [note_id], note)
    note.open_proposals = _with_codes(CodeProposal, "p", _proposals_statement(connection.vendor),
                                      [note_id, CodeProposal.Status.OPEN.value, False], note)
    manager_all = note.codings.all()
    manager_all._result_cache, manager_all._prefetch_done = codings, True  # as prefetch_related leaves it
    note._prefetched_objects_cache = {"codings": manager_all}


@cache
def _last_coding_statement(vendor: str) -> str:
    return (_with_code(CodeApplication, "a") + f"WHERE {_quote(CodeApplication, 'coder', 'a')} = %s "
            f"AND {_quote(Code, 'program', 'c')} = %s "
            f"ORDER BY {_quote(CodeApplication, 'created_at', 'a')} DESC, {_quote(CodeApplication, 'id', 'a')} DESC LIMIT 1")


def last_coding(*, coder_id: int, program_id: int) -> CodeApplication | None:
    """This coder's most recent coding in the program, with its code (which the undo's message names)."""
    found = _with_codes(CodeApplication, "a", _last_coding_statement(connection.vendor), [coder_id, program_id])
    return found[0] if found else None
