"""Programs and their teams: who is on a program and in which role."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participants.models import School

DATES_OUT_OF_ORDER = _("The end date must be on or after the start date.")
RETENTION_BEFORE_END = _("Student data must be kept at least until the program ends: choose a date on or after the "
                         "end date.")

# Sent with program=... when a lead moves a program's retention date earlier. The apps that hold
# students' words sit on floors above this one; privacy answers with what a purge of the program
# would remove now ({"notes_with_words": 3, ...}, see privacy.retention.what_would_go).
retention_preview = Signal()


def what_a_purge_would_remove(program: Program) -> dict[str, int] | None:
    """The counts a purge of the program would remove now, or None when no app answered."""
    answers = [response for _receiver, response in retention_preview.send(sender=Program, program=program)]
    if not answers:
        return None
    removed: dict[str, int] = {}
    for answer in answers:
        removed.update(answer)
    return removed


def grace_period() -> dt.timedelta:
    return dt.timedelta(days=max(settings.RETENTION_GRACE_DAYS, 0))


def purge_date_for(*, keep_until: dt.date, due_since: dt.date | None, today: dt.date) -> dt.date:
    """The day the nightly purge removes student data kept until `keep_until`.

    A program becomes due on the first night after that date (the night's run writes it down as
    `purge_due_since`) and is purged RETENTION_GRACE_DAYS later, so a wrong date can still be moved."""
    if keep_until >= today:
        due = keep_until + dt.timedelta(days=1)
    else:
        due = due_since or today
    return due + grace_period()


class ProgramStatus(models.TextChoices):
    PLANNING = "planning", _("Planning")
    INTERVIEWING = "interviewing", _("Interviewing")
    ANALYSING = "analysing", _("Analysing")
    ACTING = "acting", _("Acting on findings")
    CLOSED = "closed", _("Closed")


class Role(models.TextChoices):
    LEAD = "lead", _("Lead")
    FACILITATOR = "facilitator", _("Facilitator")
    ANALYST = "analyst", _("Analyst")
    VIEWER = "viewer", _("Viewer")


ROLE_DESCRIPTIONS = {
    Role.LEAD: _("Plans everything and sees student names."),
    Role.FACILITATOR: _("Runs their own sessions and sees the names of students in them."),
    Role.ANALYST: _("Codes notes and builds themes; sees pseudonyms only."),
    Role.VIEWER: _("Reads findings and downloads reports."),
}


class Program(models.Model):
    """One empathy-interview program: a theme, the schools it listens to, and its team."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True, help_text=_("Short name used in addresses."))
    theme = models.CharField(_("theme"), max_length=200,
                             help_text=_('What the interviews explore, e.g. "Belonging in 9th grade".'))
    purpose = models.TextField(_("purpose"), blank=True, help_text=_("Why the school is listening, in a few sentences."))
    schools = models.ManyToManyField(School, related_name="programs", blank=True, verbose_name=_("schools"))
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    status = models.CharField(_("status"), max_length=20, choices=ProgramStatus.choices, default=ProgramStatus.PLANNING)
    suppression_threshold = models.PositiveSmallIntegerField(
        _("smallest group shown as a number"), default=settings.SUPPRESSION_THRESHOLD_DEFAULT,
        validators=[MinValueValidator(settings.SUPPRESSION_THRESHOLD_MIN)],
        help_text=_("Counts of students below this are shown as “fewer than N” in findings and reports."),
    )
    retention_until = models.DateField(
        _("keep student data until"), null=True, blank=True,
        help_text=_("After this date students' words, consent records and links are removed. "
                    "Leave empty for the district's default time after the end date."),
    )
    purged_at = models.DateTimeField(null=True, blank=True, editable=False,
                                     help_text="When student-level data past the retention date was removed.")
    purge_due_since = models.DateField(
        null=True, blank=True, editable=False,
        help_text="The night the purge first found the program past its retention date; it purges "
                  "RETENTION_GRACE_DAYS later. Cleared when the date moves later again.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="programs")

    class Meta:
        db_table = "interviews_program"  # kept from before the move out of interviews/
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="program_dates_in_order"),
            models.CheckConstraint(condition=models.Q(retention_until__isnull=True) | models.Q(retention_until__gte=models.F("ends_on")),
                                   name="program_kept_at_least_until_it_ends"),
            models.CheckConstraint(condition=models.Q(suppression_threshold__gte=settings.SUPPRESSION_THRESHOLD_MIN),
                                   name="suppression_threshold_at_least_the_minimum"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": DATES_OUT_OF_ORDER})
        if self.retention_until and self.ends_on and self.retention_until < self.ends_on:
            raise ValidationError({"retention_until": RETENTION_BEFORE_END})

    @property
    def keep_until(self) -> dt.date:
        """The retention date: the one the lead chose, or the named default after the end date."""
        return self.retention_until or self.ends_on + dt.timedelta(days=settings.RETENTION_DAYS_AFTER_END)

    def purge_date(self, *, today: dt.date | None = None) -> dt.date | None:
        """When the nightly purge will remove this program's student data; None once it has."""
        if self.purged_at:
            return None
        return purge_date_for(keep_until=self.keep_until, due_since=self.purge_due_since,
                              today=today or timezone.localdate())

    def pending_purge_date(self, *, today: dt.date | None = None) -> dt.date | None:
        """The purge date while the retention date has passed and the data is still here (the grace
        period, when the leads are warned); None otherwise."""
        today = today or timezone.localdate()
        if self.purged_at or self.keep_until >= today:
            return None
        return self.purge_date(today=today)

    def reschedule_purge(self, *, today: dt.date | None = None) -> None:
        """Forget when the program became due once its retention date is no longer past (not saved)."""
        if self.purge_due_since and self.keep_until >= (today or timezone.localdate()):
            self.purge_due_since = None

    def get_absolute_url(self) -> str:
        return reverse("program_dashboard", kwargs={"slug": self.slug})


class Membership(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "interviews_membership"  # kept from before the move out of interviews/
        ordering = ["role", "user__username"]
        constraints = [models.UniqueConstraint(fields=["program", "user"], name="one_role_per_program_member")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.program}"


class RetiredSlug(models.Model):
    """A short name a program gave up, by a rename or by being deleted: never given to another program,
    so that an old address, a bookmark or an audit entry's label cannot lead to someone else's program.
    The program's id is a plain number: the row outlives the program."""

    slug = models.SlugField(max_length=80, unique=True)
    program_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True,
                                                help_text="The program that last had it; empty when not known.")
    retired_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug
