"""Asking for reports, watching them render, downloading them (audited), retrying a failure."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from analysis.models import Theme
from audit.log import record
from audit.models import AuditAction
from programs.access import get_program_for
from reports.models import Report, ReportKind, ReportStatus
from reports.student_summary import (
    families_by_language,
    page_language,
    publish,
    published_link,
    summary_data,
    unpublish,
)
from reports.tasks import enqueue
from toolkit.languages import activate_for_family

THRESHOLD_TOO_LOW = gettext_lazy("The threshold can be {minimum} or more, never less.")
LANGUAGE_NOT_OFFERED = gettext_lazy("Choose one of the languages offered for the report.")
BELOW_PROGRAM_THRESHOLD = gettext_lazy("Only a lead can show groups smaller than the program's threshold of "
                                       "{threshold}. Choose {threshold} or more.")


@login_required
@require_http_methods(["GET", "POST"])
def report_list(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="report_list")
    program = access.program
    themes = list(Theme.objects.filter(program=program))
    errors: list[str] = []
    if request.method == "POST":
        kind = request.POST.get("kind")
        threshold_field = forms.IntegerField(required=False, min_value=0, max_value=1000)
        try:
            threshold = threshold_field.clean(request.POST.get("threshold")) or program.suppression_threshold
        except forms.ValidationError:
            threshold = -1  # answered below with the message about the threshold
        if kind not in ReportKind.values:
            errors.append(_("Choose what to produce."))
        # The report's language: the one chosen on the form, the page's when none is sent.
        language = request.POST.get("language") or translation.get_language()
        if language not in dict(settings.LANGUAGES):
            errors.append(str(LANGUAGE_NOT_OFFERED))
        if threshold < settings.SUPPRESSION_THRESHOLD_MIN:
            errors.append(THRESHOLD_TOO_LOW.format(minimum=settings.SUPPRESSION_THRESHOLD_MIN))
        elif threshold < program.suppression_threshold and not access.is_lead:
            errors.append(BELOW_PROGRAM_THRESHOLD.format(threshold=program.suppression_threshold))
        if not errors:
            chosen = [t.pk for t in themes if str(t.pk) in request.POST.getlist("themes")]
            report = Report.objects.create(program=program, kind=kind, requested_by=request.user, options={
                "themes": chosen, "patterns": request.POST.get("patterns") == "on", "threshold": threshold,
                "summary": request.POST.get("summary", "")[:5000],
                "language": language,
            })
            enqueue(report.pk)
            messages.success(request, _("%(kind)s requested.") % {"kind": report.get_kind_display()})
            return redirect("report_list", slug=slug)
    reports = program.reports.select_related("requested_by")[:30]
    if request.htmx and request.GET.get("poll"):
        return render(request, "reports/report_list.html#reports", {"program": program, "reports": reports})
    return render(request, "reports/report_list.html", {
        "access": access, "program": program, "active": "reports", "reports": reports, "themes": themes,
        "kinds": ReportKind.choices, "errors": errors, "languages": settings.LANGUAGES,
        "chosen_language": (request.POST.get("language") if errors else None) or translation.get_language(), "form": request.POST if errors else None,
        "threshold": program.suppression_threshold, "minimum": settings.SUPPRESSION_THRESHOLD_MIN,
        "busy": any(r.status in (ReportStatus.QUEUED, ReportStatus.RENDERING) for r in reports),
        "summary_link": getattr(program, "student_summary_link", None) if access.is_lead else None,
        "summary_url": request.build_absolute_uri(reverse("student_summary_page", kwargs={"token": program.student_summary_link.token}))
        if access.is_lead and hasattr(program, "student_summary_link") else "",
        "summary_pages": _summary_pages(request, program) if access.is_lead else [],
    })


def _summary_pages(request: HttpRequest, program) -> list[tuple[str, str, str, int]]:
    """The published summary's address in each of its languages: (code, name, address, families)."""
    link = getattr(program, "student_summary_link", None)
    if link is None:
        return []
    base = request.build_absolute_uri(reverse("student_summary_page", kwargs={"token": link.token}))
    families = families_by_language(program)
    names = dict(settings.LANGUAGES)
    return [(code, names.get(code, code), f"{base}?lang={code}", families.get(code, 0))
            for code in link.languages or [settings.LANGUAGE_CODE]]


@login_required
@require_GET
def report_download(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    access = get_program_for(request.user, slug, page="report_download")
    report = get_object_or_404(Report, pk=pk, program=access.program)
    if report.status != ReportStatus.READY or not report.file:
        raise Http404(_("This report is not ready."))
    record(action=AuditAction.DOWNLOAD_REPORT, request=request, obj=report, program=access.program,
           detail={"kind": report.kind})
    language = f"-{report.language}" if report.language else ""
    # "…-slides-es-2026-05-01.pptx": the extension says which file of a kind it is.
    kind = report.kind.removesuffix(f"_{report.format.value}")
    filename = f"{access.program.slug}-{kind}{language}-{report.created_at:%Y-%m-%d}.{report.format.value}"
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=filename, content_type=report.content_type)


@login_required
@require_POST
def report_retry(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = get_program_for(request.user, slug, page="report_retry")
    report = get_object_or_404(Report, pk=pk, program=access.program, status=ReportStatus.FAILED)
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.QUEUED, error="", attempts=0)
    enqueue(report.pk)
    return redirect("report_list", slug=slug)


@login_required
@require_POST
def student_summary_publishing(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="student_summary_publishing")
    if request.POST.get("action") == "unpublish":
        unpublish(access.program)
        messages.success(request, _("The summary for students is no longer online; its link stopped working."))
    else:
        link = publish(access.program, user=request.user, printable=True)
        names = ", ".join(dict(settings.LANGUAGES).get(code, code) for code in link.languages)
        messages.success(request, _("The summary for students is online in %(languages)s. Share each family the "
                                    "link in their language; printable copies are being made below.") % {"languages": names})
    return redirect("report_list", slug=slug)


@require_GET
def student_summary_page(request: HttpRequest, token: str) -> HttpResponse:
    """The published summary for students: no account needed, no names, small groups withheld."""
    link = published_link(token)
    if link is None:
        raise Http404(_("No summary here."))
    # A family's address names their language: the page opens in it, unless the visitor chose another.
    language = page_language(link, request.GET.get("lang"))
    if language:
        activate_for_family(request, recorded=language)
    return render(request, "reports/student_summary.html", {
        "program": link.program, "data": summary_data(link.program, language=translation.get_language())})
