from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from interviews.models import Note
from programs.models import Program

SEED_CATEGORIES = (
    ("Academic experiences", "Classes, learning, grades, workload, teaching and academic support."),
    ("Social-emotional well-being", "Stress, safety, belonging, friendships and feeling cared for."),
    ("School culture", "Rules, traditions, adult-student relationships, voice and how the school feels."),
)


class Stance(models.TextChoices):
    CHALLENGE = "challenge", _("Challenge")
    ASPIRATION = "aspiration", _("Aspiration")
    SUGGESTION = "suggestion", _("Suggestion")
    NEITHER = "neither", _("Neither")


class Category(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["program", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="unique_category_name_per_program")]

    def __str__(self) -> str:
        return self.name


class Code(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="codes")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="codes")
    name = models.CharField(max_length=120)
    definition = models.TextField(blank=True)
    example = models.TextField(blank=True)
    retired = models.BooleanField(default=False)
    shortcut = models.CharField(max_length=1, blank=True, help_text=_("A key for the coding workbench."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["category__position", "name"]
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="unique_code_name_per_program")]

    def __str__(self) -> str:
        return self.name


class Provenance(models.TextChoices):
    PERSON = "person", _("Coded by a person")
    SUGGESTED = "suggested", _("Suggested by the assistant, accepted by a person")
    BULK = "bulk", _("Coded with every result of a search")


class BulkCoding(models.Model):
    """One "code every result" of a search (analysis/search.py): the code given to every note the search found,
    undone in one action by deleting the applications it made (`undone_at` then set)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="bulk_codings")
    code = models.ForeignKey("Code", on_delete=models.CASCADE, related_name="bulk_codings")
    stance = models.CharField(max_length=20, choices=Stance.choices, default=Stance.NEITHER)
    query = models.CharField(max_length=500)
    filters = models.JSONField(default=dict, blank=True)
    notes_coded = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.code_id} on every result of {self.query!r}"


class CodeApplication(models.Model):
    """A code applied to a span of a note (start and end offsets), with the text it covered."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="codings")
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="applications")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    snippet = models.TextField()
    stance = models.CharField(max_length=20, choices=Stance.choices, default=Stance.NEITHER)
    coder = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="codings")
    needs_review = models.BooleanField(default=False, help_text=_("The note changed and this span's text moved or went."))
    # How the coding came about; `coder` is always the person who made or accepted it.
    provenance = models.CharField(max_length=20, choices=Provenance.choices, default=Provenance.PERSON)
    bulk = models.ForeignKey(BulkCoding, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["note", "start", "pk"]
        indexes = [models.Index(fields=["code", "note"]),
                   # Undo reads a coder's latest coding: without it, every coding of theirs, sorted.
                   models.Index(fields=["coder", "-created_at", "-id"], name="coding_latest_by_coder")]
        constraints = [models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="coding_span_not_empty")]

    def __str__(self) -> str:
        return f"{self.code}: {self.snippet[:40]}"


class Theme(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="themes")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="themes")
    name = models.CharField(max_length=160)
    insight = models.TextField(blank=True, help_text=_("What the team learned, in a sentence or two."))
    root_causes = models.TextField(blank=True)
    codes = models.ManyToManyField(Code, blank=True, related_name="themes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "name"]

    def __str__(self) -> str:
        return self.name


class ThemeQuote(models.Model):
    """A verbatim span of a note chosen to stand for a theme. The words are never edited."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="quotes")
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="theme_quotes")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    snippet = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)
    # A team member's translation of the words, for readers of another language. Never made by a machine,
    # never shown without the original; `translator_role` is their role in the program when they wrote it.
    translation = models.TextField(blank=True)
    translation_language = models.CharField(max_length=12, blank=True)
    translated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    translator_role = models.CharField(max_length=20, blank=True)
    translated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["theme", "position", "pk"]

    def __str__(self) -> str:
        return self.snippet[:60]


class SuggestionRun(models.Model):
    """One computation of theme suggestions, done by a Celery task."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Computing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="suggestion_runs")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    notes_considered = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Suggestions for {self.program} ({self.get_status_display()})"


class ThemeSuggestion(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        DISMISSED = "dismissed", _("Dismissed")

    run = models.ForeignKey(SuggestionRun, on_delete=models.CASCADE, related_name="suggestions")
    top_words = models.JSONField(default=list)
    note_ids = models.JSONField(default=list)
    example_ids = models.JSONField(default=list)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    accepted_code = models.ForeignKey(Code, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["run", "pk"]

    def __str__(self) -> str:
        return ", ".join(self.top_words[:3])


class AgreementRound(models.Model):
    """Two analysts code the same sample of notes independently, to measure agreement."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="agreement_rounds")
    coder_a = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    coder_b = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    notes = models.ManyToManyField(Note, related_name="+")
    a_done_at = models.DateTimeField(null=True, blank=True)
    b_done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Agreement round of {self.program} ({self.created_at:%Y-%m-%d})"

    @property
    def both_done(self) -> bool:
        return self.a_done_at is not None and self.b_done_at is not None


class AgreementCoding(models.Model):
    """The codes one coder of a round gives one note."""

    round = models.ForeignKey(AgreementRound, on_delete=models.CASCADE, related_name="codings")
    coder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="+")
    codes = models.ManyToManyField(Code, blank=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "coder", "note"], name="one_agreement_coding_per_note")]

    def __str__(self) -> str:
        return f"{self.coder} on {self.note_id}"


class AssistantModel(models.Model):
    """One training of the coding assistant on a program's human coding (analysis/assistant.py), done by a
    Celery task. The fitted classifiers are kept in the row (not a file), so any worker or web process reads
    the same model; nothing leaves the app."""

    class Status(models.TextChoices):
        TRAINING = "training", _("Learning")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="assistant_models")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.TRAINING)
    # {code id: number of human-coded notes it learned from}, for the codes with enough of them.
    codes_trained = models.JSONField(default=dict, blank=True)
    notes_used = models.PositiveIntegerField(default=0)
    artifact = models.BinaryField(null=True, blank=True, editable=False)
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    trained_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Coding assistant for {self.program_id} ({self.status})"


class CodeProposal(models.Model):
    """The assistant's proposal of a code for a note, with its confidence. Never counted in patterns or
    reports: accepting it makes a CodeApplication under the person's name (provenance "suggested");
    rejecting it teaches the next training."""

    class Status(models.TextChoices):
        OPEN = "open", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="code_proposals")
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="proposals")
    model = models.ForeignKey(AssistantModel, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals")
    confidence = models.FloatField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["note", "-confidence", "pk"]
        indexes = [models.Index(fields=["status", "note"])]
        constraints = [models.UniqueConstraint(fields=["note", "code"], name="one_proposal_per_note_and_code")]

    def __str__(self) -> str:
        return f"{self.code_id} for {self.note_id} ({self.confidence:.2f})"
