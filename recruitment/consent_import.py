"""Importing consent and assent for a program's invited students from a spreadsheet, all or nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from participants.roster import MISSING_VALUE, plain_labels
from programs.models import Program
from recruitment.consent import status_after_consent
from recruitment.models import ConsentStatus, Invitation
from toolkit.tables import ImportRefused, RowError, Table, guess_mapping, mapping_problems

FIELD_LABELS = {
    "local_id": _("Student local id"),
    "parent_consent": _("Parent/guardian consent"),
    "parent_consent_on": _("Parent consent date"),
    "student_assent": _("Student assent"),
    "student_assent_on": _("Student assent date"),
    "method": _("How obtained"),
}
REQUIRED = ("local_id", "parent_consent", "student_assent")
ALIASES = {
    "local_id": ("student id", "student local id", "student number", "id"),
    "parent_consent": ("parent consent", "guardian consent", "parent/guardian consent", "consent"),
    "parent_consent_on": ("parent consent date", "consent date", "parent date"),
    "student_assent": ("student assent", "assent"),
    "student_assent_on": ("student assent date", "assent date", "student date"),
    "method": ("how obtained", "method", "how"),
}
STATUS_WORDS = {
    ConsentStatus.GRANTED: {"granted", "yes", "y", "signed", "given", "true", "1"},
    ConsentStatus.DECLINED: {"declined", "no", "n", "refused", "false", "0"},
    ConsentStatus.WITHDRAWN: {"withdrawn", "revoked"},
    ConsentStatus.PENDING: {"pending", "", "waiting", "not returned"},
}
NOT_INVITED = _("Student “{value}” is not in this program's sample. Invite them first.")
BAD_STATUS = _("“{value}” is not a consent status (granted, declined, withdrawn or pending).")
BAD_DATE = _("“{value}” is not a date; use YYYY-MM-DD.")
DUPLICATE = _("Student “{value}” also appears on row {first_row}.")


@dataclass(frozen=True)
class ConsentRow:
    invitation_id: int
    parent: str
    parent_on: dt.date | None
    student: str
    student_on: dt.date | None
    method: str


def default_mapping(headers) -> dict[str, str]:
    return guess_mapping(headers, ALIASES)


def parse_status(value: str) -> str | None:
    word = value.strip().lower()
    return next((status for status, words in STATUS_WORDS.items() if word in words), None)


def _date(value: str) -> tuple[dt.date | None, bool]:
    if not value.strip():
        return None, True
    try:
        return dt.date.fromisoformat(value.strip()[:10]), True
    except ValueError:
        return None, False


def import_consent(*, program: Program, table: Table, mapping: Mapping[str, str] | None = None) -> dict[str, int]:
    """Check every row, then record them all; raise ImportRefused listing every problem."""
    mapping = mapping or default_mapping(table.headers)
    labels = plain_labels(FIELD_LABELS)
    errors = mapping_problems(mapping, REQUIRED, labels)
    if errors:
        raise ImportRefused(errors)
    column = {f: table.headers.index(h) for h, f in mapping.items() if f}
    header_of = {f: h for h, f in mapping.items() if f}
    invited = dict(Invitation.objects.filter(program=program).values_list("student__local_id", "pk"))
    rows, seen = [], {}
    for index, cells in enumerate(table.rows):
        number = index + table.first_row_number()
        values = {f: cells[i] for f, i in column.items()}
        problems = []

        def fail(name: str, message: str, number: int = number, problems: list = problems) -> None:
            problems.append(RowError(number, header_of.get(name, labels[name]), message))

        local_id = values.get("local_id", "")
        if not local_id:
            fail("local_id", MISSING_VALUE.format(label=labels["local_id"]))
        elif local_id in seen:
            fail("local_id", DUPLICATE.format(value=local_id, first_row=seen[local_id]))
        elif local_id not in invited:
            fail("local_id", NOT_INVITED.format(value=local_id))
        seen.setdefault(local_id, number)
        statuses, dates = {}, {}
        for name in ("parent_consent", "student_assent"):
            statuses[name] = parse_status(values.get(name, ""))
            if statuses[name] is None:
                fail(name, BAD_STATUS.format(value=values[name]))
        for name in ("parent_consent_on", "student_assent_on"):
            dates[name], readable = _date(values.get(name, ""))
            if not readable:
                fail(name, BAD_DATE.format(value=values[name]))
        if problems:
            errors.extend(problems)
            continue
        rows.append(ConsentRow(invited[local_id], statuses["parent_consent"], dates["parent_consent_on"],
                               statuses["student_assent"], dates["student_assent_on"], values.get("method", "")))
    if errors:
        raise ImportRefused(errors)
    return _apply(rows)


@transaction.atomic
def _apply(rows: list[ConsentRow]) -> dict[str, int]:
    invitations = Invitation.objects.in_bulk([row.invitation_id for row in rows])
    changed = unchanged = 0
    today = dt.date.today()
    for row in rows:
        invitation = invitations[row.invitation_id]
        before = (invitation.parent_consent, invitation.parent_consent_on, invitation.student_assent,
                  invitation.student_assent_on, invitation.parent_consent_method)
        for status_field, date_field, method_field, status, on in (
            ("parent_consent", "parent_consent_on", "parent_consent_method", row.parent, row.parent_on),
            ("student_assent", "student_assent_on", "student_assent_method", row.student, row.student_on),
        ):
            if on or getattr(invitation, status_field) != status:
                setattr(invitation, date_field, on or today)
            setattr(invitation, status_field, status)
            if row.method:
                setattr(invitation, method_field, row.method)
        after = (invitation.parent_consent, invitation.parent_consent_on, invitation.student_assent,
                 invitation.student_assent_on, invitation.parent_consent_method)
        if before == after:
            unchanged += 1
            continue
        invitation.status = status_after_consent(invitation)
        invitation.save()
        changed += 1
    return {"updated": changed, "unchanged": unchanged}
