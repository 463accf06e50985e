"""The kinds of file the upload screen takes, each with its fields, checks and import.

One upload flow (store, map columns, check every row, import in a task) serves them all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from participants import roster, teaching_import
from toolkit.tables import RowError, Table

Progress = Callable[[int], None] | None
# The school values a person confirmed the import may create (only the students' roster has schools to create).
NewSchools = Sequence[str]


@dataclass(frozen=True)
class ImportKind:
    key: str
    label: str
    field_labels: Mapping[str, str]
    required: Sequence[str]
    keeps_extra_columns: bool
    default_mapping: Callable[[Sequence[str]], dict[str, str]]
    # Every problem, and the school values that match no school with their row counts.
    check: Callable[[Table, Mapping[str, str], Progress, NewSchools], tuple[list[RowError], dict[str, int]]]
    run: Callable[[Table, Mapping[str, str], Progress, NewSchools], dict[str, int]]  # raises tables.ImportRefused


def _check_students(table: Table, mapping: Mapping[str, str], progress: Progress,
                    new_schools: NewSchools) -> tuple[list[RowError], dict[str, int]]:
    validation = roster.validate_students(table, mapping, progress=progress, new_schools=new_schools)
    return validation.errors, validation.unknown_schools


STUDENTS = ImportKind(
    key="students",
    label=_("Students (roster)"),
    field_labels=roster.FIELD_LABELS,
    required=roster.REQUIRED,
    keeps_extra_columns=True,
    default_mapping=roster.default_mapping,
    check=_check_students,
    run=lambda table, mapping, progress, new_schools: roster.import_students(
        table, mapping, progress=progress, new_schools=new_schools).as_dict(),
)
TEACHING = ImportKind(
    key="teaching",
    label=_("Teaching assignments"),
    field_labels=teaching_import.FIELD_LABELS,
    required=teaching_import.REQUIRED,
    keeps_extra_columns=False,
    default_mapping=teaching_import.default_mapping,
    check=lambda table, mapping, progress, _new_schools: (
        teaching_import.validate_assignments(table, mapping, progress=progress)[1], {}),
    run=lambda table, mapping, progress, _new_schools: teaching_import.import_assignments(table, mapping, progress=progress),
)
KINDS = {kind.key: kind for kind in (STUDENTS, TEACHING)}
