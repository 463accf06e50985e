from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from programs.models import Program


class ReportKind(models.TextChoices):
    THEMATIC = "thematic", gettext_lazy("Thematic report")
    # The editable outputs: the thematic report as a Word document, the slide deck as a PowerPoint deck,
    # made from the same report data (reports/docx_report.py, reports/pptx_deck.py).
    THEMATIC_DOCX = "thematic_docx", gettext_lazy("Report (Word)")
    INFOGRAPHIC = "infographic", gettext_lazy("One-page infographic")
    SLIDES = "slides", gettext_lazy("Slide deck")
    SLIDES_PPTX = "slides_pptx", gettext_lazy("Slides (PowerPoint)")
    STUDENT_SUMMARY = "student_summary", gettext_lazy("Summary for students")


class ReportFormat(models.TextChoices):
    """The file a report is: its extension, the content type it is sent with, and the words of its button."""

    PDF = "pdf", "application/pdf"
    DOCX = "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    PPTX = "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"


FORMAT_OF_KIND = {ReportKind.THEMATIC_DOCX: ReportFormat.DOCX, ReportKind.SLIDES_PPTX: ReportFormat.PPTX}


class ReportStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("report status", "Queued")
    RENDERING = "rendering", pgettext_lazy("report status", "Rendering")
    READY = "ready", pgettext_lazy("report status", "Ready")
    FAILED = "failed", pgettext_lazy("report status", "Failed")


class Report(models.Model):
    """A requested document. The row exists from the moment it is asked for; the file is stored only
    once it has rendered completely."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    file = models.FileField(upload_to="reports/", blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    data_summary = models.JSONField(default=dict, blank=True, help_text=gettext_lazy("What the report was made from."))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.program} ({self.get_status_display()})"

    @property
    def format(self) -> ReportFormat:
        return FORMAT_OF_KIND.get(self.kind, ReportFormat.PDF)

    @property
    def content_type(self) -> str:
        return str(self.format.label)

    @property
    def download_label(self) -> str:
        return {ReportFormat.DOCX: _("Download Word"), ReportFormat.PPTX: _("Download PowerPoint")}.get(
            self.format, _("Download PDF"))

    @property
    def language(self) -> str:
        """The language the report was asked in ("" for one asked before reports had a language)."""
        code = (self.options or {}).get("language") or ""
        return code if code in dict(settings.LANGUAGES) else ""

    @property
    def language_name(self) -> str:
        return dict(settings.LANGUAGES).get(self.language, "")

    def made_from_line(self) -> str:
        """What the report was made from, in a sentence: "Made from 12 students, 3 sessions and 2 themes."."""
        made = self.data_summary or {}
        sessions, themes = made.get("sessions") or 0, made.get("themes") or 0
        counts = {
            "students": made.get("students", ""),
            "sessions": ngettext("%(count)d session", "%(count)d sessions", sessions) % {"count": sessions},
            "themes": ngettext("%(count)d theme", "%(count)d themes", themes) % {"count": themes},
            "version": made.get("protocol_version"),
        }
        if counts["version"]:
            return _("Made from %(students)s students, %(sessions)s and %(themes)s, protocol version %(version)s.") % counts
        return _("Made from %(students)s students, %(sessions)s and %(themes)s.") % counts


class StudentSummaryLink(models.Model):
    """The unguessable address of a program's published summary for students ("you said, we did").

    Unlike follow-up codes the token is kept as is: the page holds no names and only suppressed
    counts, it is meant to be shared widely, and unpublishing deletes the link at once."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="student_summary_link")
    token = models.CharField(max_length=64, unique=True)
    # The languages the summary is published in: English and the home languages of the interviewed
    # students' families that the app speaks, decided when it is published.
    languages = models.JSONField(default=list, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Student summary of {self.program}"
