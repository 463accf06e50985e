"""The action plan screens: the ideas board, the actions board and list, an action's page, CSV."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from actions.models import ActionItem, ActionKind, ActionStatus, Idea, IdeaComment
from actions.plan import (
    ActionRefused,
    action_from_idea,
    add_update,
    change_status,
    merge_ideas,
    themes_without_action,
    toggle_vote,
    update_details,
)
from analysis.models import Theme
from audit.log import record
from audit.models import AuditAction
from programs.access import get_program_for
from toolkit.tables import SafeCsvWriter


def _team(program):
    return [m.user for m in program.memberships.select_related("user").order_by("user__first_name", "user__username")]


def _date(value: str, label: str = "The date") -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError as exc:
        raise ActionRefused(f"{label} “{value}” is not a date; write it as 2026-12-05.") from exc


@login_required
@require_http_methods(["GET", "POST"])
def ideas(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="ideas")
    program = access.program
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add":
                title = request.POST.get("title", "").strip()
                if not title:
                    raise ActionRefused("Give the idea a short title.")
                idea = Idea.objects.create(program=program, title=title, description=request.POST.get("description", ""),
                                           group=request.POST.get("group", "").strip(), author=request.user)
                idea.themes.set(Theme.objects.filter(program=program, pk__in=request.POST.getlist("themes")))
            else:
                idea = get_object_or_404(Idea, pk=request.POST.get("idea"), program=program)
                if action == "vote":
                    toggle_vote(idea, request.user)
                elif action == "comment" and request.POST.get("text", "").strip():
                    IdeaComment.objects.create(idea=idea, author=request.user, text=request.POST["text"].strip()[:1000])
                elif action == "merge":
                    if not access.is_lead:
                        raise PermissionDenied("Only a lead merges ideas.")
                    merge_ideas(source=idea, target=get_object_or_404(Idea, pk=request.POST.get("target"), program=program))
                elif action == "to_action":
                    if not access.is_lead:
                        raise PermissionDenied("Only a lead turns ideas into actions.")
                    owner = next((u for u in _team(program) if str(u.pk) == request.POST.get("owner")), None)
                    if owner is None:
                        raise ActionRefused("Choose an owner from the team.")
                    item = action_from_idea(idea, owner=owner, kind=request.POST.get("kind", ActionKind.PROJECT),
                                            due_on=_date(request.POST.get("due_on", "")))
                    messages.success(request, f"“{item.title}” is now an action, owned by {owner.get_full_name() or owner.username}.")
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
        return redirect("ideas", slug=slug)
    board = (Idea.objects.filter(program=program, merged_into=None).annotate(support=Count("votes", distinct=True))
             .prefetch_related("themes", "comments__author", "action_items").select_related("author")
             .order_by("group", "-support", "-created_at"))
    voted = set(Idea.objects.filter(program=program, votes__user=request.user).values_list("pk", flat=True))
    return render(request, "actions/ideas.html", {
        "access": access, "program": program, "active": "actions", "ideas": board, "voted": voted,
        "themes": Theme.objects.filter(program=program), "team": _team(program), "kinds": ActionKind.choices,
    })


@login_required
@require_GET
def actions(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="actions")
    program = access.program
    items = (ActionItem.objects.filter(program=program).select_related("owner").prefetch_related("themes")
             .order_by("due_on", "title"))
    theme, owner, kind = request.GET.get("theme", ""), request.GET.get("owner", ""), request.GET.get("kind", "")
    if theme.isdigit():
        items = items.filter(themes__pk=int(theme))
    if owner.isdigit():
        items = items.filter(owner_id=int(owner))
    if kind in ActionKind.values:
        items = items.filter(kind=kind)
    items = list(items)
    columns = [(label, [i for i in items if i.status == value]) for value, label in ActionStatus.choices]
    return render(request, "actions/actions.html", {
        "access": access, "program": program, "active": "actions", "items": items, "columns": columns,
        "view": "list" if request.GET.get("view") == "list" else "board", "themes": Theme.objects.filter(program=program),
        "team": _team(program), "kinds": ActionKind.choices, "filters": {"theme": theme, "owner": owner, "kind": kind},
        "unanswered": themes_without_action(program), "today": dt.date.today(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def action_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = get_program_for(request.user, slug, page="action_detail")
    item = get_object_or_404(ActionItem.objects.select_related("owner", "idea"), pk=pk, program=access.program)
    can_edit = access.is_lead or item.owner_id == request.user.pk
    typed = None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Only the owner or a lead updates an action.")
        action = request.POST.get("action")
        try:
            if action == "status":
                change_status(item, status=request.POST.get("status", item.status), reason=request.POST.get("reason", ""))
                messages.success(request, "Status saved.")
            elif action == "update":
                add_update(item, author=request.user, text=request.POST.get("text", ""))
                messages.success(request, "Update posted.")
            elif action == "details":
                typed = {"measure": request.POST.get("measure", ""), "starts_on": request.POST.get("starts_on", ""),
                         "due_on": request.POST.get("due_on", ""), "people": request.POST.getlist("people")}
                update_details(item, measure=typed["measure"], starts_on=_date(typed["starts_on"], "The start date"),
                               due_on=_date(typed["due_on"], "The due date"),
                               people=[u for u in _team(access.program) if str(u.pk) in typed["people"]])
                messages.success(request, "Saved.")
            return redirect("action_detail", slug=slug, pk=pk)
        except ActionRefused as refusal:
            if typed is None:
                messages.error(request, str(refusal))
                return redirect("action_detail", slug=slug, pk=pk)
            typed["error"] = str(refusal)
    people = {int(pk) for pk in typed["people"] if pk.isdigit()} if typed else set(item.people.values_list("pk", flat=True))
    return render(request, "actions/action_detail.html", {
        "access": access, "program": access.program, "active": "actions", "item": item, "can_edit": can_edit,
        "statuses": ActionStatus.choices, "updates": item.updates.select_related("author"), "team": _team(access.program),
        "people": people, "typed": typed,
    }, status=400 if typed else 200)


@login_required
@require_GET
def actions_csv(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="actions_csv")
    record(action=AuditAction.EXPORT, request=request, program_slug=slug, detail={"export": "action items (csv)"})
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="action-plan-{slug}.csv"'
    writer = SafeCsvWriter(response)
    writer.writerow(["title", "kind", "themes", "owner", "starts", "due", "status", "dropped because", "measure of success"])
    for item in ActionItem.objects.filter(program=access.program).select_related("owner").prefetch_related("themes"):
        writer.writerow([item.title, item.get_kind_display(), "; ".join(t.name for t in item.themes.all()),
                         item.owner.get_full_name() or item.owner.username, item.starts_on or "", item.due_on or "",
                         item.get_status_display(), item.dropped_reason, item.measure])
    return response
