"""Recruitment: the students invited to a program, their consent, the sample plan that chose them,
the community percentages they are compared with, and the groups the team knows are missing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from participants.sampling import DEFAULT_TOLERANCE_POINTS
from programs.models import Program


class ConsentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    GRANTED = "granted", _("Granted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class InvitationStatus(models.TextChoices):
    INVITED = "invited", pgettext_lazy("invitation status", "Invited")
    CONSENTED = "consented", pgettext_lazy("invitation status", "Consented")
    DECLINED = "declined", pgettext_lazy("invitation status", "Declined")
    INTERVIEWED = "interviewed", pgettext_lazy("invitation status", "Interviewed")


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
    locked = models.BooleanField(default=False, help_text=_("Kept when the sample is re-balanced."))
    parent_consent = models.CharField(max_length=20, choices=ConsentStatus.choices, default=ConsentStatus.PENDING)
    parent_consent_on = models.DateField(null=True, blank=True)
    parent_consent_method = models.CharField(max_length=100, blank=True)
    student_assent = models.CharField(max_length=20, choices=ConsentStatus.choices, default=ConsentStatus.PENDING)
    student_assent_on = models.DateField(null=True, blank=True)
    student_assent_method = models.CharField(max_length=100, blank=True)
    invited_at = models.DateTimeField(auto_now_add=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        db_table = "interviews_invitation"  # kept from before the move out of interviews/
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
    tolerance_points = models.FloatField(default=DEFAULT_TOLERANCE_POINTS)
    use_community_shares = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "interviews_sampleplan"  # kept from before the move out of interviews/

    def __str__(self) -> str:
        return f"Sample plan of {self.size} for {self.program}"


class CommunityShare(models.Model):
    """A community percentage for one category (e.g. district census), instead of the roster's."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="community_shares")
    criterion = models.CharField(max_length=80)
    category = models.CharField(max_length=120)
    percent = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        db_table = "interviews_communityshare"  # kept from before the move out of interviews/
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
        db_table = "interviews_missinggroup"  # kept from before the move out of interviews/
        ordering = ["covered", "description"]

    def __str__(self) -> str:
        return self.description


class ConsentMethod(models.TextChoices):
    ONLINE = "online", _("Online, by the family")
    PAPER = "paper", _("On paper, recorded by staff")


class ConsentLetter(models.Model):
    """The letter a program sends each invited student's family, written by the lead (recruitment/letters.py).

    Its fixed parts (taking part is voluntary and can be stopped at any time; the student's private code)
    are the app's; these are the program's words, in the program's first language, with their versions in
    other languages in `translations` ({"es": {"purpose": "...", ...}})."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="consent_letter")
    purpose = models.TextField(_("why we are listening"), blank=True)
    taking_part = models.TextField(_("what taking part means"), blank=True)
    duration = models.CharField(_("how long it takes"), max_length=200, blank=True)
    who_sees = models.TextField(_("who will see the words"), blank=True)
    storage = models.TextField(_("how the words are kept and when they are deleted"), blank=True)
    contact = models.TextField(_("who to contact with questions"), blank=True)
    protected_topics = models.TextField(
        _("protected topics and how to opt out"), blank=True,
        help_text=_("Required when a question touches a topic the Protection of Pupil Rights Amendment names."))
    translations = models.JSONField(default=dict, blank=True)
    max_reminders = models.PositiveSmallIntegerField(
        _("reminders at most"), default=2, help_text=_("No family is sent more reminders than this."))
    code_days = models.PositiveSmallIntegerField(
        _("days a consent code works"), default=60)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"Consent letter of {self.program}"


class ConsentCode(models.Model):
    """The private code printed on one family's letter: only its hash is kept. A re-printed letter gets a
    new code and the old one stops working (`revoked_at`)."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="consent_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    times_used = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Consent code for {self.invitation}"


class ConsentAnswer(models.Model):
    """Every answer a family gave, online or on paper, in order: the invitation holds the latest."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="consent_answers")
    answer = models.CharField(max_length=20, choices=ConsentStatus.choices)
    guardian_name = models.CharField(_("parent or guardian's name"), max_length=200, blank=True)
    relationship = models.CharField(_("relationship to the student"), max_length=100, blank=True)
    method = models.CharField(max_length=20, choices=ConsentMethod.choices)
    answered_on = models.DateField()
    language = models.CharField(max_length=12, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["invitation", "created_at"]

    def __str__(self) -> str:
        return f"{self.answer} for {self.invitation} ({self.method})"


class ConsentContact(models.Model):
    """A letter or reminder that went to a family: printed in a class set or e-mailed."""

    class Kind(models.TextChoices):
        LETTER_PRINTED = "letter_printed", _("Letter printed")
        LETTER_EMAILED = "letter_emailed", _("Letter e-mailed")
        REMINDER_PRINTED = "reminder_printed", _("Reminder printed")
        REMINDER_EMAILED = "reminder_emailed", _("Reminder e-mailed")

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="consent_contacts")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    language = models.CharField(max_length=12, blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["invitation", "sent_at"]

    @property
    def is_reminder(self) -> bool:
        return self.kind in (self.Kind.REMINDER_PRINTED, self.Kind.REMINDER_EMAILED)

    def __str__(self) -> str:
        return f"{self.kind} to {self.invitation}"
