from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from recruitment.models import ConsentStatus, MissingGroup, SamplePlan
from toolkit.tables import check_upload_size

FACILITATOR_NAME_NEEDED = _("Give the facilitator's name.")
FACILITATOR_EMAIL_NEEDED = _("Give the facilitator's e-mail address: the link to choose a password goes there.")
FACILITATOR_EMAIL_INVALID = _("Enter an e-mail address such as name@example.org.")
MAX_SAMPLE_SIZE = 500
PERCENT_OUT_OF_RANGE = _("Enter a percentage from 0 to 100.")
NO_CRITERIA = _("Choose at least one criterion to balance.")


class SamplePlanForm(forms.ModelForm):
    criteria = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple, label=_("Balance on"), required=False)

    class Meta:
        model = SamplePlan
        fields = ["size", "criteria", "min_per_school", "min_per_group", "seed", "tolerance_points", "use_community_shares"]
        labels = {
            "size": _("Sample size"),
            "min_per_school": _("Minimum per school"),
            "min_per_group": _("Minimum per group"),
            "seed": _("Draw number"),
            "tolerance_points": _("Flag gaps above (points)"),
            "use_community_shares": _("Compare with community percentages instead of the roster"),
        }
        help_texts = {"seed": _("The same number gives the same sample; change it for another draw.")}

    def __init__(self, *args, criteria_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria"].choices = criteria_choices
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("size"), Column("min_per_school"), Column("min_per_group")),
            "criteria",
            Row(Column("seed"), Column("tolerance_points")),
            "use_community_shares",
        )

    def clean_size(self) -> int:
        size = self.cleaned_data["size"]
        if not 1 <= size <= MAX_SAMPLE_SIZE:
            raise forms.ValidationError(gettext("Choose a sample size from 1 to %(maximum)s.") % {"maximum": MAX_SAMPLE_SIZE})
        return size

    def clean_criteria(self) -> list[str]:
        criteria = self.cleaned_data["criteria"]
        if not criteria:
            raise forms.ValidationError(NO_CRITERIA)
        return criteria


class ConsentForm(forms.Form):
    parent = forms.ChoiceField(choices=ConsentStatus.choices, label=_("Parent/guardian consent"))
    student = forms.ChoiceField(choices=ConsentStatus.choices, label=_("Student assent"))
    method = forms.CharField(max_length=100, required=False, label=_("How obtained"))


class ConsentUploadForm(forms.Form):
    """A single spreadsheet to import on the Students page (consent, community percentages)."""

    file = forms.FileField(label=_("File (.csv or .xlsx)"), validators=[check_upload_size])


class CommunityShareForm(forms.Form):
    criterion = forms.ChoiceField(label=_("Criterion"), widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    category = forms.CharField(max_length=120, label=_("Category"), error_messages={"required": _("Name the category, e.g. Female.")},
                               widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))
    percent = forms.DecimalField(label=_("Percent"), min_value=0, max_value=100, decimal_places=2,
                                 widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "any",
                                                                 "inputmode": "decimal"}),
                                 error_messages={"min_value": PERCENT_OUT_OF_RANGE, "max_value": PERCENT_OUT_OF_RANGE,
                                                 "invalid": PERCENT_OUT_OF_RANGE})

    def __init__(self, *args, criteria_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = criteria_choices


class ReadinessForm(forms.Form):
    training_completed = forms.BooleanField(required=False, label=_("Training done"))
    readiness_notes = forms.CharField(required=False, max_length=2000, label=_("Readiness notes"),
                                      widget=forms.Textarea(attrs={"rows": 2}))


class OutsideFacilitatorForm(forms.Form):
    full_name = forms.CharField(max_length=200, label=_("Name"), error_messages={"required": FACILITATOR_NAME_NEEDED})
    email = forms.EmailField(required=False, label=_("E-mail"), error_messages={"invalid": FACILITATOR_EMAIL_INVALID})


class InviteFacilitatorForm(forms.Form):
    full_name = forms.CharField(max_length=200, label=_("Name"), error_messages={"required": FACILITATOR_NAME_NEEDED})
    email = forms.EmailField(label=_("E-mail"), error_messages={"required": FACILITATOR_EMAIL_NEEDED,
                                                                  "invalid": FACILITATOR_EMAIL_INVALID})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "invite")
        super().__init__(*args, **kwargs)


class MissingGroupForm(forms.ModelForm):
    class Meta:
        model = MissingGroup
        fields = ["description", "covered", "note"]
        labels = {"description": _("Group the data does not show"), "covered": _("Covered in our sample"), "note": _("Note")}
        widgets = {"note": forms.TextInput(attrs={"placeholder": _("How we reach them")})}
