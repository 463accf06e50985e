"""Theme suggestions: run them on the uncoded notes, then accept one as a code or dismiss it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from analysis.codebook import CodebookRefused, seed_categories
from analysis.forms.base import UNKNOWN_CHANGE, ProgramForm, field_messages, posted_change, typed
from analysis.forms.suggestions import AcceptSuggestionForm, SuggestionForm
from analysis.models import SuggestionRun, ThemeSuggestion
from analysis.suggestions import accept, dismiss, start_run
from analysis.views.common import page_context
from interviews.models import Note
from programs.access import ProgramAccess, get_program_for

SHOWN_MEMBERS = 30  # notes of a suggestion shown for the analyst to confirm


def _dismiss(request: HttpRequest, access: ProgramAccess) -> ProgramForm:
    form = SuggestionForm(request.POST, program=access.program)
    if form.is_valid():
        dismiss(form.cleaned_data["suggestion"])
    return form


def _accept(request: HttpRequest, access: ProgramAccess) -> ProgramForm:
    form = AcceptSuggestionForm(request.POST, program=access.program)
    if form.is_valid():
        data = form.cleaned_data
        try:
            code = accept(data["suggestion"], name=data["name"], category=data["category"], coder=request.user,
                          confirmed_note_ids=data["notes"])
        except CodebookRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            applied = code.applications.count()
            messages.success(request, ngettext("Code “%(code)s” created and applied to %(count)s note.",
                                               "Code “%(code)s” created and applied to %(count)s notes.", applied) % {
                "code": code.name, "count": applied})
    return form


SUGGESTION_CHANGES = {"dismiss": _dismiss, "accept": _accept}


@login_required
@require_http_methods(["GET", "POST"])
def suggestions(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="suggestions")
    program = access.program
    seed_categories(program)  # a suggestion is accepted into a category: one opened before the codebook has them too
    if request.method == "POST":
        action = posted_change(request.POST)
        if action == "run":
            start_run(program, user=request.user)
            return redirect("suggestions", slug=slug)
        change = SUGGESTION_CHANGES.get(action)
        if change is None:
            messages.error(request, UNKNOWN_CHANGE)
            return _page(request, access, status=400)
        form = change(request, access)
        if not form.errors:
            return redirect("suggestions", slug=slug)
        for problem in field_messages(form):
            messages.error(request, problem)
        return _page(request, access, typed=typed(form, action), status=400)
    if request.htmx and request.GET.get("poll"):
        return render(request, "analysis/suggestions.html#run-status", {"run": program.suggestion_runs.first(),
                                                                         "program": program})
    return _page(request, access)


def _page(request: HttpRequest, access: ProgramAccess, *, typed: dict | None = None, status: int = 200) -> HttpResponse:
    program = access.program
    run = program.suggestion_runs.first()
    items = []
    if run and run.status == SuggestionRun.Status.READY:
        open_items = list(run.suggestions.filter(status=ThemeSuggestion.Status.OPEN))
        wanted = {i for s in open_items for i in s.note_ids[:SHOWN_MEMBERS]}
        notes = {str(n.pk): n for n in Note.objects.filter(pk__in=wanted).select_related("student")}
        items = [(s, [notes[i] for i in s.note_ids[:SHOWN_MEMBERS] if i in notes]) for s in open_items]
    return render(request, "analysis/suggestions.html", page_context(
        access, run=run, items=items, categories=program.categories.all(), typed=typed or {}), status=status)
