"""The audit log of a program, for its leads: read-only, filterable, paginated."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from audit.models import AuditAction, DeletionRecord
from audit.queries import AuditFilter, program_events
from interviews.access import get_program_for
from interviews.models import Role
from participants.models import Student


@login_required
@require_GET
def audit_log(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, roles={Role.LEAD})
    wanted = AuditFilter.from_query(request.GET)
    student_ids = None
    if wanted.student:
        student_ids = list(Student.objects.filter(Q(pseudonym__iexact=wanted.student) | Q(local_id=wanted.student))
                           .values_list("pk", flat=True))
    page = Paginator(program_events(slug, wanted, student_ids), 50).get_page(request.GET.get("page"))
    people = access.program.memberships.select_related("user").order_by("user__username")
    return render(request, "audit/audit_log.html", {
        "access": access, "program": access.program, "active": "audit", "page": page, "wanted": wanted,
        "actions": AuditAction.choices, "people": [m.user.username for m in people],
        "deletions": DeletionRecord.objects.filter(program_slug=slug)[:20],
    })
