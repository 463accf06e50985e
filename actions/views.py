"""The action plan screens: the ideas board, the actions board and list, an action's page, CSV.

Each change a page makes is one entry of a table: the form that validates what it sends and the
domain function (in `actions/plan.py`) it calls. A refused change shows its reasons, each naming its
field, on the page again with what was typed; nothing is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from actions.forms import (
    LIST,
    BoardFilterForm,
    CommentForm,
    DetailsForm,
    IdeaForm,
    MergeIdeasForm,
    StatusForm,
    ToActionForm,
    UpdateForm,
    VoteForm,
    team,
)
from actions.models import ActionItem, ActionKind, ActionStatus, Idea
from actions.plan import (
    ActionRefused,
    action_from_idea,
    add_idea,
    add_update,
    change_status,
    comment_on_idea,
    merge_ideas,
    themes_without_action,
    toggle_vote,
    update_details,
)
from analysis.forms.base import UNKNOWN_CHANGE, ProgramForm, field_messages, posted_change, typed
from analysis.models import Theme
from audit.log import record
from audit.models import AuditAction
from programs.access import ProgramAccess, get_program_for
from toolkit.tables import SafeCsvWriter

ONLY_A_LEAD_MERGES = gettext_lazy("Only a lead merges ideas.")
ONLY_A_LEAD_MAKES_ACTIONS = gettext_lazy("Only a lead turns ideas into actions.")
ONLY_OWNER_OR_LEAD_UPDATES = gettext_lazy("Only the owner or a lead updates an action.")


@dataclass(frozen=True)
class Change:
    form: type[ProgramForm]
    make: Callable[..., str | None]  # calls the domain function; returns what to tell the person
    leads_only: str | None = None  # the refusal for anyone else, when only a lead makes this change


def _add(request: HttpRequest, program, data: dict) -> None:
    add_idea(program=program, author=request.user, title=data["title"], description=data["description"],
             group=data["group"], themes=data["themes"])


def _vote(request: HttpRequest, program, data: dict) -> None:
    toggle_vote(data["idea"], request.user)


def _comment(request: HttpRequest, program, data: dict) -> None:
    comment_on_idea(idea=data["idea"], author=request.user, text=data["text"])


def _merge(request: HttpRequest, program, data: dict) -> None:
    merge_ideas(source=data["idea"], target=data["target"])


def _to_action(request: HttpRequest, program, data: dict) -> str:
    owner = data["owner"]
    item = action_from_idea(data["idea"], owner=owner, kind=data["kind"], due_on=data["due_on"])
    return _("“%(title)s” is now an action, owned by %(owner)s.") % {
        "title": item.title, "owner": owner.get_full_name() or owner.username}


IDEA_CHANGES: dict[str, Change] = {
    "add": Change(IdeaForm, _add),
    "vote": Change(VoteForm, _vote),
    "comment": Change(CommentForm, _comment),
    "merge": Change(MergeIdeasForm, _merge, leads_only=ONLY_A_LEAD_MERGES),
    "to_action": Change(ToActionForm, _to_action, leads_only=ONLY_A_LEAD_MAKES_ACTIONS),
}


@login_required
@require_http_methods(["GET", "POST"])
def ideas(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="ideas")
    program = access.program
    if request.method == "GET":
        return _ideas_page(request, access)
    action = posted_change(request.POST)
    change = IDEA_CHANGES.get(action)
    if change is None:
        messages.error(request, UNKNOWN_CHANGE)
        return _ideas_page(request, access, status=400)
    if change.leads_only and not access.is_lead:
        raise PermissionDenied(change.leads_only)
    form = change.form(request.POST, program=program)
    if form.is_valid():
        try:
            done = change.make(request, program, form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            if done:
                messages.success(request, done)
            return redirect("ideas", slug=slug)
    for problem in field_messages(form):
        messages.error(request, problem)
    return _ideas_page(request, access, typed=typed(form, action), status=400)


def _ideas_page(request: HttpRequest, access: ProgramAccess, *, typed: dict | None = None,
                status: int = 200) -> HttpResponse:
    program = access.program
    board = (Idea.objects.filter(program=program, merged_into=None).annotate(support=Count("votes", distinct=True))
             .prefetch_related("themes", "comments__author", "action_items").select_related("author")
             .order_by("group", "-support", "-created_at"))
    voted = set(Idea.objects.filter(program=program, votes__user=request.user).values_list("pk", flat=True))
    return render(request, "actions/ideas.html", {
        "access": access, "program": program, "active": "actions", "ideas": board, "voted": voted,
        "themes": Theme.objects.filter(program=program), "team": team(program), "kinds": ActionKind.choices,
        "typed": typed or {},
    }, status=status)


@login_required
@require_GET
def actions(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="actions")
    program = access.program
    items = (ActionItem.objects.filter(program=program).select_related("owner").prefetch_related("themes")
             .order_by("due_on", "title"))
    chosen = BoardFilterForm(request.GET).chosen()
    if chosen["theme"] is not None:
        items = items.filter(themes__pk=chosen["theme"])
    if chosen["owner"] is not None:
        items = items.filter(owner_id=chosen["owner"])
    if chosen["kind"]:
        items = items.filter(kind=chosen["kind"])
    items = list(items)
    columns = [(label, [i for i in items if i.status == value]) for value, label in ActionStatus.choices]
    filters = {name: "" if chosen[name] is None else str(chosen[name]) for name in ("theme", "owner", "kind")}
    return render(request, "actions/actions.html", {
        "access": access, "program": program, "active": "actions", "items": items, "columns": columns,
        "view": "list" if chosen["view"] == LIST else "board", "themes": Theme.objects.filter(program=program),
        "team": team(program), "kinds": ActionKind.choices, "filters": filters,
        "unanswered": themes_without_action(program), "today": dt.date.today(),
    })


def _status(request: HttpRequest, item: ActionItem, data: dict) -> str:
    change_status(item, status=data["status"], reason=data["reason"])
    return _("Status saved.")


def _update(request: HttpRequest, item: ActionItem, data: dict) -> str:
    add_update(item, author=request.user, text=data["text"])
    return _("Update posted.")


def _details(request: HttpRequest, item: ActionItem, data: dict) -> str:
    update_details(item, measure=data["measure"], starts_on=data["starts_on"], due_on=data["due_on"],
                   people=data["people"])
    return _("Saved.")


ACTION_CHANGES: dict[str, Change] = {
    "status": Change(StatusForm, _status),
    "update": Change(UpdateForm, _update),
    "details": Change(DetailsForm, _details),
}


@login_required
@require_http_methods(["GET", "POST"])
def action_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = get_program_for(request.user, slug, page="action_detail")
    item = get_object_or_404(ActionItem.objects.select_related("owner", "idea"), pk=pk, program=access.program)
    can_edit = access.is_lead or item.owner_id == request.user.pk
    if request.method == "GET":
        return _action_page(request, access, item, can_edit=can_edit)
    if not can_edit:
        raise PermissionDenied(ONLY_OWNER_OR_LEAD_UPDATES)
    action = posted_change(request.POST)
    change = ACTION_CHANGES.get(action)
    if change is None:
        messages.error(request, UNKNOWN_CHANGE)
        return _action_page(request, access, item, can_edit=can_edit, status=400)
    form = change.form(request.POST, program=access.program)
    if form.is_valid():
        try:
            messages.success(request, change.make(request, item, form.cleaned_data))
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            return redirect("action_detail", slug=slug, pk=pk)
    entered = {**typed(form, action), "errors": field_messages(form)}
    return _action_page(request, access, item, can_edit=can_edit, typed=entered, status=400)


def _action_page(request: HttpRequest, access: ProgramAccess, item: ActionItem, *, can_edit: bool,
                 typed: dict | None = None, status: int = 200) -> HttpResponse:
    typed = typed or {}
    if typed.get("action") == "details":
        people = set(typed["people"])
    else:
        people = {str(pk) for pk in item.people.values_list("pk", flat=True)}
    return render(request, "actions/action_detail.html", {
        "access": access, "program": access.program, "active": "actions", "item": item, "can_edit": can_edit,
        "statuses": ActionStatus.choices, "updates": item.updates.select_related("author"), "team": team(access.program),
        "people": people, "typed": typed,
    }, status=status)


@login_required
@require_GET
def actions_csv(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="actions_csv")
    record(action=AuditAction.EXPORT, request=request, program=access.program, detail={"export": "action items (csv)"})
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="action-plan-{slug}.csv"'
    writer = SafeCsvWriter(response)
    writer.writerow(["title", "kind", "themes", "owner", "starts", "due", "status", "dropped because", "measure of success"])
    for item in ActionItem.objects.filter(program=access.program).select_related("owner").prefetch_related("themes"):
        writer.writerow([item.title, item.get_kind_display(), "; ".join(t.name for t in item.themes.all()),
                         item.owner.get_full_name() or item.owner.username, item.starts_on or "", item.due_on or "",
                         item.get_status_display(), item.dropped_reason, item.measure])
    return response
