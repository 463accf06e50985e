from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse

from participants.models import School

DATES_OUT_OF_ORDER = "The end date must be on or after the start date."
RETENTION_BEFORE_END = "Student data must be kept at least until the program ends: choose a date on or after the end date."


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
    suppression_threshold = models.PositiveSmallIntegerField(
        default=settings.SUPPRESSION_THRESHOLD_DEFAULT,
        validators=[MinValueValidator(settings.SUPPRESSION_THRESHOLD_MIN)],
        help_text="Counts of students below this are shown as “fewer than N” in findings and reports.",
    )
    retention_until = models.DateField(
        "keep student data until", null=True, blank=True,
        help_text="After this date students' words, consent records and links are removed. "
                  "Leave empty for the district's default time after the end date.",
    )
    purged_at = models.DateTimeField(null=True, blank=True, editable=False,
                                     help_text="When student-level data past the retention date was removed.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="programs")

    class Meta:
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


class ConsentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    GRANTED = "granted", "Granted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class InvitationStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    CONSENTED = "consented", "Consented"
    DECLINED = "declined", "Declined"
    INTERVIEWED = "interviewed", "Interviewed"


class InvitationQuerySet(models.QuerySet):
    def consented(self):
        return self.filter(parent_consent=ConsentStatus.GRANTED, student_assent=ConsentStatus.GRANTED)

    def withdrawn(self):
        return self.filter(models.Q(parent_consent=ConsentStatus.WITHDRAWN) | models.Q(student_assent=ConsentStatus.WITHDRAWN))


class Invitation(models.Model):
    """A student chosen for a program, with the consent that lets them take part."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="invitations")
    student = models.ForeignKey("participants.Student", on_delete=models.CASCADE, related_name="invitations")
    status = models.CharField(max_length=20, choices=InvitationStatus.choices, default=InvitationStatus.INVITED)
    locked = models.BooleanField(default=False, help_text="Kept when the sample is re-balanced.")
    parent_consent = models.CharField(max_length=20, choices=ConsentStatus.choices, default=ConsentStatus.PENDING)
    parent_consent_on = models.DateField(null=True, blank=True)
    parent_consent_method = models.CharField(max_length=100, blank=True)
    student_assent = models.CharField(max_length=20, choices=ConsentStatus.choices, default=ConsentStatus.PENDING)
    student_assent_on = models.DateField(null=True, blank=True)
    student_assent_method = models.CharField(max_length=100, blank=True)
    invited_at = models.DateTimeField(auto_now_add=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["student__pseudonym"]
        constraints = [models.UniqueConstraint(fields=["program", "student"], name="one_invitation_per_student")]

    def __str__(self) -> str:
        return f"{self.student} in {self.program}"

    @property
    def can_be_scheduled(self) -> bool:
        return self.parent_consent == ConsentStatus.GRANTED and self.student_assent == ConsentStatus.GRANTED


class SamplePlan(models.Model):
    """What the lead asked the sampler for, kept so a re-balance starts from the same request."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="sample_plan")
    size = models.PositiveIntegerField(default=40)
    criteria = models.JSONField(default=list)
    min_per_school = models.PositiveSmallIntegerField(default=1)
    min_per_group = models.PositiveSmallIntegerField(default=2)
    seed = models.PositiveIntegerField(default=1)
    tolerance_points = models.FloatField(default=5.0)
    use_community_shares = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Sample plan of {self.size} for {self.program}"


class CommunityShare(models.Model):
    """A community percentage for one category (e.g. district census), instead of the roster's."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="community_shares")
    criterion = models.CharField(max_length=80)
    category = models.CharField(max_length=120)
    percent = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["criterion", "category"]
        constraints = [
            models.UniqueConstraint(fields=["program", "criterion", "category"], name="one_share_per_category"),
            models.CheckConstraint(condition=models.Q(percent__gte=0, percent__lte=100), name="share_is_a_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion} {self.category}: {self.percent}%"


class MissingGroup(models.Model):
    """A group the team wants to hear from that the roster data does not hold."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="missing_groups")
    description = models.CharField(max_length=200)
    covered = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["covered", "description"]

    def __str__(self) -> str:
        return self.description


class Protocol(models.Model):
    """One version of a program's question protocol. Versions are never edited once a session has
    started with them: editing then creates the next version, so notes keep the exact question asked."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="protocols")
    version = models.PositiveIntegerField(default=1)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    theme = models.CharField(max_length=200, blank=True)
    purpose = models.TextField(blank=True, help_text="What students are told about why we are listening.")
    guidelines = models.TextField(blank=True, help_text="Ground rules: confidentiality, the right to pass, no wrong answers.")
    icebreaker = models.TextField(blank=True)
    wrap_up = models.TextField(blank=True, help_text="Thanks, and how to add thoughts later.")
    facilitator_notes = models.TextField(blank=True)
    marked_ready = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "-version"]
        constraints = [models.UniqueConstraint(fields=["program", "version"], name="one_protocol_per_version")]

    def __str__(self) -> str:
        return f"{self.program} protocol v{self.version}"


class Question(models.Model):
    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField()
    text = models.TextField()
    follow_ups = models.JSONField(default=list, blank=True)
    is_opening = models.BooleanField(default=False, help_text="One every student can connect with, asked first.")

    class Meta:
        ordering = ["protocol", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class ProtocolReview(models.Model):
    """A facilitator's confirmation that they have read this version of the protocol."""

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="reviews")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="protocol_reviews")
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["protocol", "user"], name="one_review_per_version")]

    def __str__(self) -> str:
        return f"{self.user} reviewed {self.protocol}"


