from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from audit.log import record
from audit.models import AuditAction
from programs.access import get_program_for
from programs.forms import AddMemberForm, ChangeRoleForm, ProgramForm
from programs.models import ROLE_DESCRIPTIONS, Membership, Program, Role
from programs.team import TeamChangeRefused, add_member, change_role, remove_member

NO_CREATE_PERMISSION = gettext_lazy("Your account cannot create programs. Ask your administrator.")


@login_required
@require_http_methods(["GET", "POST"])
def program_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("programs.add_program"):
        raise PermissionDenied(str(NO_CREATE_PERMISSION))
    form = ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            program = form.save(commit=False)
            program.created_by = request.user
            program.save()
            form.save_m2m()
            add_member(program=program, user=request.user, role=Role.LEAD)
            record(action=AuditAction.CHANGE_PROGRAM, request=request, obj=program, program=program,
                   detail=form.audit_detail())
        messages.success(request, _("Program “%(name)s” created. You are its lead.") % {"name": program.name})
        return redirect(program)
    return render(request, "programs/program_form.html", {"form": form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def program_edit(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="program_edit")
    # The form validates its own copy: what was typed must not reach the program bar of a page shown again.
    form = ProgramForm(request.POST or None, instance=Program.objects.get(pk=access.program.pk))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            program = form.save(commit=False)
            program.reschedule_purge(today=timezone.localdate())
            program.save()
            form.save_m2m()
            record(action=AuditAction.CHANGE_PROGRAM, request=request, obj=program, program=program,
                   detail=form.audit_detail())
        messages.success(request, _("Program saved."))
        return redirect(program)
    return render(request, "programs/program_form.html",
                  {"form": form, "access": access, "program": access.program, "active": "edit",
                   "retention_change": form.retention_change})


@login_required
@require_http_methods(["GET", "POST"])
def program_team(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="program_team")
    program = access.program
    add_form = AddMemberForm(program=program)
    if request.method == "POST":
        if not access.is_lead:
            raise PermissionDenied(_("Only a lead can change the team."))
        action = request.POST.get("action")
        if action == "add":
            add_form = AddMemberForm(request.POST, program=program)
            if add_form.is_valid():
                user, role = add_form.cleaned_data["user"], Role(add_form.cleaned_data["role"])
                membership = add_member(program=program, user=user, role=role)
                record(action=AuditAction.CHANGE_ROLE, request=request, obj=membership, program=program,
                       detail={"change": "added", "user": user.get_username(), "role": role})
                messages.success(request, _("%(user)s joined the team as %(role)s.") % {"user": user.get_username(), "role": role.label})
                return redirect("program_team", slug=slug)
        elif action in {"change", "remove"}:
            membership = get_object_or_404(Membership, pk=request.POST.get("membership"), program=program)
            _change_membership(request, membership, action)
            return redirect("program_team", slug=slug)
    memberships = program.memberships.select_related("user", "user__staff_member").order_by("role", "user__username")
    return render(
        request,
        "programs/program_team.html",
        {
            "access": access,
            "program": program,
            "active": "team",
            "memberships": memberships,
            "add_form": add_form,
            "roles": Role.choices,
            "role_descriptions": [(Role(value).label, text) for value, text in ROLE_DESCRIPTIONS.items()],
        },
    )


def _change_membership(request: HttpRequest, membership: Membership, action: str) -> None:
    """Change a member's role or remove them, telling the lead what happened or why not."""
    username = membership.user.get_username()
    try:
        if action == "remove":
            remove_member(membership=membership)
            detail, done = {"change": "removed", "user": username}, _("%(user)s left the team.") % {"user": username}
        else:
            form = ChangeRoleForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Choose one of the roles in the list."))
                return
            role = Role(form.cleaned_data["role"])
            change_role(membership=membership, role=role)
            detail, done = ({"change": "role", "user": username, "role": role},
                            _("%(user)s is now %(role)s.") % {"user": username, "role": role.label})
    except TeamChangeRefused as refusal:
        messages.error(request, str(refusal))
        return
    record(action=AuditAction.CHANGE_ROLE, request=request, program=membership.program, detail=detail)
    messages.success(request, done)
