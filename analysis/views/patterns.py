"""Patterns across subgroups: the theme-by-subgroup heatmap, its CSV, and the comparison of two programs."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from analysis.compare import compare_programs
from analysis.exports import pattern_rows
from analysis.patterns import heatmap, program_patterns
from analysis.views.common import page_context
from audit.log import record
from audit.models import AuditAction
from programs.access import get_program_for
from programs.pages import may_open


@login_required
@require_GET
def patterns(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="patterns")
    themes_list = list(access.program.themes.prefetch_related("codes"))
    columns, rows = heatmap(program_patterns(access.program, themes_list), themes_list)
    # The page says, in general terms only, what a lower threshold would show: never per cell, so that
    # no hidden count can be read off the explanation.
    return render(request, "analysis/patterns.html", page_context(
        access, columns=columns, rows=rows, threshold=access.program.suppression_threshold,
        minimum=settings.SUPPRESSION_THRESHOLD_MIN, may_edit=may_open(access.role, "program_edit")))


@login_required
@require_GET
def patterns_export(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    access = get_program_for(request.user, slug, page="patterns_export")
    record(action=AuditAction.EXPORT, request=request, program=access.program, detail={"export": "theme by subgroup (csv)"})
    themes_list = list(access.program.themes.prefetch_related("codes"))
    response = StreamingHttpResponse(pattern_rows(access.program, themes_list), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="themes-by-subgroup-{slug}.csv"'
    return response


@login_required
@require_GET
def compare(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="compare")
    # Only programs whose findings this person may read there too.
    others = [m.program for m in request.user.memberships.select_related("program").exclude(program=access.program)
              if may_open(m.role, "compare")]
    other = next((p for p in others if p.slug == request.GET.get("with")), None)
    changes = compare_programs(other, access.program) if other else []
    return render(request, "analysis/compare.html", page_context(access, others=others, other=other, changes=changes))

