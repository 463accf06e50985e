"""The Sessions step: the list and week calendar, scheduling with reasons for every refusal, the
session page with its life cycle, and calendar files."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.log import record
from audit.models import AuditAction
from interviews.forms.protocol import language_name
from interviews.forms.sessions import FILTER_LEFT_OUT, LARGEST_ID, CancelForm, SessionFilterForm, SessionForm
from interviews.models import Session, SessionStatus
from interviews.protocols import BASE_LANGUAGE, current_protocol, has_reviewed, untranslated_positions
from interviews.scheduling import (
    SessionPlan,
    cancel_session,
    check_session,
    complete_session,
    runs_with_role,
    schedule_session,
    start_session,
)
from interviews.session_list import SessionFilters, calendar_file, in_week, sessions_for, week_of, week_start
from interviews.waiting import waiting_for
from programs.access import ProgramAccess, get_program_for
from programs.models import Membership, Role
from toolkit.downloads import attachment


def _session(access: ProgramAccess, pk: int) -> Session:
    return get_object_or_404(
        Session.objects.select_related("facilitator", "note_taker", "protocol").prefetch_related("participants__school"),
        pk=pk, program=access.program,
    )


def sees_names_in(session: Session, access: ProgramAccess, user) -> bool:
    """Leads see names; a facilitator or note-taker sees the names of their own session's students
    while their role in the program still runs sessions (not once demoted to viewer or analyst)."""
    return runs_with_role(session, user, access.role)


@login_required
@require_GET
def session_list(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="session_list")
    filter_form = SessionFilterForm(request.GET)
    filters = filter_form.filters()
    if left_out := filter_form.left_out():
        messages.warning(request, FILTER_LEFT_OUT % {"fields": left_out})
    sessions = sessions_for(access.program, request.user, filters)
    view = "week" if request.GET.get("view") == "week" else "list"
    context = {"access": access, "program": access.program, "active": "sessions", "filters": filters, "view": view,
               "schools": access.program.schools.all(), "statuses": SessionStatus.choices,
               "people": [m.user for m in Membership.objects.filter(program=access.program, role__in=[Role.FACILITATOR, Role.LEAD]).select_related("user")],
               "waiting": waiting_for(access.program, with_names=access.sees_all_student_names),
               "may_schedule": access.may_open("session_new"), "may_open_students": access.may_open("program_students")}
    if view == "week":
        start = week_start(filter_form.cleaned_data.get("week") or timezone.localdate())
        context.update(days=week_of(in_week(sessions, start), start), week=start,
                       previous_week=start - dt.timedelta(days=7), next_week=start + dt.timedelta(days=7))
    else:
        context["sessions"] = sessions
    return render(request, "interviews/session_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="session_new")
    form = SessionForm(request.POST or None, program=access.program)
    check = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = SessionPlan(program=access.program, format=data["format"], starts_at=data["starts_at"],
                           duration_minutes=data["duration_minutes"], facilitator=data["facilitator"],
                           note_taker=data["note_taker"], students=list(data["students"]), place=data["place"],
                           video_link=data["video_link"], language=data["language"])
        check = check_session(plan, sees_names=True)
        if check.allows(override_reason=data["override_reason"]):
            session = schedule_session(plan, user=request.user, sees_names=True, override_reason=data["override_reason"])
            messages.success(request, _("Session scheduled."))
            for warning in check.warnings:
                messages.warning(request, warning)
            return redirect("session_detail", slug=slug, pk=session.pk)
    record(action=AuditAction.VIEW_STUDENT_NAMES, request=request, program=access.program, detail={"page": "schedule"})
    return render(request, "interviews/session_form.html", {
        "access": access, "program": access.program, "active": "sessions", "form": form, "check": check,
        "protocol": current_protocol(access.program),
    })


@login_required
@require_GET
def session_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = get_program_for(request.user, slug, page="session_detail")
    session = _session(access, pk)
    names = sees_names_in(session, access, request.user)
    if names:
        record(action=AuditAction.VIEW_STUDENT_NAMES, request=request, obj=session, program=session.program,
               detail={"page": "session"})
    protocol = current_protocol(access.program)
    return render(request, "interviews/session_detail.html", {
        "access": access, "program": access.program, "active": "sessions", "session": session, "names": names,
        "can_run": runs_with_role(session, request.user, access.role), "cancel_form": CancelForm(),
        "session_language": language_name(session.language),
        "untranslated": untranslated_positions(session.protocol, session.language) if session.language != BASE_LANGUAGE else [],
        "needs_review": request.user.pk == session.facilitator_id and protocol is not None
        and not has_reviewed(protocol=protocol, user=request.user),
    })


@login_required
@require_POST
def session_action(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = get_program_for(request.user, slug, page="session_action")
    session = _session(access, pk)
    action = request.POST.get("action")
    try:
        if action == "start":
            start_session(session, user=request.user)
            messages.success(request, _("The session is in progress."))
        elif action == "complete":
            complete_session(session, user=request.user)
            messages.success(request, _("The session is completed. Thank you."))
        elif action == "cancel":
            if not access.is_lead:
                raise PermissionDenied(_("Only a lead can cancel a session."))
            form = CancelForm(request.POST)
            cancel_session(session, reason=form.data.get("reason", ""))
            messages.success(request, _("The session is cancelled."))
        else:
            raise Http404(_("Unknown action"))
    except PermissionError as refusal:
        raise PermissionDenied(str(refusal)) from refusal
    except ValueError as refusal:
        messages.error(request, str(refusal))
    return redirect("session_detail", slug=slug, pk=pk)


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    return attachment(content, filename=filename, content_type="text/calendar; charset=utf-8")


@login_required
@require_GET
def session_ics(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = get_program_for(request.user, slug, page="session_ics")
    session = _session(access, pk)
    return _ics_response(calendar_file([session], name=access.program.name), f"session-{session.pk}.ics")


@login_required
@require_GET
def facilitator_ics(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    access = get_program_for(request.user, slug, page="facilitator_ics")
    if user_id > LARGEST_ID or not access.program.memberships.filter(user_id=user_id).exists():
        raise Http404(_("Nobody with this id is on the program's team."))
    if not access.is_lead and request.user.pk != user_id:
        raise PermissionDenied(_("You can download your own calendar only."))
    sessions = sessions_for(access.program, request.user, SessionFilters(facilitator=user_id)).select_related("program")
    return _ics_response(calendar_file(sessions, name=_("%(program)s: my sessions") % {"program": access.program.name}), f"sessions-{user_id}.ics")
