"""The action plan: ideas that answer themes, the actions chosen, their updates, and the weekly digests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from analysis.models import Theme
from programs.models import Program


class ActionKind(models.TextChoices):
    PROJECT = "project", _("Project")
    ACTIVITY = "activity", _("Activity")
    COMMITTEE = "committee", _("Committee")


class ActionStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("action status", "Proposed")
    PLANNED = "planned", pgettext_lazy("action status", "Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("action status", "In progress")
    DONE = "done", pgettext_lazy("action status", "Done")
    DROPPED = "dropped", pgettext_lazy("action status", "Dropped")


class Idea(models.Model):
    """A brainstormed way to answer one or more themes."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="ideas")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    themes = models.ManyToManyField(Theme, related_name="ideas", blank=True)
    group = models.CharField(max_length=100, blank=True, help_text=_("A label to gather related ideas."))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "analysis_idea"  # kept from before the move out of analysis/
        ordering = ["group", "-created_at"]

    def __str__(self) -> str:
        return self.title


class IdeaVote(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "analysis_ideavote"  # kept from before the move out of analysis/
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="one_vote_per_person_per_idea")]

    def __str__(self) -> str:
        return f"{self.user} supports {self.idea}"


class IdeaComment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.CharField(max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "analysis_ideacomment"  # kept from before the move out of analysis/
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class ActionItem(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="action_items")
    idea = models.ForeignKey(Idea, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=ActionKind.choices, default=ActionKind.PROJECT)
    themes = models.ManyToManyField(Theme, related_name="action_items", blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_actions")
    people = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    starts_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.PROPOSED)
    dropped_reason = models.TextField(blank=True)
    measure = models.TextField(blank=True, help_text=_("How we will know it worked."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "analysis_actionitem"  # kept from before the move out of analysis/
        ordering = ["due_on", "title"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(status="dropped") | ~models.Q(dropped_reason=""),
                                   name="a_dropped_action_has_a_reason"),
            models.CheckConstraint(condition=models.Q(starts_on__isnull=True) | models.Q(due_on__isnull=True)
                                   | models.Q(due_on__gte=models.F("starts_on")), name="an_action_is_due_after_it_starts"),
        ]

    def __str__(self) -> str:
        return self.title


class ActionUpdate(models.Model):
    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "analysis_actionupdate"  # kept from before the move out of analysis/
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class DigestSent(models.Model):
    """One weekly digest per owner per week, however often the schedule fires."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "analysis_digestsent"  # kept from before the move out of analysis/
        constraints = [models.UniqueConstraint(fields=["owner", "week_start"], name="one_digest_per_owner_per_week")]

    def __str__(self) -> str:
        return f"Digest to {self.owner} for the week of {self.week_start}"
