"""The form of the project import page: the new program's name, the .qdpx file, and where its students go."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from participants.models import HIGHEST_GRADE, LOWEST_GRADE, School, grade_label
from programs.models import Program
from toolkit.tables import check_upload_size

CHOOSE_A_PROJECT = _("Choose a REFI-QDA project file (.qdpx).")
NOT_A_QDPX_NAME = _("The file must be a REFI-QDA project, whose name ends in .qdpx.")
NAME_THE_PROGRAM = _("Give the new program a name.")
CHOOSE_A_SCHOOL = _("Choose the school the project's students belong to.")


class ProjectImportForm(forms.Form):
    name = forms.CharField(label=_("Name of the new program"), max_length=Program._meta.get_field("name").max_length,
                           error_messages={"required": NAME_THE_PROGRAM})
    file = forms.FileField(label=_("Project file (.qdpx)"), validators=[check_upload_size],
                           error_messages={"required": CHOOSE_A_PROJECT})
    school = forms.ModelChoiceField(
        label=_("School of the project's students"), queryset=School.objects.order_by("name"), empty_label=_("— choose —"),
        error_messages={"required": CHOOSE_A_SCHOOL, "invalid_choice": CHOOSE_A_SCHOOL},
        help_text=_("Each case of the project becomes a student of this school, unless its “School” names another."))
    default_grade = forms.TypedChoiceField(
        label=_("Grade of cases that give none"), required=False, coerce=int, empty_value=None,
        choices=[("", _("None: their words become notes of the whole group"))]
        + [(grade, grade_label(grade)) for grade in range(LOWEST_GRADE, HIGHEST_GRADE + 1)])

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError(NAME_THE_PROGRAM, code="required")
        return name

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".qdpx"):
            raise ValidationError(NOT_A_QDPX_NAME, code="not_qdpx")
        return upload
