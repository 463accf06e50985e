"""Themes: the list with a new-theme form, and a theme's page with its quotes and who raised it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from analysis.models import Category, Code, CodeApplication, Theme
from analysis.patterns import overall, pattern_tables
from analysis.themes import add_quote, candidate_quotes, descriptors, stance_lists, theme_quotes
from analysis.views.common import page_context
from programs.access import get_program_for
from programs.models import Role


@login_required
@require_http_methods(["GET", "POST"])
def themes(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="themes")
    program = access.program
    if request.method == "POST":
        if not access.allows(Role.ANALYST):
            return HttpResponse(status=403)
        name = request.POST.get("name", "").strip()
        if not name:
            messages.error(request, "Give the theme a name.")
        else:
            theme = Theme.objects.create(program=program, name=name, insight=request.POST.get("insight", ""),
                                         category=Category.objects.filter(pk=request.POST.get("category") or 0, program=program).first())
            theme.codes.set(Code.objects.filter(program=program, pk__in=request.POST.getlist("codes")))
            return redirect("theme_detail", slug=slug, pk=theme.pk)
    rows = []
    for theme in program.themes.prefetch_related("codes").select_related("category"):
        raised, interviewed = overall(program, code_ids=[c.pk for c in theme.codes.all()])
        rows.append((theme, raised))
    return render(request, "analysis/themes.html", page_context(access, rows=rows, categories=program.categories.all(),
                  codes=Code.objects.filter(program=program, retired=False)))


@login_required
@require_http_methods(["GET", "POST"])
def theme_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = get_program_for(request.user, slug, page="theme_detail")
    theme = get_object_or_404(Theme, pk=pk, program=access.program)
    if request.method == "POST":
        if not access.allows(Role.ANALYST):
            return HttpResponse(status=403)
        if request.POST.get("action") == "quote":
            application = get_object_or_404(CodeApplication, pk=request.POST.get("coding"), code__program=access.program)
            try:
                add_quote(theme, application=application)
            except ValueError as refusal:
                messages.error(request, str(refusal))
        elif request.POST.get("action") == "remove_quote":
            theme.quotes.filter(pk=request.POST.get("quote")).delete()
        else:
            theme.name = request.POST.get("name", theme.name).strip() or theme.name
            theme.insight = request.POST.get("insight", "")
            theme.root_causes = request.POST.get("root_causes", "")
            theme.save()
            theme.codes.set(Code.objects.filter(program=access.program, pk__in=request.POST.getlist("codes")))
            messages.success(request, "Theme saved.")
        return redirect("theme_detail", slug=slug, pk=pk)
    code_ids = list(theme.codes.values_list("pk", flat=True))
    chosen = set(theme.quotes.values_list("note_id", "start", "end"))
    described = descriptors(access.program)
    raised, interviewed = overall(access.program, code_ids=code_ids)
    return render(request, "analysis/theme_detail.html", page_context(
        access, theme=theme, quotes=theme_quotes(theme, described), quote_rows=theme.quotes.all(),
        candidates=[(c, described.get(c.note.student_id, "a student"), (c.note_id, c.start, c.end) in chosen)
                    for c in candidate_quotes(theme)] if access.allows(Role.ANALYST) else [],
        stances=stance_lists(theme), tables=pattern_tables(access.program, code_ids=code_ids), raised=raised,
        interviewed=interviewed, codes=Code.objects.filter(program=access.program, retired=False), code_ids=code_ids,
        actions=theme.action_items.select_related("owner").order_by("due_on"),
    ))

