from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from participants.models import School

DATES_OUT_OF_ORDER = "The end date must be on or after the start date."


class ProgramStatus(models.TextChoices):
    PLANNING = "planning", "Planning"
    INTERVIEWING = "interviewing", "Interviewing"
    ANALYSING = "analysing", "Analysing"
    ACTING = "acting", "Acting on findings"
    CLOSED = "closed", "Closed"


class Role(models.TextChoices):
    LEAD = "lead", "Lead"
    FACILITATOR = "facilitator", "Facilitator"
    ANALYST = "analyst", "Analyst"
    VIEWER = "viewer", "Viewer"


ROLE_DESCRIPTIONS = {
    Role.LEAD: "Plans everything and sees student names.",
    Role.FACILITATOR: "Runs their own sessions and sees the names of students in them.",
    Role.ANALYST: "Codes notes and builds themes; sees pseudonyms only.",
    Role.VIEWER: "Reads findings and downloads reports.",
}


class Program(models.Model):
    """One empathy-interview program: a theme, the schools it listens to, and its team."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True, help_text="Short name used in addresses.")
    theme = models.CharField(max_length=200, help_text='What the interviews explore, e.g. "Belonging in 9th grade".')
    purpose = models.TextField(blank=True, help_text="Why the school is listening, in a few sentences.")
    schools = models.ManyToManyField(School, related_name="programs", blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=20, choices=ProgramStatus.choices, default=ProgramStatus.PLANNING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="programs")

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="program_dates_in_order"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": DATES_OUT_OF_ORDER})

    def get_absolute_url(self) -> str:
        return reverse("program_dashboard", kwargs={"slug": self.slug})


class Membership(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "user__username"]
        constraints = [models.UniqueConstraint(fields=["program", "user"], name="one_role_per_program_member")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.program}"
