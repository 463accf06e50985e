from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.text import slugify

from programs.models import Membership, Program, Role

UNKNOWN_ACCOUNT = "No account has that username or e-mail address. Ask your administrator to create one first."
ALREADY_MEMBER = "{user} is already on the team as {role}. Change their role in the list instead."
SLUG_TAKEN = "Another program already uses this short name. Choose another."
THRESHOLD_TOO_LOW = "Groups smaller than 5 can identify a student; choose 5 or more."
# Words the program addresses use for pages of their own.
RESERVED_SLUGS = frozenset({"new", "edit", "team"})


class DateInput(forms.DateInput):
    input_type = "date"


class ProgramForm(forms.ModelForm):
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
        labels = {"slug": "Short name", "starts_on": "Start date", "ends_on": "End date",
                  "suppression_threshold": "Smallest group shown as a number"}
        error_messages = {"slug": {"unique": SLUG_TAKEN},
                          "suppression_threshold": {"min_value": THRESHOLD_TOO_LOW}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = "Used in addresses. Leave empty to make one from the name."
        self.fields["retention_until"].help_text = (
            "After this date students' words, consent records and links are removed. Leave empty for "
            f"{settings.RETENTION_DAYS_AFTER_END} days after the end date.")
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "name",
            Row(Column("theme", css_class="col-md-8"), Column("slug", css_class="col-md-4")),
            "purpose",
            "schools",
            Row(Column("starts_on"), Column("ends_on"), Column("status")),
            Row(Column("suppression_threshold"), Column("retention_until")),
            Submit("save", "Save program"),
        )

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or slugify(self.cleaned_data.get("name", ""))[:80]
        if not slug:
            raise forms.ValidationError("Give the program a name or a short name.")
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(SLUG_TAKEN)
        clash = Program.objects.filter(slug=slug)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(SLUG_TAKEN)
        return slug


class AddMemberForm(forms.Form):
    person = forms.CharField(label="Username or e-mail", max_length=254)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.FACILITATOR)

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
    role = forms.ChoiceField(choices=Role.choices)
