from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.models import Program


class Protocol(models.Model):
    """One version of a program's question protocol. Versions are never edited once a session has
    started with them: editing then creates the next version, so notes keep the exact question asked."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="protocols")
    version = models.PositiveIntegerField(default=1)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    theme = models.CharField(max_length=200, blank=True)
    purpose = models.TextField(blank=True, help_text=_("What students are told about why we are listening."))
    guidelines = models.TextField(blank=True, help_text=_("Ground rules: confidentiality, the right to pass, no wrong answers."))
    icebreaker = models.TextField(blank=True)
    wrap_up = models.TextField(blank=True, help_text=_("Thanks, and how to add thoughts later."))
    # Read to the students at the start of a session before each says yes or not today (interviews/assent.py);
    # empty: the app's own script in the session's language.
    assent = models.TextField(blank=True, help_text=_("What students hear before each says whether they want to take part today."))
    facilitator_notes = models.TextField(blank=True)
    # The scripts in other languages than the one above, by code: {"es": {"purpose": "...", ...}}.
    translations = models.JSONField(default=dict, blank=True)
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
    # The question in other languages, by code: {"es": {"text": "...", "follow_ups": ["..."]}}.
    translations = models.JSONField(default=dict, blank=True)
    is_opening = models.BooleanField(default=False, help_text=_("One every student can connect with, asked first."))

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
    INDIVIDUAL = "individual", _("Individual interview")
    FOCUS_GROUP = "focus_group", _("Focus group")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


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
    place = models.CharField(max_length=200, blank=True, help_text=_("Room, or leave empty for a video call."))
    video_link = models.URLField(blank=True)
    facilitator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="facilitated_sessions")
    note_taker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="note_taking_sessions")
    participants = models.ManyToManyField("participants.Student", related_name="interview_sessions")
    status = models.CharField(max_length=20, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED)
    cancel_reason = models.TextField(blank=True)
    conflict_override_reason = models.TextField(blank=True, help_text=_("Why a lead scheduled a facilitator who teaches a participant."))
    language = models.CharField(_("language"), max_length=12, default="en",
                                help_text=_("The language the session is held in: the runner and the guide show the "
                                            "protocol in it."))
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
    STUDENT = "student", _("Student's words")
    OBSERVATION = "observation", _("Facilitator's observation")
    DECLINED = "declined", _("Declined to answer")
    FOLLOW_UP = "follow_up", _("Follow-up written by the student")


class NoteStep(models.TextChoices):
    PURPOSE = "purpose", _("Purpose")
    GUIDELINES = "guidelines", _("Ground rules")
    ICEBREAKER = "icebreaker", _("Icebreaker")
    QUESTION = "question", _("Question")
    WRAP_UP = "wrap_up", _("Wrap-up")
    FOLLOW_UP = "follow_up", _("Follow-up")


class NoteImport(models.Model):
    """One file of notes typed elsewhere (a Word document, plain text) or a meeting transcript, imported into
    a session (interviews/note_import.py). The speaker names in the file are never kept: only the file's name,
    its fingerprint, so the same file is not imported twice into a session, and how many notes came of it."""

    class Format(models.TextChoices):
        DOCX = "docx", _("Word document")
        TEXT = "text", _("Plain text or Markdown")
        VTT = "vtt", _("WebVTT transcript")
        SRT = "srt", _("SubRip transcript")
        SPREADSHEET = "spreadsheet", _("Spreadsheet")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="note_imports")
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    format = models.CharField(max_length=20, choices=Format.choices)
    notes_created = models.PositiveIntegerField(default=0)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "imported_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["session", "file_sha256"], name="one_import_per_file_and_session")]

    def __str__(self) -> str:
        return f"{self.file_name} into {self.session_id}"


class Note(models.Model):
    """What was said, by whom, at which step. The id is made by the browser so that a retried
    write is recognised; `version` counts saved edits for conflict detection."""

    id = models.UUIDField(primary_key=True)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="notes")
    step = models.CharField(max_length=20, choices=NoteStep.choices)
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.PROTECT, related_name="notes")
    student = models.ForeignKey("participants.Student", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="notes", help_text=_("Empty for the whole group."))
    kind = models.CharField(max_length=20, choices=NoteKind.choices, default=NoteKind.STUDENT)
    text = models.TextField(blank=True)
    quote_worthy = models.BooleanField(default=False)
    # The language the words are in; empty for the session's (students switch languages mid-answer).
    language = models.CharField(max_length=12, blank=True, default="")
    needs_follow_up = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    # Set when the student's words were deleted (their request, or retention): the row stays, empty
    # and nameless, so that past analyses keep their counts.
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Two people edited this note at once: `text` is the saved one (the only text analysis and quotes
    # read), `conflict_text` the other, kept until a person resolves the conflict (interviews/notes.py);
    # `conflict_at` marks a note in conflict.
    conflict_text = models.TextField(blank=True, editable=False)
    conflict_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", editable=False)
    conflict_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set for a note that came from a file (interviews/note_import.py): the import, the block's position in
    # the file (1 = first), and for a transcript when the words were spoken, in milliseconds from its start.
    imported_from = models.ForeignKey(NoteImport, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="notes", editable=False)
    source_position = models.PositiveIntegerField(null=True, blank=True, editable=False)
    source_start_ms = models.PositiveIntegerField(null=True, blank=True, editable=False)
    source_end_ms = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["session", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class NoteRevision(models.Model):
    """The text a note had before an edit, with who changed it and when. Never deleted.

    `changes` says what else the edit changed: `{"student": [old id, new id], "kind": [...],
    "question": [...]}` for a corrected attribution, and `{"conflict": text}` for the other version
    of a conflict that the person resolving it did not keep as it was."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    changes = models.JSONField(default=dict, blank=True)
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


class SessionAssent(models.Model):
    """A student's answer, at the start of one session, to whether they want to take part today. A "not
    today" is final for the session: the student is not offered as a speaker and no note names them."""

    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        NOT_TODAY = "not_today", _("Not today")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="assents")
    student = models.ForeignKey("participants.Student", on_delete=models.CASCADE, related_name="session_assents")
    answer = models.CharField(max_length=12, choices=Answer.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "student"], name="one_assent_per_student_and_session")]

    def __str__(self) -> str:
        return f"{self.answer} from {self.student_id} in {self.session_id}"