class SessionFormat(models.TextChoices):
    INDIVIDUAL = "individual", "Individual interview"
    FOCUS_GROUP = "focus_group", "Focus group"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class SessionQuerySet(models.QuerySet):
    def active(self):
        """Sessions that hold people's time: everything but cancelled ones."""
        return self.exclude(status=SessionStatus.CANCELLED)


class Session(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sessions")
    format = models.CharField(max_length=20, choices=SessionFormat.choices)
    protocol = models.ForeignKey(Protocol, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=45)
    place = models.CharField(max_length=200, blank=True, help_text="Room, or leave empty for a video call.")
    video_link = models.URLField(blank=True)
    facilitator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="facilitated_sessions")
    note_taker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="note_taking_sessions")
    participants = models.ManyToManyField("participants.Student", related_name="interview_sessions")
    status = models.CharField(max_length=20, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED)
    cancel_reason = models.TextField(blank=True)
    conflict_override_reason = models.TextField(blank=True, help_text="Why a lead scheduled a facilitator who teaches a participant.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(duration_minutes__gt=0), name="session_has_a_duration")]

    def __str__(self) -> str:
        return f"{self.get_format_display()} on {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self):
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)


class NoteKind(models.TextChoices):
    STUDENT = "student", "Student's words"
    OBSERVATION = "observation", "Facilitator's observation"
    DECLINED = "declined", "Declined to answer"
    FOLLOW_UP = "follow_up", "Follow-up written by the student"


class NoteStep(models.TextChoices):
    PURPOSE = "purpose", "Purpose"
    GUIDELINES = "guidelines", "Ground rules"
    ICEBREAKER = "icebreaker", "Icebreaker"
    QUESTION = "question", "Question"
    WRAP_UP = "wrap_up", "Wrap-up"
    FOLLOW_UP = "follow_up", "Follow-up"


class Note(models.Model):
    """What was said, by whom, at which step. The id is made by the browser so that a retried
    write is recognised; `version` counts saved edits for conflict detection."""

    id = models.UUIDField(primary_key=True)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="notes")
    step = models.CharField(max_length=20, choices=NoteStep.choices)
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.PROTECT, related_name="notes")
    student = models.ForeignKey("participants.Student", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="notes", help_text="Empty for the whole group.")
    kind = models.CharField(max_length=20, choices=NoteKind.choices, default=NoteKind.STUDENT)
    text = models.TextField(blank=True)
    quote_worthy = models.BooleanField(default=False)
    needs_follow_up = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    # Set when the student's words were deleted (their request, or retention): the row stays, empty
    # and nameless, so that past analyses keep their counts.
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["session", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class NoteRevision(models.Model):
    """The text a note had before an edit, with who changed it and when. Never deleted."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    edited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["note", "-version"]
        constraints = [models.UniqueConstraint(fields=["note", "version"], name="one_revision_per_note_version")]

    def __str__(self) -> str:
        return f"v{self.version} of {self.note_id}"


class FollowUpLink(models.Model):
    """A private link a student uses to add thoughts after a session. Only the token's hash is kept."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="follow_up_links")
    student = models.ForeignKey("participants.Student", on_delete=models.CASCADE, related_name="follow_up_links")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    times_used = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Follow-up link for {self.student} (until {self.expires_at:%Y-%m-%d})"
