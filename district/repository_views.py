"""The district repository's page (district/repository.py): one GET form, its results and counts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from analysis.models import Code, Theme
from district.repository import (
    MAX_NAME_SUGGESTIONS,
    RepositoryFilters,
    counts_by_program,
    repository_notes,
    repository_programs,
    results_page,
    searches_every_program,
)
from district.repository_forms import RepositoryForm
from participants.models import School

NOT_ALLOWED = _("The district repository is for the district's administrators and for each program's lead.")


def _names(model, programs) -> list[str]:
    return list(model.objects.filter(program__in=programs).order_by("name").values_list("name", flat=True)
                .distinct()[:MAX_NAME_SUGGESTIONS])


@login_required
@require_GET
def repository(request: HttpRequest) -> HttpResponse:
    every_program = searches_every_program(request.user)
    programs_qs = repository_programs(user=request.user)
    programs = list(programs_qs.order_by("-starts_on", "name"))
    if not programs and not every_program:
        raise PermissionDenied(str(NOT_ALLOWED))
    schools = list(School.objects.filter(programs__in=programs_qs).distinct().order_by("name"))
    form = RepositoryForm(request.GET or None, programs=programs, schools=schools)
    page = counts = None
    if not form.is_bound or form.is_valid():
        # Nothing typed yet: the newest words of every program, with their counts.
        filters = form.filters() if form.is_bound else RepositoryFilters()
        notes = repository_notes(programs=programs_qs, filters=filters)
        page = results_page(notes=notes, number=form.page_number if form.is_bound else 1, query=filters.query)
        # Counts answer a search: with nothing chosen they would count every note of the district on each visit.
        counts = counts_by_program(notes=notes, programs=programs) if filters.any else None
    return render(request, "district/repository.html", {
        "form": form, "page": page, "counts": counts, "every_program": every_program,
        "program_count": len(programs),
        "code_names": _names(Code, programs_qs), "theme_names": _names(Theme, programs_qs),
    })
