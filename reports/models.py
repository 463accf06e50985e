from __future__ import annotations

from django.conf import settings
from django.db import models

from programs.models import Program


class ReportKind(models.TextChoices):
    THEMATIC = "thematic", "Thematic report"
    INFOGRAPHIC = "infographic", "One-page infographic"
    SLIDES = "slides", "Slide deck"
    STUDENT_SUMMARY = "student_summary", "Summary for students"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RENDERING = "rendering", "Rendering"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


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
    data_summary = models.JSONField(default=dict, blank=True, help_text="What the report was made from.")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.program} ({self.get_status_display()})"


class StudentSummaryLink(models.Model):
    """The unguessable address of a program's published summary for students ("you said, we did").

    Unlike follow-up codes the token is kept as is: the page holds no names and only suppressed
    counts, it is meant to be shared widely, and unpublishing deletes the link at once."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="student_summary_link")
    token = models.CharField(max_length=64, unique=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Student summary of {self.program}"
