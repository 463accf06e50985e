from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from programs.models import Membership, Program, Role, purge_date_for, what_a_purge_would_remove
from programs.slugs import free_slug_from, is_retired, is_taken

UNKNOWN_ACCOUNT = _("No account has that username or e-mail address. Ask your administrator to create one first.")
ALREADY_MEMBER = _("{user} is already on the team as {role}. Change their role in the list instead.")
SLUG_TAKEN = _("Another program already uses this short name. Choose another.")
SLUG_RETIRED = _("Another program used this short name before, and a short name is never given to a second program "
                 "(old links and audit entries would lead here). Choose another.")
NO_SLUG = _("Give the program a name or a short name.")
THRESHOLD_TOO_LOW = _("Groups smaller than 5 can identify a student; choose 5 or more.")
RETENTION_IN_PAST = _("This date has passed: students' words would be deleted within days. Choose today or a later "
                      "date.")
DEFAULT_RETENTION_IN_PAST = _("With this end date students' data would be kept only until {date}, which has passed. "
                              "Choose a date to keep it until.")
CONFIRM_EARLIER_RETENTION = _("Type this program's short name, {slug}, to confirm.")
CONFIRMATION_MISMATCH = _("That is not this program's short name, so nothing was saved. Type {slug} to confirm.")
# What a purge removes, as the privacy floor counts it (privacy.retention.what_would_go).
REMOVED_LABELS = {
    "notes_with_words": ngettext_lazy("%(count)s note with words", "%(count)s notes with words", "count"),
    "consent_records": ngettext_lazy("%(count)s consent record", "%(count)s consent records", "count"),
    "follow_up_links": ngettext_lazy("%(count)s follow-up link", "%(count)s follow-up links", "count"),
    "session_places": ngettext_lazy("%(count)s session place (who sat in which session)",
                                    "%(count)s session places (who sat in which session)", "count"),
}
# Values an audit event may carry old and new: dates and the threshold are not personal data.
AUDITED_VALUES = ("slug", "starts_on", "ends_on", "retention_until", "suppression_threshold")


class DateInput(forms.DateInput):
    input_type = "date"


@dataclass(frozen=True)
class RetentionChange:
    """A retention date moved earlier on a program holding student data: what goes, and when."""

    was: dt.date
    now: dt.date
    purge_on: dt.date
    removed: dict[str, int]

    def removed_lines(self) -> list[str]:
        return [REMOVED_LABELS[what] % {"count": n} if what in REMOVED_LABELS else f"{n} {what.replace('_', ' ')}"
                for what, n in self.removed.items()]


def _has_value(value: Any) -> bool:
    return value.exists() if hasattr(value, "exists") else value not in (None, "")


