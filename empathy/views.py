from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from empathy.checklist import StepStatus, program_checklist
from interviews.waiting import waiting_for
from programs.access import get_program_for
from programs.models import Membership, Role
from programs.pages import may_open


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("program")
        .prefetch_related("program__schools")
        .order_by("-program__starts_on", "program__name")
    )
    return render(
        request,
        "home.html",
        {"memberships": memberships, "can_create": request.user.has_perm("programs.add_program"),
         # A lead searches their programs' words in the district repository (district/repository.py); those
         # with the district's permission find it in the top bar.
         "searches_led_programs": any(membership.role == Role.LEAD for membership in memberships)},
    )


@login_required
@require_GET
def program_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="program_dashboard")
    steps = program_checklist(access.program, access.role)
    done = sum(step.status == StepStatus.DONE for step in steps)
    next_step = next((step for step in steps if step.status == StepStatus.NEXT), None)
    return render(
        request,
        "dashboard.html",
        {
            "access": access,
            "program": access.program,
            "active": "dashboard",
            "schools": access.program.schools.all(),
            "steps": steps,
            "done_count": done,
            "next_step": next_step,
            # Past the retention date, in the grace period: the day the nightly purge removes the words.
            "purge_on": access.program.pending_purge_date(),
            "may_edit_program": may_open(access.role, "program_edit"),
            # Names only for a viewer who sees every student's name (a lead); counts for everyone else.
            "waiting": waiting_for(access.program, with_names=access.sees_all_student_names),
            "may_schedule": may_open(access.role, "session_new"),
            "may_open_students": may_open(access.role, "program_students"),
        },
    )


@require_GET
def whoami(request: HttpRequest) -> JsonResponse:
    """Who is signed in: lets a script check its sign-in without risking a login page (401 when none)."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False}, status=401)
    return JsonResponse({"signed_in": True, "username": request.user.get_username()})


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for a load balancer: the process answers and the database does too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
