"""The audit log of a program, for its leads: read-only, filterable, paginated."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from audit.models import AuditAction, DeletionRecord
from audit.queries import AuditFilter, district_events, program_deletions, program_events
from participants.models import Student
from programs.access import get_program_for


def _student_ids(wanted: AuditFilter) -> list[int] | None:
    if not wanted.student:
        return None
    return list(Student.objects.filter(Q(pseudonym__iexact=wanted.student) | Q(local_id=wanted.student))
                .values_list("pk", flat=True))


@login_required
@require_GET
def audit_log(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="audit_log")
    wanted = AuditFilter.from_query(request.GET)
    # By id: the entries made under the program's earlier short names are its own, and a program that
    # took a short name before such names were retired does not see the old holder's.
    events = program_events(access.program.pk, wanted, _student_ids(wanted))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    people = access.program.memberships.select_related("user").order_by("user__username")
    return render(request, "audit/audit_log.html", {
        "access": access, "program": access.program, "active": "audit", "page": page, "wanted": wanted,
        "actions": AuditAction.choices, "people": [m.user.username for m in people],
        "deletions": program_deletions(access.program.pk)[:20],
    })


@login_required
@permission_required("audit.view_auditevent", raise_exception=True)
@require_GET
def district_audit_log(request: HttpRequest) -> HttpResponse:
    """For district IT and privacy officers: every program's entries and the roster's, which belong to none."""
    wanted = AuditFilter.from_query(request.GET)
    page = Paginator(district_events(wanted, _student_ids(wanted)), 50).get_page(request.GET.get("page"))
    return render(request, "audit/district_audit_log.html", {
        "page": page, "wanted": wanted, "actions": AuditAction.choices, "people": None, "show_program": True,
        "deletions": DeletionRecord.objects.all()[:50],
    })
