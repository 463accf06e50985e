"""Reading the audit log: the filters a lead uses to answer "who looked at this student, and when"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from audit.models import AuditAction, AuditEvent, DeletionRecord


@dataclass(frozen=True)
class AuditFilter:
    person: str = ""
    student: str = ""  # a pseudonym or local id, as the lead knows the student
    action: str = ""
    since: dt.date | None = None
    until: dt.date | None = None

    @classmethod
    def from_query(cls, query) -> AuditFilter:
        def day(value: str) -> dt.date | None:
            try:
                return dt.date.fromisoformat(value) if value else None
            except ValueError:
                return None

        action = query.get("action", "")
        return cls(person=query.get("person", "").strip(), student=query.get("student", "").strip(),
                   action=action if action in AuditAction.values else "", since=day(query.get("since", "")),
                   until=day(query.get("until", "")))


def program_events(program_id: int, wanted: AuditFilter, student_ids: list[str] | None = None) -> QuerySet[AuditEvent]:
    """Events of one program, newest first, whatever short names it had. `student_ids` are the primary
    keys the student filter resolved to."""
    return filtered(AuditEvent.objects.filter(program_id=program_id), wanted, student_ids)


def program_deletions(program_id: int) -> QuerySet[DeletionRecord]:
    """Deletion records of one program, newest first, whatever short names it had."""
    return DeletionRecord.objects.filter(program_id=program_id).order_by("-created_at", "-id")


def district_events(wanted: AuditFilter, student_ids: list[str] | None = None) -> QuerySet[AuditEvent]:
    """Every event, the roster's included (they belong to no program), newest first."""
    return filtered(AuditEvent.objects.all(), wanted, student_ids)


def filtered(events: QuerySet[AuditEvent], wanted: AuditFilter, student_ids: list[str] | None) -> QuerySet[AuditEvent]:
    if wanted.person:
        events = events.filter(actor_username__iexact=wanted.person)
    if wanted.action:
        events = events.filter(action=wanted.action)
    if wanted.since:
        events = events.filter(created_at__date__gte=wanted.since)
    if wanted.until:
        events = events.filter(created_at__date__lte=wanted.until)
    if wanted.student:
        ids = [str(pk) for pk in (student_ids or [])]
        events = events.filter(Q(object_type="participants.student", object_id__in=ids)
                               | Q(object_label__iexact=wanted.student))
    return events.order_by("-created_at", "-id")
