"""Plain SQL for the hot paths, with the ORM's meaning: rows into model instances, and an INSERT guarded
by a condition in the same statement.

The runner's note save and poll (interviews/runner_session.py, notes.py), a coding and its undo
(analysis/coding.py, coding_rows.py, retraining.py) and the access check of every program page
(programs/access.py) run on every keystroke's autosave or click; building their statements with the ORM
cost more Python than the database took to answer them. A row's columns become an instance with each field's converters (a UUID
or a date on SQLite), looked up once per process and field; an instance is inserted with each field's own
preparation of its value, so what is stored is what Model.save() would store.

On PostgreSQL each of these statements is also prepared once per database connection (`execute`): planning
them cost the server more than running them (0.17 of 0.24 ms for the poll's), on every request.
"""

from __future__ import annotations

import re
import weakref
from functools import cache
from itertools import islice

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models import Model, signals

# Statements prepared on each PostgreSQL connection: {raw connection: {statement: its prepared name}}. A
# prepared statement lives as long as the server's session of that connection (a rollback keeps it), so it
# is remembered per raw connection; a connection Django opens again is a new key, with nothing prepared.
_prepared: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
# The hot paths have a few dozen statements; past this many a connection runs the rest unprepared.
MAX_PREPARED = 100
_PLACEHOLDER = re.compile(r"%s|%%|%")


def numbered(statement: str) -> str:
    """`statement` with its %s placeholders numbered as PostgreSQL's PREPARE wants them ($1, $2, ...)."""
    count = 0

    def number(match: re.Match) -> str:
        nonlocal count
        if match.group() == "%%":
            return "%"
        if match.group() == "%":
            raise ValueError(f"a lone % in a statement to prepare: {statement!r}")
        count += 1
        return f"${count}"

    return _PLACEHOLDER.sub(number, statement)


def execute(cursor, statement: str, params: list) -> None:
    """cursor.execute(statement, params), the statement prepared the first time this connection runs it on
    PostgreSQL (unless settings.DB_PREPARED_STATEMENTS is off, as behind a pooler in transaction mode, which
    gives each transaction any connection). SQLite's driver already keeps its statements compiled."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql" or not settings.DB_PREPARED_STATEMENTS:
        cursor.execute(statement, params)
        return
    names = _prepared.setdefault(db.connection, {})
    name = names.get(statement)
    if name is None:
        if len(names) >= MAX_PREPARED:
            cursor.execute(statement, params)
            return
        name = f"hot_path_{len(names) + 1}"
        # On the driver's own cursor: preparing is not a query of the request's (query-count tests, the
        # debug toolbar), and is done once a connection.
        with db.wrap_database_errors:
            cursor.cursor.execute(f"PREPARE {name} AS {numbered(statement)}")
        names[statement] = name
    arguments = f" ({', '.join(['%s'] * len(params))})" if params else ""
    # The statement itself rides along as a comment, so that the query log (tests, the debug toolbar,
    # PostgreSQL's own log) says what ran, not only its prepared name.
    cursor.execute(f"EXECUTE {name}{arguments} /* {statement.replace('%', '%%').replace('*/', '* /')} */", params)


def columns(model: type[Model], alias: str) -> list[str]:
    """The model's concrete columns, quoted and prefixed with `alias`, in the order instance() reads them."""
    quote = connection.ops.quote_name
    return [f"{alias}.{quote(field.column)}" for field in model._meta.concrete_fields]


@cache
def _field_converters(model: type[Model], name: str, alias: str, vendor: str, database: str) -> tuple:
    """(the column expression, its converters) of one field: what the ORM applies to a value it reads."""
    field = model._meta.get_field(name)
    col = field.get_col(alias)
    db = connections[database]
    return col, tuple([*db.ops.get_db_converters(col), *field.get_db_converters(db)])


@cache
def _reader(model: type[Model], alias: str, vendor: str, database: str) -> tuple[list[str], tuple]:
    """The model's attnames in column order, and (position, column, converters) of the fields that have
    converters (on PostgreSQL most have none: their values come from the driver as the ORM gives them)."""
    fields = model._meta.concrete_fields
    converting = []
    for position, field in enumerate(fields):
        col, converters = _field_converters(model, field.name, alias, vendor, database)
        if converters:
            converting.append((position, col, converters))
    return [field.attname for field in fields], tuple(converting)


def converted(model: type[Model], name: str, alias: str, value):
    """One column's value as the ORM would give it."""
    if value is None:
        return None
    db = connections[DEFAULT_DB_ALIAS]
    col, converters = _field_converters(model, name, alias, db.vendor, db.alias)
    for convert in converters:
        value = convert(value, col, db)
    return value


