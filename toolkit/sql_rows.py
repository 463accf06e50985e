"""Plain SQL for the hot paths, with the ORM's meaning: rows into model instances, and an INSERT guarded
by a condition in the same statement.

The runner's note save and poll (interviews/runner_session.py, notes.py), a coding and its undo
(analysis/coding.py, coding_rows.py, retraining.py) and the access check of every program page
(programs/access.py) run on every keystroke's autosave or click; building their statements with the ORM
cost more Python than the database took to answer them. A row's columns become an instance with each field's converters (a UUID
or a date on SQLite), looked up once per process and field; an instance is inserted with each field's own
preparation of its value, so what is stored is what Model.save() would store.
"""

from __future__ import annotations

from functools import cache

from django.db import connection, models
from django.db.models import Model, signals


def columns(model: type[Model], alias: str) -> list[str]:
    """The model's concrete columns, quoted and prefixed with `alias`, in the order instance() reads them."""
    quote = connection.ops.quote_name
    return [f"{alias}.{quote(field.column)}" for field in model._meta.concrete_fields]


@cache
def _field_converters(model: type[Model], name: str, alias: str, vendor: str, database: str) -> tuple:
    """(the column expression, its converters) of one field: what the ORM applies to a value it reads."""
    field = model._meta.get_field(name)
    col = field.get_col(alias)
    return col, tuple([*connection.ops.get_db_converters(col), *field.get_db_converters(connection)])


def converted(model: type[Model], name: str, alias: str, value):
    """One column's value as the ORM would give it."""
    if value is None:
        return None
    col, converters = _field_converters(model, name, alias, connection.vendor, connection.alias)
    for convert in converters:
        value = convert(value, col, connection)
    return value


def instance(model: type[Model], alias: str, values) -> Model:
    """An instance of `model` from the next len(concrete_fields) items of the iterator `values`."""
    fields = model._meta.concrete_fields
    read = [converted(model, field.name, alias, value) for field, value in zip(fields, values)]
    if len(read) != len(fields):
        raise ValueError(f"a row of {model.__name__} is short: {len(read)} of {len(fields)} columns")
    return model.from_db(connection.alias, [field.attname for field in fields], read)


def insert(obj: Model) -> None:
    """INSERT `obj` (a new instance), as Model.save() would, without its signals (none is connected to the
    callers' models)."""
    insert_where(obj, where="1 = 1", params=[])


def insert_where(obj: Model, *, where: str, params: list, on_conflict_do_nothing: bool = False) -> bool:
    """INSERT `obj` (a new instance) only when the SQL condition `where` (with `params`) holds, in one
    statement that commits alone outside a transaction: INSERT ... SELECT ... WHERE ... [ON CONFLICT (pk)
    DO NOTHING] RETURNING pk, on SQLite and PostgreSQL. Sets the primary key it got and returns True; False
    when nothing was inserted. No signals are sent (callers say why none is needed)."""
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
                 + f" RETURNING {quote(pk.column)}")
    with connection.cursor() as cursor:
        cursor.execute(statement, [*values, *params])
        inserted = cursor.fetchone()
    if inserted is None:
        return False
    if not given_pk:
        setattr(obj, pk.attname, converted(type(obj), pk.name, "", inserted[0]))
    obj._state.adding, obj._state.db = False, connection.alias
    return True


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
        cursor.execute(f"UPDATE {quote(meta.db_table)} SET {', '.join(assignments)} WHERE {quote(meta.pk.column)} = %s",
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
        cursor.execute(f"DELETE FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} = %s",
                       [meta.pk.get_db_prep_value(obj.pk, connection)])
    setattr(obj, meta.pk.attname, None)
