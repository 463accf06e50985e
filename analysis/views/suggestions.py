"""Theme suggestions: run them on the uncoded notes, then accept one as a code or dismiss it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from analysis.codebook import CodebookRefused
from analysis.models import Category, SuggestionRun, ThemeSuggestion
from analysis.suggestions import accept, dismiss, start_run
from analysis.views.common import page_context
from interviews.models import Note
from programs.access import get_program_for

SHOWN_MEMBERS = 30  # notes of a suggestion shown for the analyst to confirm


@login_required
@require_http_methods(["GET", "POST"])
def suggestions(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="suggestions")
    program = access.program
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "run":
            start_run(program, user=request.user)
            return redirect("suggestions", slug=slug)
        suggestion = get_object_or_404(ThemeSuggestion, pk=request.POST.get("suggestion"), run__program=program)
        if action == "dismiss":
            dismiss(suggestion)
        elif action == "accept":
            category = get_object_or_404(Category, pk=request.POST.get("category"), program=program)
            name = request.POST.get("name", "").strip() or suggestion.top_words[0].capitalize()
            try:
                code = accept(suggestion, name=name, category=category, coder=request.user,
                              confirmed_note_ids=request.POST.getlist("notes"))
                messages.success(request, f"Code “{code.name}” created and applied to {code.applications.count()} notes.")
            except CodebookRefused as refusal:
                messages.error(request, str(refusal))
        return redirect("suggestions", slug=slug)
    run = program.suggestion_runs.first()
    items = []
    if run and run.status == SuggestionRun.Status.READY:
        open_items = list(run.suggestions.filter(status=ThemeSuggestion.Status.OPEN))
        wanted = {i for s in open_items for i in s.note_ids[:SHOWN_MEMBERS]}
        notes = {str(n.pk): n for n in Note.objects.filter(pk__in=wanted).select_related("student")}
        items = [(s, [notes[i] for i in s.note_ids[:SHOWN_MEMBERS] if i in notes]) for s in open_items]
    if request.htmx and request.GET.get("poll"):
        return render(request, "analysis/suggestions.html#run-status", {"run": run, "program": program})
    return render(request, "analysis/suggestions.html", page_context(access, run=run, items=items,
                  categories=program.categories.all()))

