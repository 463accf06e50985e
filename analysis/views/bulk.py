"""Code every result of a workbench search, and undo it in one action (analysis/bulk_coding.py)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from analysis.bulk_coding import code_every_result, undo_bulk_coding
from analysis.coding import CodingRefused
from analysis.forms.base import field_messages
from analysis.forms.bulk import BulkCodeForm
from analysis.models import BulkCoding
from analysis.workbench import WorkbenchFilters, workbench_notes
from programs.access import get_program_for


def _workbench(slug: str, filters: WorkbenchFilters | None = None, **extra: str) -> HttpResponse:
    params = {**(filters.as_query() if filters else {}), **extra}
    return redirect(reverse("workbench", kwargs={"slug": slug}) + (f"?{urlencode(params)}" if params else ""))


@login_required
@require_POST
def bulk_code(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="bulk_code")
    form = BulkCodeForm(request.POST, program=access.program)
    if not form.is_valid():
        for problem in field_messages(form):
            messages.error(request, problem)
        return _workbench(slug, form.cleaned_data.get("filters"))
    data = form.cleaned_data
    filters = data["filters"]
    try:
        result = code_every_result(program=access.program, notes=workbench_notes(access.program, filters),
                                 code=data["bulk_code"], stance=data["bulk_stance"], coder=request.user,
                                 query=filters.query, filters=filters.as_query(), expected=data["count"])
    except CodingRefused as refusal:
        messages.error(request, str(refusal))
        # Back to the confirmation, which shows the count as it is now.
        return _workbench(slug, filters, bulk_code=str(data["bulk_code"].pk), bulk_stance=data["bulk_stance"])
    done = ngettext("Coded %(count)s note with “%(code)s”.", "Coded %(count)s notes with “%(code)s”.",
                    result.coded) % {"count": result.coded, "code": data["bulk_code"].name}
    if result.skipped:
        done += " " + ngettext("%(count)s note already had it and was skipped.",
                               "%(count)s notes already had it and were skipped.", result.skipped) % {"count": result.skipped}
    messages.success(request, done)
    return _workbench(slug, filters)


@login_required
@require_POST
def bulk_undo(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = get_program_for(request.user, slug, page="bulk_undo")
    bulk = get_object_or_404(BulkCoding.objects.select_related("code"), pk=pk, program=access.program)
    try:
        deleted = undo_bulk_coding(bulk=bulk, user=request.user)
    except CodingRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, ngettext("Undone: “%(code)s” is off the %(count)s note it was given.",
                                           "Undone: “%(code)s” is off the %(count)s notes it was given.",
                                           deleted) % {"code": bulk.code.name, "count": deleted})
    return _workbench(slug, WorkbenchFilters.from_query(bulk.filters))
