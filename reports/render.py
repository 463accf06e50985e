"""Rendering a report: HTML from the report data, then a PDF through WeasyPrint with a fetcher that
serves only the app's own static files (see toolkit/pdf.py)."""

from __future__ import annotations

import os
import tempfile

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.content import report_data
from reports.models import Report, ReportFormat, ReportKind, ReportStatus
from toolkit.languages import supported
from toolkit.pdf import STATIC_PREFIX, static_only_fetcher

TEMPLATES = {ReportKind.THEMATIC: "reports/thematic.html", ReportKind.INFOGRAPHIC: "reports/infographic.html",
             ReportKind.SLIDES: "reports/slides.html", ReportKind.STUDENT_SUMMARY: "reports/student_summary_pdf.html"}


def report_language(report: Report) -> str:
    """The language a report is written in: the one of the page that asked for it, else the district's."""
    from participants.languages import district_default

    return supported((report.options or {}).get("language")) or district_default()


def page_footer_css() -> SafeString:
    """The page footer ("Page 2 of 5") in the current language, as the value of a CSS `content` property."""
    page, pages = "\x01", "\x02"
    words = _("Page %(page)s of %(pages)s") % {"page": page, "pages": pages}
    words = words.replace("\\", "").replace('"', "").replace("<", "")
    return mark_safe('"' + words.replace(page, '" counter(page) "').replace(pages, '" counter(pages) "') + '"')


def _context(report: Report, data) -> dict:
    return {"report": report, "data": data, "program": report.program, "page_footer": page_footer_css()}


def report_html(report: Report) -> str:
    with translation.override(report_language(report)):
        data = report_data(report.program, options=report.options)
        return render_to_string(TEMPLATES[report.kind], _context(report, data))


def html_to_pdf(html: str) -> tuple[bytes, int]:
    from weasyprint import HTML

    # PDF/UA-1: a tagged PDF with a structure tree, so screen readers can read it.
    document = HTML(string=html, base_url=STATIC_PREFIX, url_fetcher=static_only_fetcher()).render(pdf_variant="pdf/ua-1")
    return document.write_pdf(pdf_variant="pdf/ua-1"), len(document.pages)


def storage_name(report: Report) -> str:
    # One name per report: a rerun or a duplicate delivery replaces the file instead of adding one.
    return f"reports/{report.program.slug}/report-{report.pk}-{report.kind}.{report.format.value}"


def render_file(report: Report, data) -> tuple[bytes, int | None]:
    """The report's file and its page (or slide) count: a PDF from the HTML, else the editable document."""
    if report.format == ReportFormat.PPTX:
        from reports.pptx_deck import build_deck

        return build_deck(report=report, data=data)
    if report.format == ReportFormat.DOCX:
        from reports.docx_report import build_document

        return build_document(report=report, data=data), None
    return html_to_pdf(render_to_string(TEMPLATES[report.kind], _context(report, data)))


STOPPED_TOO_OFTEN = gettext_lazy("Rendering stopped {attempts} times before it finished (a worker was killed or ran out "
                                  "of memory). Try again; if it keeps failing, ask IT to look at the worker's memory.")


def render_report(report_id: int) -> Report:
    """Render to a temporary file, then store it and mark the report ready.

    Each delivery counts as an attempt. A worker killed mid-render gives the job back to the broker
    (acks late, reject on worker lost), so a report that kills its worker would come back for ever:
    past REPORT_MAX_DELIVERIES attempts it is marked failed instead of being tried again."""
    report = Report.objects.select_related("program").get(pk=report_id)
    with translation.override(report_language(report)):  # the PDF and any failure read in the asker's language
        return _render(report)


def _render(report: Report) -> Report:
    if report.attempts >= settings.REPORT_MAX_DELIVERIES:
        mark_failed(report.pk, STOPPED_TOO_OFTEN.format(attempts=report.attempts))
        report.refresh_from_db()
        return report
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.RENDERING, attempts=report.attempts + 1)
    data = report_data(report.program, options=report.options)
    content, pages = render_file(report, data)
    with tempfile.NamedTemporaryFile(suffix=f".{report.format.value}", delete=False) as handle:
        handle.write(content)
        temporary = handle.name
    try:
        name = storage_name(report)
        with transaction.atomic():
            if default_storage.exists(name):
                default_storage.delete(name)
            with open(temporary, "rb") as stored:
                saved = default_storage.save(name, File(stored))
            report.file.name = saved
            report.status, report.pages, report.error = ReportStatus.READY, pages, ""
            report.data_summary = {  # what the report was made from, shown beside it
                "students": data.interviewed.display, "sessions": data.sessions, "themes": len(data.all_themes()),
                "threshold": data.threshold, "protocol_version": data.protocol.version if data.protocol else None,
            }
            report.rendered_at = timezone.now()
            report.save(update_fields=["file", "status", "pages", "error", "rendered_at", "data_summary"])
    finally:
        os.unlink(temporary)
    return report


def mark_failed(report_id: int, reason: str) -> None:
    Report.objects.filter(pk=report_id).update(status=ReportStatus.FAILED, error=reason[:1000])


def rerender_reports(program_ids) -> int:
    """Render the finished reports of these programs again, from what is left."""
    from reports.tasks import enqueue  # the task module imports this one

    reports = list(Report.objects.filter(program_id__in=program_ids, status=ReportStatus.READY).values_list("pk", flat=True))
    Report.objects.filter(pk__in=reports).update(status=ReportStatus.QUEUED, attempts=0)
    for report_id in reports:
        enqueue(report_id)
    return len(reports)
