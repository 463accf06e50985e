from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    VIEW_STUDENT_NAMES = "view_student_names", _("Viewed student names")
    EXPORT = "export", _("Exported data")
    DOWNLOAD_REPORT = "download_report", _("Downloaded a report")
    IMPORT = "import", _("Imported data")
    CHANGE_ROLE = "change_role", _("Changed a program role")
    DELETE = "delete", _("Deleted data")
    CORRECT_RECORD = "correct_record", _("Corrected a student record")
    PURGE = "purge", _("Removed data past its retention date")
    CHANGE_PROGRAM = "change_program", _("Changed a program's settings")
    CHANGE_DISTRICT = "change_district", _("Changed the district's set-up")
    TRANSLATE_QUOTE = "translate_quote", _("Translated a student's quote")
    SIGN_IN = "sign_in", _("Signed in or out, or was refused")
    TWO_FACTOR = "two_factor", _("Changed two-factor sign-in")
    RECORD_CONSENT = "record_consent", _("Recorded a family's consent answer")


# How the keys that features store in `detail` and `removed` read on the log's pages; a key not listed
# reads as its own name with spaces. Only names: the stored values (counts, short names, ISO dates) stay.
FIELD_LABELS = {
    "notes_emptied": _("notes emptied"),
    "notes_with_words": _("notes with words"),
    "earlier_versions": _("earlier versions"),
    "theme_quotes": _("theme quotes"),
    "coded_passages_kept_as_counts": _("coded passages kept as counts"),
    "consent_records": _("consent records"),
    "follow_up_links": _("follow-up links"),
    "session_places": _("session places"),
    "teaching_assignments": _("teaching assignments"),
    "student_records": _("student records"),
    "uploaded_roster_files": _("uploaded roster files"),
    "reports_rendered_again": _("reports rendered again"),
    "retention_date": _("retention date"),
    "due_since": _("due since"),
    "programs": _("programs"),
    "students": _("students"),
    "rows": _("rows"),
}


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name) or name.replace("_", " "))


class AppendOnlyError(RuntimeError):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    """For records that are only ever inserted: the audit log and the deletion records."""

    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural.capitalize()} cannot be changed.")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural.capitalize()} cannot be deleted.")


class AuditEvent(models.Model):
    """One thing a person did with sensitive data: who, what, which object, when, from where.

    Rows are only ever inserted. The actor's username is copied so the record stays
    readable after the account is deleted.
    """

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=40, choices=AuditAction.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=200, blank=True)
    # The program by id, not a foreign key: the log lives on the lowest floor and outlives a deleted
    # program. A lead can change the short name, so the entry is found by this id, never by the slug.
    program_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    program_slug = models.SlugField(max_length=80, blank=True, db_index=True,
                                    help_text=_("The program's short name at the time: a label."))
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["action", "created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_username or 'system'} {self.get_action_display()} {self.object_label}"

    @property
    def detail_display(self) -> str:
        """"notes emptied: 6; programs: belonging-2026" from the stored detail, for people to read."""
        def shown(value) -> str:
            return ", ".join(map(str, value)) if isinstance(value, list) else str(value)

        return "; ".join(f"{field_label(name)}: {shown(value)}" for name, value in self.detail.items())

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")


class DeletionRecord(models.Model):
    """What was removed, when, why and by whom: kept after the data is gone, never holding it.

    `removed` holds counts only ("notes": 42), never names, ids or words. Append-only like the log."""

    class Reason(models.TextChoices):
        STUDENT_REQUEST = "student_request", _("A student's record deleted on request")
        RETENTION = "retention", _("Retention date passed")

    reason = models.CharField(max_length=30, choices=Reason.choices)
    program_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)  # as on AuditEvent
    program_slug = models.SlugField(max_length=80, blank=True, db_index=True,
                                    help_text=_("The program's short name at the time: a label."))
    subject = models.CharField(max_length=200, help_text=_("A pseudonym or a program name: never a student's name."))
    removed = models.JSONField(default=dict)
    actor_username = models.CharField(max_length=150, blank=True, help_text=_("Empty when the nightly purge did it."))
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.get_reason_display()}: {self.subject}"

    @property
    def removed_display(self) -> str:
        """"notes emptied: 3, consent records: 1, retention date: 2027-06-30" from the stored counts."""
        return ", ".join(f"{field_label(name)}: {value}" for name, value in self.removed.items()
                         if not isinstance(value, list))

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Deletion records cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Deletion records cannot be deleted.")