def instance(model: type[Model], alias: str, values) -> Model:
    """An instance of `model` from the next len(concrete_fields) items of the iterator `values`."""
    # The connection is looked up once a row: each attribute of django.db.connection is a look-up by alias
    # in thread-local storage, which cost more than the conversions themselves (a coding reads 70 values).
    db = connections[DEFAULT_DB_ALIAS]
    attnames, converting = _reader(model, alias, db.vendor, db.alias)
    read = list(islice(values, len(attnames)))
    if len(read) != len(attnames):
        raise ValueError(f"a row of {model.__name__} is short: {len(read)} of {len(attnames)} columns")
    for position, col, converters in converting:
        value = read[position]
        if value is not None:
            for convert in converters:
                value = convert(value, col, db)
            read[position] = value
    return model.from_db(db.alias, attnames, read)


def insert(obj: Model) -> None:
    """INSERT `obj` (a new instance), as Model.save() would, without its signals (none is connected to the
    callers' models)."""
    insert_where(obj, where="1 = 1", params=[])


def insert_where(obj: Model, *, where: str, params: list, on_conflict_do_nothing: bool = False) -> bool:
    """INSERT `obj` (a new instance) only when the SQL condition `where` (with `params`) holds, in one
    statement that commits alone outside a transaction: INSERT ... SELECT ... WHERE ... [ON CONFLICT (pk)
    DO NOTHING] RETURNING pk, on SQLite and PostgreSQL. Sets the primary key it got and returns True; False
    when nothing was inserted. No signals are sent (callers say why none is needed)."""
    return _insert(obj, where=where, params=params, on_conflict_do_nothing=on_conflict_do_nothing) is not None


def insert_where_returning(obj: Model, *, where: str, params: list, returning: str, returning_params: list) -> tuple | None:
    """insert_where, with what the SQL expressions `returning` (a comma-separated list, with
    `returning_params`) were worth when the row went in: a question the caller would otherwise ask in a
    statement of its own. None when nothing was inserted."""
    return _insert(obj, where=where, params=params, returning=returning, returning_params=returning_params)


def _insert(obj: Model, *, where: str, params: list, on_conflict_do_nothing: bool = False, returning: str = "",
            returning_params: list = ()) -> tuple | None:
    meta = obj._meta
    pk = meta.pk
    given_pk = getattr(obj, pk.attname) is not None
    fields = [field for field in meta.concrete_fields if given_pk or field is not pk]
    values = []
    for field in fields:
        if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
            field.pre_save(obj, add=True)
        values.append(field.get_db_prep_save(getattr(obj, field.attname), connection))
    quote = connection.ops.quote_name
    statement = (f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "
                 f"SELECT {', '.join(['%s'] * len(fields))} WHERE {where}"
                 + (f" ON CONFLICT ({quote(pk.column)}) DO NOTHING" if on_conflict_do_nothing else "")
                 + f" RETURNING {quote(pk.column)}" + (f", {returning}" if returning else ""))
    with connection.cursor() as cursor:
        execute(cursor, statement, [*values, *params, *returning_params])
        inserted = cursor.fetchone()
    if inserted is None:
        return None
    if not given_pk:
        setattr(obj, pk.attname, converted(type(obj), pk.name, "", inserted[0]))
    obj._state.adding, obj._state.db = False, connection.alias
    return tuple(inserted[1:])


def save_fields(obj: Model, fields: list[str]) -> None:
    """What obj.save(update_fields=fields) does (auto_now fields stamped, pre_save and post_save sent, so
    receivers run as before), with one plain UPDATE of those columns by primary key."""
    meta, cls = obj._meta, type(obj)
    signals.pre_save.send(sender=cls, instance=obj, raw=False, using=connection.alias, update_fields=frozenset(fields))
    quote = connection.ops.quote_name
    assignments, values = [], []
    for name in fields:
        field = meta.get_field(name)
        value = field.pre_save(obj, add=False)  # auto_now: the time of this save
        assignments.append(f"{quote(field.column)} = %s")
        values.append(field.get_db_prep_save(value, connection))
    with connection.cursor() as cursor:
        execute(cursor, f"UPDATE {quote(meta.db_table)} SET {', '.join(assignments)} WHERE {quote(meta.pk.column)} = %s",
                [*values, meta.pk.get_db_prep_value(obj.pk, connection)])
        if cursor.rowcount != 1:
            raise cls.DoesNotExist(f"{cls.__name__} {obj.pk} was not there to update")
    signals.post_save.send(sender=cls, instance=obj, created=False, update_fields=frozenset(fields), raw=False,
                           using=connection.alias)


def delete(obj: Model) -> None:
    """What obj.delete() does for a row that no other row refers to and no delete signal is connected to
    (callers say why), with one plain DELETE by primary key; the instance keeps its values, without its pk."""
    meta = obj._meta
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        execute(cursor, f"DELETE FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} = %s",
                [meta.pk.get_db_prep_value(obj.pk, connection)])
    setattr(obj, meta.pk.attname, None)
