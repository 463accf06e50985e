from __future__ import annotations

from django import forms

from participants.roster import FIELD_LABELS, REQUIRED, extra_field
from participants.tables import IGNORE


class RosterUploadForm(forms.Form):
    file = forms.FileField(label="Roster file (.csv or .xlsx)", help_text="One row per student, with a header row.")


class ColumnMappingForm(forms.Form):
    """One choice per column of the file: a roster field, a district criterion, or ignore."""

    def __init__(self, *args, headers: list[str], mapping: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = headers
        for index, header in enumerate(headers):
            choices = [(IGNORE, "Ignore this column")]
            choices += [(name, f"{label}{' (required)' if name in REQUIRED else ''}") for name, label in FIELD_LABELS.items()]
            choices.append((extra_field(header), "Keep as a district criterion"))
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header or f"Column {index + 1}", choices=choices, required=False, initial=mapping.get(header, IGNORE),
            )

    def mapping(self) -> dict[str, str]:
        return {header: self.cleaned_data.get(f"column_{index}", IGNORE) for index, header in enumerate(self.headers)}
