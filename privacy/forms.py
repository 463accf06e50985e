from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from participants.models import Gender, Student

LOCAL_ID_TAKEN = _("Another student already has this local id. Check the district's record before changing it.")
GRADE_RANGE = _("Grades run from K (0) to 12.")
GPA_RANGE = _("A GPA runs from 0 to 5.")
CONFIRMATION_WRONG = _("Type the student's local id exactly as shown to confirm.")


class StudentCorrectionForm(forms.ModelForm):
    race_ethnicity = forms.CharField(
        label=_("Race or ethnicity"), required=False, help_text=_("One or more, separated by semicolons."))

    class Meta:
        model = Student
        fields = ["first_name", "last_name", "local_id", "school", "grade", "gender", "race_ethnicity",
                  "english_learner", "special_education", "gpa", "groups", "years_in_program"]
        widgets = {"groups": forms.CheckboxSelectMultiple(), "gender": forms.Select(choices=Gender.choices)}
        error_messages = {"local_id": {"unique": LOCAL_ID_TAKEN},
                          "grade": {"min_value": GRADE_RANGE, "max_value": GRADE_RANGE},
                          "gpa": {"min_value": GPA_RANGE, "max_value": GPA_RANGE}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["race_ethnicity"] = "; ".join(self.instance.race_ethnicity)
        self.fields["grade"].help_text = _("0 for kindergarten.")
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("first_name"), Column("last_name")),
            Row(Column("local_id"), Column("school"), Column("grade")),
            Row(Column("gender"), Column("race_ethnicity")),
            Row(Column("english_learner"), Column("special_education")),
            Row(Column("gpa"), Column("years_in_program")),
            "groups",
            Submit("save", _("Save the correction")),
        )

    def clean_race_ethnicity(self) -> list[str]:
        return [part.strip() for part in self.cleaned_data["race_ethnicity"].split(";") if part.strip()]


class DeleteStudentForm(forms.Form):
    confirmation = forms.CharField(label=_("Type the student's local id to confirm"), max_length=40)

    def __init__(self, *args, student: Student, **kwargs):
        super().__init__(*args, **kwargs)
        self.student = student

    def clean_confirmation(self) -> str:
        typed = self.cleaned_data["confirmation"].strip()
        if typed != self.student.local_id:
            raise forms.ValidationError(CONFIRMATION_WRONG)
        return typed
