from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from participants.import_kinds import ImportKind
from participants.models import RosterUpload
from participants.roster import extra_field
from toolkit.tables import IGNORE, check_upload_size


class RosterUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=RosterUpload.Kind.choices, initial=RosterUpload.Kind.STUDENTS)
    file = forms.FileField(label=_("File (.csv or .xlsx)"), help_text=_("One row per student or assignment, with a header row."),
                           validators=[check_upload_size])


class OneRosterUploadForm(forms.Form):
    bundle = forms.FileField(label=_("OneRoster bundle (.zip)"), help_text=_("The OneRoster 1.1 or 1.2 CSV export of your student information system."),
                             validators=[check_upload_size])

    def clean_bundle(self):
        bundle = self.cleaned_data["bundle"]
        if not bundle.name.lower().endswith(".zip"):
            raise forms.ValidationError(_("Upload the .zip file that holds orgs.csv, users.csv and the other OneRoster files."))
        return bundle


class ColumnMappingForm(forms.Form):
    """One choice per column of the file: a field of this kind of import, a district criterion, or ignore."""

    def __init__(self, *args, headers: list[str], mapping: dict[str, str], kind: ImportKind, **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = headers
        for index, header in enumerate(headers):
            choices = [(IGNORE, gettext("Ignore this column"))]
            choices += [(name, gettext("%(field)s (required)") % {"field": label} if name in kind.required else str(label))
                        for name, label in kind.field_labels.items()]
            if kind.keeps_extra_columns:
                choices.append((extra_field(header), gettext("Keep as a district criterion")))
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header or gettext("Column %(number)s") % {"number": index + 1}, choices=choices, required=False, initial=mapping.get(header, IGNORE),
            )

    def mapping(self) -> dict[str, str]:
        return {header: self.cleaned_data.get(f"column_{index}", IGNORE) for index, header in enumerate(self.headers)}
