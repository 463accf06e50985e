"""Model instances from rows of plain SQL, as the ORM makes them (interviews/runner_session.py, notes.py).

The hot paths of the runner read their rows with one statement of plain SQL each; this turns a row's
columns into an instance with each field's converters (a UUID or a date on SQLite), looked up once per
process and field rather than on every row.
"""

from __future__ import annotations

from functools import cache

from django.db import connection
from django.db.models import Model


def columns(model: type[Model], alias: str) -> list[str]:
    """The model's concrete columns, quoted and prefixed with `alias`, in the order instance() reads them."""
    quote = connection.ops.quote_name
    return [f"{alias}.{quote(field.column)}" for field in model._meta.concrete_fields]


@cache
def _converters(model: type[Model], alias: str, vendor: str, database: str) -> tuple:
    found = []
    for field in model._meta.concrete_fields:
        col = field.get_col(alias)
        found.append((col, tuple([*connection.ops.get_db_converters(col), *field.get_db_converters(connection)])))
    return tuple(found)


def instance(model: type[Model], alias: str, values) -> Model:
    """An instance of `model` from the next len(concrete_fields) items of the iterator `values`."""
    fields = model._meta.concrete_fields
    converted = []
    for (col, converters), value in zip(_converters(model, alias, connection.vendor, connection.alias), values):
        if value is not None:
            for convert in converters:
                value = convert(value, col, connection)
        converted.append(value)
    if len(converted) != len(fields):
        raise ValueError(f"a row of {model.__name__} is short: {len(converted)} of {len(fields)} columns")
    return model.from_db(connection.alias, [field.attname for field in fields], converted)


def converted(model: type[Model], name: str, alias: str, value):
    """One column's value as the ORM would give it."""
    field = model._meta.get_field(name)
    if value is None:
        return None
    col = field.get_col(alias)
    for convert in [*connection.ops.get_db_converters(col), *field.get_db_converters(connection)]:
        value = convert(value, col, connection)
    return value
