"""Importing teaching assignments (who teaches whom), all rows or none, like the roster."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from participants.models import StaffMember, Student, TeachingAssignment
from participants.roster import MISSING_VALUE, plain_labels
from toolkit.tables import ImportRefused, RowError, Table, guess_mapping, mapping_problems

FIELD_LABELS = {"staff_id": _("Staff id"), "local_id": _("Student local id"), "course": _("Course"),
                "starts_on": _("Start date"), "ends_on": _("End date")}
REQUIRED = ("staff_id", "local_id", "starts_on")
ALIASES = {
    "staff_id": ("teacher id", "staff number", "employee id", "teacher"),
    "local_id": ("student id", "student local id", "student number"),
    "course": ("class", "section", "course name"),
    "starts_on": ("start", "start date", "begin date", "term start"),
    "ends_on": ("end", "end date", "term end"),
}
UNKNOWN_STAFF = _("No staff member has the id “{value}”.")
UNKNOWN_STUDENT = _("No student has the local id “{value}”. Import the roster first.")
BAD_DATE = _("“{value}” is not a date; use YYYY-MM-DD.")
DATES_OUT_OF_ORDER = _("The end date is before the start date.")


@dataclass(frozen=True)
class AssignmentRow:
    staff_id: int
    student_id: int
    course: str
    starts_on: dt.date
    ends_on: dt.date | None


def default_mapping(headers) -> dict[str, str]:
    return guess_mapping(headers, ALIASES)


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def validate_assignments(
    table: Table, mapping: Mapping[str, str], *, progress: Callable[[int], None] | None = None
) -> tuple[list[AssignmentRow], list[RowError]]:
    """Check every row: parsed rows, and every problem with its row and column."""
    labels = plain_labels(FIELD_LABELS)
    errors = mapping_problems(mapping, REQUIRED, labels)
    if errors:
        return [], errors
    column = {f: table.headers.index(h) for h, f in mapping.items() if f}
    header_of = {f: h for h, f in mapping.items() if f}
    staff = dict(StaffMember.objects.exclude(staff_id=None).values_list("staff_id", "pk"))
    students = dict(Student.objects.values_list("local_id", "pk"))
    rows: list[AssignmentRow] = []
    for index, cells in enumerate(table.rows):
        if progress and index % 1000 == 0:
            progress(index)
        number = index + table.first_row_number()
        values = {f: cells[i] for f, i in column.items()}
        problems = [RowError(number, header_of.get(f, labels[f]), MISSING_VALUE.format(label=labels[f]))
                    for f in REQUIRED if not values.get(f)]
        staff_pk, student_pk = staff.get(values.get("staff_id", "")), students.get(values.get("local_id", ""))
        if values.get("staff_id") and staff_pk is None:
            problems.append(RowError(number, header_of["staff_id"], UNKNOWN_STAFF.format(value=values["staff_id"])))
        if values.get("local_id") and student_pk is None:
            problems.append(RowError(number, header_of["local_id"], UNKNOWN_STUDENT.format(value=values["local_id"])))
        starts_on = _date(values["starts_on"]) if values.get("starts_on") else None
        if values.get("starts_on") and starts_on is None:
            problems.append(RowError(number, header_of["starts_on"], BAD_DATE.format(value=values["starts_on"])))
        ends_on = _date(values["ends_on"]) if values.get("ends_on") else None
        if values.get("ends_on") and ends_on is None:
            problems.append(RowError(number, header_of["ends_on"], BAD_DATE.format(value=values["ends_on"])))
        if starts_on and ends_on and ends_on < starts_on:
            problems.append(RowError(number, header_of["ends_on"], str(DATES_OUT_OF_ORDER)))
        if problems:
            errors.extend(problems)
        else:
            rows.append(AssignmentRow(staff_pk, student_pk, values.get("course", ""), starts_on, ends_on))
    return rows, errors


def import_assignments(
    table: Table, mapping: Mapping[str, str], *, progress: Callable[[int], None] | None = None
) -> dict[str, int]:
    """Validate every row, then write them all; raise ImportRefused listing every problem."""
    rows, errors = validate_assignments(table, mapping, progress=progress)
    if errors:
        raise ImportRefused(errors)
    return apply_assignments(rows)


@transaction.atomic
def apply_assignments(rows: list[AssignmentRow]) -> dict[str, int]:
    created = updated = unchanged = 0
    for row in rows:
        assignment, was_created = TeachingAssignment.objects.get_or_create(
            staff_id=row.staff_id, student_id=row.student_id, course=row.course, starts_on=row.starts_on,
            defaults={"ends_on": row.ends_on},
        )
        if was_created:
            created += 1
        elif assignment.ends_on != row.ends_on:
            assignment.ends_on = row.ends_on
            assignment.save(update_fields=["ends_on"])
            updated += 1
        else:
            unchanged += 1
    return {"created": created, "updated": updated, "unchanged": unchanged}