def _shown(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def clean_program_slug(typed: str, *, name: str, program_id: int | None, current: str = "") -> str:
    """The short name a program form saves: what was typed, checked, or a free one made from the name.
    `current` is the program's short name now, which it keeps whatever the retired names say."""
    slug = typed or free_slug_from(name or "", program_id=program_id)
    if not slug:
        raise forms.ValidationError(NO_SLUG)
    if is_taken(slug, program_id=program_id):
        raise forms.ValidationError(SLUG_TAKEN)
    if slug != current and is_retired(slug, program_id=program_id):
        raise forms.ValidationError(SLUG_RETIRED)
    return slug


class ProgramForm(forms.ModelForm):
    """A program's settings. The retention date cannot be set in the past; moving the date that
    applies (the one chosen, or the default after the end date) earlier on a program that holds
    students' words needs the program's short name typed as confirmation (see `retention_change`)."""

    confirm_slug = forms.CharField(label=_("Short name, to confirm"), max_length=80, required=False,
                                   widget=forms.TextInput(attrs={"autocomplete": "off"}))

    class Meta:
        model = Program
        fields = ["name", "slug", "theme", "purpose", "schools", "starts_on", "ends_on", "status", "suppression_threshold",
                  "retention_until"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "retention_until": DateInput(),
            "schools": forms.CheckboxSelectMultiple(),
            "purpose": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"slug": _("Short name"), "starts_on": _("Start date"), "ends_on": _("End date"),
                  "suppression_threshold": _("Smallest group shown as a number")}
        error_messages = {"slug": {"unique": SLUG_TAKEN},
                          "suppression_threshold": {"min_value": THRESHOLD_TOO_LOW}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The program as it was, before validation writes what was typed onto the instance.
        self.was = {name: getattr(self.instance, name) for name in AUDITED_VALUES} if self.instance.pk else {}
        self.was_keep_until = self.instance.keep_until if self.instance.pk else None
        self.retention_change: RetentionChange | None = None
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Used in addresses. Leave empty to make one from the name.")
        self.fields["suppression_threshold"].help_text = _(
            "Any group of students smaller than this is shown as “fewer than N” on every page and report. "
            "%(default)s, the most common state rule, suits most programs; a small program (a few dozen students "
            "interviewed) may choose down to %(minimum)s so that its larger groups can be read, never lower."
        ) % {"default": settings.SUPPRESSION_THRESHOLD_DEFAULT, "minimum": settings.SUPPRESSION_THRESHOLD_MIN}
        self.fields["retention_until"].help_text = ngettext(
            "After this date students' words, consent records and links are removed. Leave empty for "
            "%(days)s day after the end date.",
            "After this date students' words, consent records and links are removed. Leave empty for "
            "%(days)s days after the end date.", settings.RETENTION_DAYS_AFTER_END,
        ) % {"days": settings.RETENTION_DAYS_AFTER_END}
        self.helper = FormHelper()
        # The template draws the form tag, the confirmation step and the save button around these.
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "name",
            Row(Column("theme", css_class="col-md-8"), Column("slug", css_class="col-md-4")),
            "purpose",
            "schools",
            Row(Column("starts_on"), Column("ends_on"), Column("status")),
            Row(Column("suppression_threshold"), Column("retention_until")),
        )

    def clean_slug(self) -> str:
        """The short name typed, or one made from the name that no other program has or had. A typed
        one another program gave up is refused (SLUG_RETIRED); this program's own old one is allowed."""
        return clean_program_slug(self.cleaned_data.get("slug", ""), name=self.cleaned_data.get("name", ""),
                                  program_id=self.instance.pk, current=self.was.get("slug") or "")

    def clean_retention_until(self) -> dt.date | None:
        value = self.cleaned_data.get("retention_until")
        ends_on = self.cleaned_data.get("ends_on")
        # A date before the end date is the model's error (RETENTION_BEFORE_END); an unchanged date
        # that has passed is the program's grace period, not a new choice.
        if (value and value < timezone.localdate() and "retention_until" in self.changed_data
                and not (ends_on and value < ends_on)):
            raise forms.ValidationError(RETENTION_IN_PAST)
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        ends_on, retention_until = cleaned.get("ends_on"), cleaned.get("retention_until")
        if ends_on is None or "retention_until" in self.errors:
            return cleaned
        keep_until = retention_until or ends_on + dt.timedelta(days=settings.RETENTION_DAYS_AFTER_END)
        today = timezone.localdate()
        if self.was_keep_until is None:
            if keep_until < today:
                self.add_error("retention_until", DEFAULT_RETENTION_IN_PAST.format(date=formats.date_format(keep_until)))
            return cleaned
        if keep_until < self.was_keep_until:
            self._confirm_earlier_retention(keep_until, today, cleaned.get("confirm_slug", ""))
        return cleaned

    def _confirm_earlier_retention(self, keep_until: dt.date, today: dt.date, typed: str) -> None:
        removed = what_a_purge_would_remove(self.instance)
        if removed is not None and not any(removed.values()):
            return  # nothing a purge could remove yet; with no answer at all, ask anyway
        self.retention_change = RetentionChange(
            was=self.was_keep_until, now=keep_until, removed=removed or {},
            purge_on=purge_date_for(keep_until=keep_until, due_since=self.instance.purge_due_since, today=today))
        if typed.strip() != self.was["slug"]:
            message = CONFIRMATION_MISMATCH if typed.strip() else CONFIRM_EARLIER_RETENTION
            self.add_error("confirm_slug", message.format(slug=self.was["slug"]))

    def audit_detail(self) -> dict[str, Any]:
        """What a save changed, for the audit log: the field names, and old and new values only of
        AUDITED_VALUES (never the name, theme or purpose a lead typed)."""
        if self.was:
            slug_changed = self.cleaned_data.get("slug") != self.was.get("slug")  # an empty box makes one
            fields = [name for name in self._meta.fields
                      if (name == "slug" and slug_changed) or (name != "slug" and name in self.changed_data)]
        else:  # a new program: every field given a value, defaults included
            fields = [name for name in self._meta.fields if _has_value(self.cleaned_data.get(name))]
        values = {name: {"old": _shown(self.was.get(name)), "new": _shown(self.cleaned_data.get(name))}
                  for name in AUDITED_VALUES if name in fields}
        detail: dict[str, Any] = {"change": "edited" if self.was else "created", "fields": fields, "values": values}
        if self.was_keep_until is not None and self.was_keep_until != self.instance.keep_until:
            detail["keep_until"] = {"old": _shown(self.was_keep_until), "new": _shown(self.instance.keep_until)}
        if self.retention_change is not None:
            detail["confirmed_earlier_retention"] = {"purge_on": _shown(self.retention_change.purge_on),
                                                     **self.retention_change.removed}
        return detail


class AddMemberForm(forms.Form):
    person = forms.CharField(label=_("Username or e-mail"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.FACILITATOR)

    def __init__(self, *args, program: Program, **kwargs):
        self.program = program
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Row(Column("person", css_class="col-md-6"), Column("role", css_class="col-md-4")))

    def clean(self):
        cleaned = super().clean()
        person = (cleaned.get("person") or "").strip()
        if not person:
            return cleaned
        user = get_user_model().objects.filter(Q(username__iexact=person) | Q(email__iexact=person), is_active=True).first()
        if user is None:
            self.add_error("person", UNKNOWN_ACCOUNT)
            return cleaned
        existing = Membership.objects.filter(program=self.program, user=user).first()
        if existing:
            self.add_error("person", ALREADY_MEMBER.format(user=user.get_username(), role=existing.get_role_display()))
        cleaned["user"] = user
        return cleaned


class ChangeRoleForm(forms.Form):
    membership = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
